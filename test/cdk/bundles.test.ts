// The function bundles as CDK built them with local esbuild: inspected as files, and loaded and run in
// fresh Node.js processes against a fake Lambda Runtime API and a fake DynamoDB endpoint.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENTRIES, type FunctionEntry, PROJECT_ROOT } from '../../lib/stack/shortener-function.ts';
import { resourcesOfType, synthesize } from './synth.ts';

const ENTRIES = FUNCTION_ENTRIES;
const bundles = {} as Record<FunctionEntry, string>;

/** Stands in for the Lambda Runtime API (extension registration) and for DynamoDB. */
let fake: Server;
let fakeAddress: string;
const received: Array<{ path: string; target?: string; body: string }> = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const target = req.headers['x-amz-target'];
  received.push({ path: req.url ?? '', target: typeof target === 'string' ? target : undefined, body });
  if (req.url === '/2020-01-01/extension/register') {
    res.writeHead(200, { 'lambda-extension-identifier': 'test-extension', 'content-type': 'application/json' });
    res.end('{}');
  } else if (req.url === '/2020-01-01/extension/event/next') {
    // Held open, as Lambda does between invocations; the child process exits without waiting for it.
  } else if (target === 'DynamoDB_20120810.GetItem') {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(
      JSON.stringify({
        Item: { url: { S: 'https://example.com/landing?from=bundle' }, created: { S: '2026-11-22T04:55:00.000Z' } },
      }),
    );
  } else {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"__type":"UnknownOperation"}');
  }
}

beforeAll(async () => {
  // Any attempt to run Docker fails: bundling must succeed with the local esbuild alone.
  const docker = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = '/bin/false';
  const { app, stack, template } = synthesize({}, { bundle: true });
  if (docker === undefined) delete process.env.CDK_DOCKER;
  else process.env.CDK_DOCKER = docker;
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  for (const entry of ENTRIES) {
    const logicalId = stack.getLogicalId(
      stack.functions[entry].function.node.defaultChild as Parameters<typeof stack.getLogicalId>[0],
    );
    const code = functions[logicalId]?.Properties.Code as { S3Key: string } | undefined;
    if (!code) throw new Error(`no function ${logicalId} for ${entry}`);
    const key = code.S3Key;
    bundles[entry] = join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  }
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeAddress = `127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

/** Runs a module script in a new Node.js process, as Lambda would start the bundle, and returns its stdout. */
function runNode(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lambdaEnv = () => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  LINKS_TABLE: 'links-test',
  CLICK_STREAM: 'clicks-test',
  SELF_ORIGINS: '',
  AWS_ENDPOINT_URL_DYNAMODB: `http://${fakeAddress}`,
  AWS_LAMBDA_RUNTIME_API: fakeAddress,
});

describe('aws-deployment', () => {
  it('R6.1 every function is one minified ESM file with the AWS SDK bundled in', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    for (const entry of ENTRIES) {
      const files = readdirSync(bundles[entry]);
      expect(files, entry).toEqual(['index.mjs']);
      const code = readFileSync(join(bundles[entry], 'index.mjs'), 'utf8');
      // Static imports (at statement starts, not inside the SDK's error messages) are Node.js built-ins only.
      const imported = [...code.matchAll(/(?:^|;)\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+)["']/g)].map(
        (match) => match[1],
      );
      expect(imported.length, entry).toBeGreaterThan(0);
      expect(
        imported.filter((name) => name && !builtins.has(name)),
        entry,
      ).toEqual([]);
      const lines = code.split('\n').length;
      expect(code.length / lines, `${entry} looks unminified`).toBeGreaterThan(300);
    }
  });

  it('R6.1 the SDK-using bundles really contain the SDK clients they call', () => {
    const code = (entry: FunctionEntry) => readFileSync(join(bundles[entry], 'index.mjs'), 'utf8');
    for (const entry of ['create-link', 'list-links', 'delete-link', 'redirect', 'count-clicks'] as const) {
      expect(code(entry), entry).toContain('DynamoDB_20120810');
    }
    expect(code('redirect')).toContain('Kinesis_20131202');
    expect(statSync(join(bundles['not-allowed'], 'index.mjs')).size).toBeLessThan(50_000);
  });

  it('R6.2 every bundle loads in a fresh Node.js process and exports a handler function', async () => {
    // The bundles sit in the app's temporary output directory, where no node_modules can be resolved:
    // loading proves that everything they import (the SDK included) is inside them.
    expect(bundles.redirect.startsWith(PROJECT_ROOT)).toBe(false);
    for (const entry of ENTRIES) {
      const url = pathToFileURL(join(bundles[entry], 'index.mjs')).href;
      const result = await runNode(
        `const module = await import(${JSON.stringify(url)}); console.log(typeof module.handler); process.exit(0);`,
        lambdaEnv(),
      );
      expect({ entry, code: result.code, stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({
        entry,
        code: 0,
        stdout: 'function',
        stderr: '',
      });
    }
  });

  it('R6.2 the redirect bundle registers its extension at init (top-level await) and answers a HEAD with 301', async () => {
    received.length = 0;
    const url = pathToFileURL(join(bundles.redirect, 'index.mjs')).href;
    const event = {
      version: '2.0',
      routeKey: 'HEAD /{link}',
      rawPath: '/bundle01',
      rawQueryString: '',
      headers: { host: 'short.example', 'x-forwarded-host': 'short.example', 'x-forwarded-proto': 'https' },
      pathParameters: { link: 'bundle01' },
      requestContext: {
        domainName: 'short.example',
        http: { method: 'HEAD', path: '/bundle01', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'r1',
        routeKey: 'HEAD /{link}',
        stage: '$default',
      },
      isBase64Encoded: false,
    };
    const result = await runNode(
      `const { handler } = await import(${JSON.stringify(url)});
       const response = await handler(${JSON.stringify(event)}, {});
       console.log(JSON.stringify(response));
       process.exit(0);`,
      lambdaEnv(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
      statusCode?: number;
      headers?: Record<string, string>;
    };
    expect(response.statusCode).toBe(301);
    expect(response.headers?.location ?? response.headers?.Location).toBe('https://example.com/landing?from=bundle');
    expect(received.map((request) => request.target ?? request.path)).toEqual(
      expect.arrayContaining(['/2020-01-01/extension/register', 'DynamoDB_20120810.GetItem']),
    );
    const getItem = received.find((request) => request.target === 'DynamoDB_20120810.GetItem');
    expect(JSON.parse(getItem?.body ?? '{}')).toMatchObject({
      TableName: 'links-test',
      Key: { link: { S: 'bundle01' } },
    });
  });

  it('R1.1 bundling works with Docker unusable (CDK_DOCKER=/bin/false): local esbuild only', () => {
    for (const entry of ENTRIES) expect(existsSync(join(bundles[entry], 'index.mjs')), entry).toBe(true);
  });
});
