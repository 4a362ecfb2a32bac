// The local gateway on its own, in front of a recording fake application: the events it builds, its
// routing, body limits, error handling, static files and the flush after each response.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '../../lambdas/composition.ts';
import { API_FUNCTION_NAMES, type ApiFunctionName } from '../../lambdas/declarations/routes.ts';
import type { ApiHandler } from '../../lambdas/handlers/types.ts';
import type { Authorizer } from '../../lib/local/authorizer.ts';
import { createGateway, type Gateway, type PageConfig } from '../../lib/local/gateway.ts';
import { rawGet, waitFor } from '../support/local-system.ts';

const PAGE_CONFIG: PageConfig = {
  region: 'us-east-1',
  cognito: { endpoint: 'http://127.0.0.1:9/', userPoolId: 'local_pool', clientId: 'client' },
};
const CLAIMS = { sub: 'user-1', token_use: 'access', client_id: 'client', exp: '1999999999' };

interface Call {
  handler: ApiFunctionName;
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe('local-mode', () => {
  let frontendDir: string;
  let server: Server;
  let gateway: Gateway;
  let base: string;
  let port: number;
  const calls: Call[] = [];
  const logs: string[] = [];
  const flushes: { started: number; finished?: number }[] = [];
  const unfinished: (() => void)[] = [];
  const releaseFlushes = () => {
    for (const release of unfinished.splice(0)) release();
  };
  let failNext = false;

  const recording =
    (handler: ApiFunctionName): ApiHandler =>
    async (event) => {
      calls.push({ handler, event });
      if (failNext) {
        failNext = false;
        throw new Error('secret table name in a stack trace');
      }
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handler }) };
    };
  const fakeApp: Application = {
    api: {
      ...(Object.fromEntries(API_FUNCTION_NAMES.map((name) => [name, recording(name)])) as Record<
        ApiFunctionName,
        ApiHandler
      >),
    },
    countClicks: async () => ({ batchItemFailures: [] }),
    clicks: {
      record: () => {},
      flush: () => {
        const entry: { started: number; finished?: number } = { started: Date.now() };
        flushes.push(entry);
        return new Promise<void>((resolve) => {
          unfinished.push(() => {
            entry.finished = Date.now();
            resolve();
          });
        });
      },
    },
  };
  const authorizer: Authorizer = async (header) =>
    header === 'Bearer good' ? { claims: CLAIMS, scopes: null } : undefined;

  beforeAll(async () => {
    frontendDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-frontend-'));
    await mkdir(path.join(frontendDir, 'assets', 'nested'), { recursive: true });
    await writeFile(path.join(frontendDir, 'index.html'), '<!doctype html><title>page</title>');
    await writeFile(path.join(frontendDir, 'assets', 'app.js'), 'console.log(1);');
    await writeFile(path.join(frontendDir, 'assets', 'nested', 'style.css'), 'body{}');
    await writeFile(path.join(frontendDir, 'secret.txt'), 'do not serve');
    gateway = createGateway({
      app: fakeApp,
      authorizer,
      pageConfig: PAGE_CONFIG,
      frontendDir,
      log: (l) => logs.push(l),
    });
    server = createServer(gateway.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    releaseFlushes();
    await new Promise((resolve) => server?.close(resolve));
    await rm(frontendDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    releaseFlushes();
    calls.length = 0;
    flushes.length = 0;
    logs.length = 0;
  });

  const lastEvent = () => {
    const call = calls[calls.length - 1];
    if (!call) throw new Error('no handler was called');
    return call;
  };

  it('R3.1 builds an HTTP API payload v2 event with the JWT claims for an authorized route', async () => {
    const before = Date.now();
    const response = await fetch(`${base}/links?limit=5&tag=a&tag=b`, {
      headers: { authorization: 'Bearer good', 'X-Custom': 'Value' },
    });
    expect(response.status).toBe(200);
    const { handler, event } = lastEvent();
    expect(handler).toBe('list-links');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /links',
      rawPath: '/links',
      rawQueryString: 'limit=5&tag=a&tag=b',
      queryStringParameters: { limit: '5', tag: 'a,b' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /links',
        stage: '$default',
        domainName: '127.0.0.1',
        http: { method: 'GET', path: '/links', sourceIp: '127.0.0.1' },
        authorizer: { jwt: { claims: CLAIMS } },
      },
    });
    expect(event.headers).toMatchObject({
      'x-custom': 'Value',
      authorization: 'Bearer good',
      'x-forwarded-host': `127.0.0.1:${port}`,
      'x-forwarded-proto': 'http',
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(event.body).toBeUndefined();
  });

  it('R3.1 passes path parameters, JSON bodies as text, and other or non-UTF-8 bodies base64-encoded', async () => {
    await fetch(`${base}/links/ab%2Dc`, { method: 'DELETE', headers: { authorization: 'Bearer good' } });
    expect(lastEvent()).toMatchObject({
      handler: 'delete-link',
      event: { routeKey: 'DELETE /links/{link}', pathParameters: { link: 'ab-c' } },
    });

    await fetch(`${base}/links`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: '{"url":"https://example.com/é"}',
    });
    expect(lastEvent().event).toMatchObject({ body: '{"url":"https://example.com/é"}', isBase64Encoded: false });

    const invalidUtf8 = Buffer.from([0x7b, 0xc3, 0x28, 0x7d]);
    await fetch(`${base}/links`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: new Uint8Array(invalidUtf8),
    });
    expect(lastEvent().event).toMatchObject({ body: invalidUtf8.toString('base64'), isBase64Encoded: true });

    const bytes = Buffer.from([0, 1, 2, 255]);
    await fetch(`${base}/links`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    });
    expect(lastEvent().event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('R3.1 passes the query string exactly as sent in rawQueryString', async () => {
    await rawGet(base, "/abc?q='x'&e=%7e&empty");
    expect(lastEvent().event).toMatchObject({
      rawQueryString: "q='x'&e=%7e&empty",
      queryStringParameters: { q: "'x'", e: '~', empty: '' },
    });
  });

  it('R3.2 routes literal paths before {link} and a route’s own method before ANY', async () => {
    const cases: [string, string, ApiFunctionName, string][] = [
      ['POST', '/links', 'create-link', 'POST /links'],
      ['PUT', '/links', 'not-allowed', 'ANY /links'],
      ['PUT', '/links/abc', 'not-allowed', 'ANY /links/{link}'],
      ['GET', '/links/abc', 'get-link', 'GET /links/{link}'],
      ['POST', '/links/bulk', 'bulk-create-links', 'POST /links/bulk'],
      ['GET', '/links/bulk', 'not-allowed', 'ANY /links/bulk'],
      ['POST', '/links/abc/disable', 'moderate-link', 'POST /links/{link}/disable'],
      ['GET', '/openapi.json', 'openapi', 'GET /openapi.json'],
      ['GET', '/abc', 'redirect', 'GET /{link}'],
      ['HEAD', '/abc', 'redirect', 'HEAD /{link}'],
      ['POST', '/abc', 'not-allowed', 'ANY /{link}'],
    ];
    for (const [method, urlPath, handler, routeKey] of cases) {
      const response = await fetch(`${base}${urlPath}`, { method, headers: { authorization: 'Bearer good' } });
      expect(response.status, `${method} ${urlPath}`).toBe(200);
      expect(lastEvent().handler).toBe(handler);
      expect(lastEvent().event.routeKey).toBe(routeKey);
    }
    expect(lastEvent().event.requestContext.authorizer).toBeUndefined();
  });

  it('R4.3 answers 401 JSON on an authorized route when the authorizer rejects the token, without calling the handler', async () => {
    for (const headers of [{}, { authorization: 'Bearer bad' }] as Record<string, string>[]) {
      const response = await fetch(`${base}/links`, { method: 'POST', headers, body: '{}' });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
    expect(calls).toHaveLength(0);
  });

  it('R3.3 answers paths no route serves with 404 JSON', async () => {
    for (const urlPath of [
      '/a/b',
      '/links/a/b',
      '/links/',
      '//',
      '///',
      '//%zz',
      '//abc',
      '//links',
      '//evil.example/code',
    ]) {
      const response = await fetch(`${base}${urlPath}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not found' });
    }
    expect(calls).toHaveLength(0);
  });

  it('R3.4 answers a throwing handler with 500 {"error":"internal error"}, logs it and keeps serving', async () => {
    failNext = true;
    const response = await fetch(`${base}/abc`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"error":"internal error"}');
    expect(logs.join('\n')).toMatch(/secret table name/);
    expect((await fetch(`${base}/abc`)).status).toBe(200);
  });

  it('R3.5 answers 413 for a body over 64 KiB, declared or streamed, without calling the handler', async () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const declared = await fetch(`${base}/links`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: expect.stringMatching(/65536/) });

    // Chunked, so no content-length: the limit must hold while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/links', method: 'POST', headers: { authorization: 'Bearer good' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i += 1) req.write('y'.repeat(8 * 1024));
      req.end();
    });
    expect(streamed).toBe(413);

    const exact = await fetch(`${base}/links`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: 'x'.repeat(64 * 1024),
    });
    expect(exact.status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('R3.6 flushes recorded clicks only after the response has been sent', async () => {
    const response = await fetch(`${base}/abc`);
    // The response arrived although the flush it started has not finished.
    expect(response.status).toBe(200);
    await waitFor(async () => (flushes.length === 1 ? true : undefined), { what: 'flush started' });
    expect(flushes[0]?.finished).toBeUndefined();
    let idle = false;
    const waiting = gateway.idle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    releaseFlushes();
    await waiting;
    expect(flushes[0]?.finished).toBeDefined();
  });

  it('R5.1 R5.2 serves index.html at / and assets with their content types, and nothing outside assets', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:9/);
    expect(await page.text()).toBe('<!doctype html><title>page</title>');
    const script = await fetch(`${base}/assets/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const style = await fetch(`${base}/assets/nested/style.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${base}/assets/nested`)).status).toBe(404);
    for (const attempt of ['/assets/..%2fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/..%5csecret.txt']) {
      const { status, body } = await rawGet(base, attempt);
      expect(status, attempt).toBe(404);
      expect(body).not.toContain('do not serve');
    }
    // Plain dot segments are resolved like any URL: the request becomes GET /secret.txt, a short link.
    const dotted = await rawGet(base, '/assets/../secret.txt');
    expect(dotted.body).not.toContain('do not serve');
    expect(lastEvent().event.rawPath).toBe('/secret.txt');
    calls.length = 0;
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(calls).toHaveLength(0);
  });

  it('R5.3 serves /config.json as the page configuration', async () => {
    const response = await fetch(`${base}/config.json`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(PAGE_CONFIG);
  });
});
