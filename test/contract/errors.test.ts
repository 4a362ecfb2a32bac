// Every error status of the contract with its {"error"} body, and odd input that must never give a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  bootWithUser,
  createLink,
  errorBody,
  type Link,
  type RawResponse,
  raw,
  type Shortener,
  type User,
} from './harness.ts';

let shortener: Shortener;
let user: User;
let link: Link;

beforeAll(async () => {
  ({ shortener, user } = await bootWithUser());
  link = await createLink(shortener.url, user.accessToken, { url: 'https://example.com/errors' });
});

afterAll(async () => {
  await shortener?.stop();
});

const auth = () => ({ authorization: `Bearer ${user.accessToken}` });

/** A raw response that is a contract error: given status, JSON `{"error": "..."}`, nothing leaked. */
async function expectRawError(response: RawResponse, status: number, what: string): Promise<void> {
  expect(response.status, `${what}: ${response.body.slice(0, 200)}`).toBe(status);
  expect(String(response.headers['content-type']), what).toMatch(/^application\/json/);
  await errorBody(new Response(response.body, { status: response.status }));
}

function expectNo500(response: RawResponse, what: string): void {
  expect(response.status, `${what}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
  expect(response.body, what).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\/work\//);
}

describe('contract', () => {
  describe('400 malformed or non-object JSON', () => {
    it('R7.2 R7.3 POST /links with invalid, empty, or non-object JSON -> 400 {"error"}', async () => {
      for (const body of [
        '',
        '{',
        'not json',
        '{"url": "https://example.com/",}',
        'null',
        '[]',
        '["https://example.com/"]',
        '"https://example.com/"',
        '42',
        'true',
        '\uFEFF{"url":"https://example.com/"}x',
      ]) {
        const response = await raw(shortener.url, 'POST', '/links', {
          headers: { ...auth(), 'content-type': 'application/json' },
          body,
        });
        await expectRawError(response, 400, `body ${JSON.stringify(body)}`);
      }
    });

    it('R7.2 invalid UTF-8 in the body -> 400', async () => {
      const body = Buffer.concat([
        Buffer.from('{"url":"https://example.com/'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]);
      for (const type of [
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/octet-stream',
      ]) {
        const response = await raw(shortener.url, 'POST', '/links', {
          headers: { ...auth(), 'content-type': type },
          body,
        });
        await expectRawError(response, 400, `invalid UTF-8 as ${type}`);
      }
    });

    it('R7.5 wrong or missing content types never give a 500; a JSON object body still works or is a 4xx', async () => {
      const body = JSON.stringify({ url: 'https://example.com/ctype' });
      for (const type of [
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/octet-stream',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'image/png',
      ]) {
        const response = await raw(shortener.url, 'POST', '/links', {
          headers: { ...auth(), ...(type ? { 'content-type': type } : {}) },
          body,
        });
        expectNo500(response, `content-type ${type}`);
        if (response.status === 201) {
          expect((JSON.parse(response.body) as Link).url).toBe('https://example.com/ctype');
        } else {
          await expectRawError(response, response.status, `content-type ${type}`);
        }
      }
    });

    it('R7.2 extra unknown fields or a duplicated url key do not break create', async () => {
      const response = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json' },
        body: '{"url":"https://example.com/a","url":"https://example.com/b","extra":{"deep":[1,2]}}',
      });
      expectNo500(response, 'duplicate key');
    });

    it('R7.2 deeply nested JSON is a 4xx (or ignored), never a 500', async () => {
      const deep = `{"url":"https://example.com/","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const response = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json' },
        body: deep,
      });
      expectNo500(response, 'deep JSON');
    });
  });

  describe('401', () => {
    it('R7.1 401 comes before body checks: no token plus an invalid body is still 401', async () => {
      const response = await raw(shortener.url, 'POST', '/links', {
        headers: { 'content-type': 'application/json' },
        body: 'not json',
      });
      await expectRawError(response, 401, 'no token, bad body');
    });
  });

  describe('404', () => {
    it('API: unknown paths under the API answer 404 JSON or the 404 page, never 500', async () => {
      for (const path of ['/links/a/b', '/a/b', '/x/y/z', '/links/abc/', '/nope/']) {
        const response = await raw(shortener.url, 'GET', path, { headers: auth() });
        expect(response.status, path).toBe(404);
      }
    });
  });

  describe('405', () => {
    it('R7.8 methods a path does not serve -> 405 {"error"} with Allow', async () => {
      const cases: [string, string, string[]][] = [
        ['PUT', '/links', ['GET', 'POST']],
        ['PATCH', '/links', ['GET', 'POST']],
        ['DELETE', '/links', ['GET', 'POST']],
        ['POST', `/links/${link.link}`, ['GET', 'PATCH', 'DELETE']],
        ['PUT', `/links/${link.link}`, ['GET', 'PATCH', 'DELETE']],
        ['GET', '/links/bulk', ['POST']],
        ['POST', `/links/${link.link}/stats`, ['GET']],
        ['POST', '/openapi.json', ['GET']],
        ['POST', `/${link.link}`, ['GET', 'HEAD']],
        ['DELETE', `/${link.link}`, ['GET', 'HEAD']],
        ['PUT', `/${link.link}`, ['GET', 'HEAD']],
        ['PATCH', `/${link.link}`, ['GET', 'HEAD']],
        ['POST', '/config.json', ['GET', 'HEAD']],
        ['DELETE', '/', ['GET', 'HEAD']],
      ];
      for (const [method, path, allowed] of cases) {
        const response = await raw(shortener.url, method, path, { headers: auth() });
        await expectRawError(response, 405, `${method} ${path}`);
        const allow = String(response.headers.allow ?? '')
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
        for (const method of allowed) expect(allow, `${method} ${path}`).toContain(method);
      }
    });

    it('R7.8 405 needs no token (wrong method on /links without auth is 405 or 401, never 500)', async () => {
      const response = await raw(shortener.url, 'PUT', '/links');
      expect([401, 405]).toContain(response.status);
      await expectRawError(response, response.status, 'PUT /links without token');
    });

    it('API: unusual methods (OPTIONS, TRACE, PROPFIND, custom) never give a 500', async () => {
      for (const method of ['OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'FOO', 'CONNECTX']) {
        for (const path of ['/links', `/links/${link.link}`, `/${link.link}`, '/']) {
          const response = await raw(shortener.url, method, path, { headers: auth() }).catch((error: Error) => ({
            status: 400,
            headers: {},
            body: `client refused: ${error.message}`,
          }));
          expectNo500(response, `${method} ${path}`);
        }
      }
    });
  });

  describe('409', () => {
    it('R1.4 a taken alias -> 409 {"error"}', async () => {
      const alias = `taken${Math.random().toString(36).slice(2, 8)}`;
      await createLink(shortener.url, user.accessToken, { url: 'https://example.com/1', alias });
      const response = await api(shortener.url, user.accessToken).create({ url: 'https://example.com/2', alias });
      expect(response.status).toBe(409);
      await errorBody(response);
    });
  });

  describe('413', () => {
    it('R7.4 a body over 64 KiB -> 413 {"error"}; exactly 64 KiB is not a 413', async () => {
      const padded = (size: number) => {
        const head = '{"url":"https://example.com/big","pad":"';
        return `${head}${'x'.repeat(size - head.length - 2)}"}`;
      };
      const over = padded(64 * 1024 + 1);
      expect(Buffer.byteLength(over)).toBe(65_537);
      const big = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json' },
        body: over,
      });
      await expectRawError(big, 413, '65,537 bytes');
      const limit = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json' },
        body: padded(64 * 1024),
      });
      expect(limit.status).toBe(201);
    });

    it('R7.4 an over-size body sent chunked (no Content-Length) -> 413', async () => {
      const response = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: `{"url":"https://example.com/","pad":"${'y'.repeat(70_000)}"}`,
      });
      await expectRawError(response, 413, 'chunked 70 kB');
    });
  });

  describe('odd input never gives a 500', () => {
    it('API: %-encoded, double-slash, trailing-slash and unicode paths', async () => {
      const paths = [
        '/%',
        '/%zz',
        '/%C0%AF',
        '/%00abc',
        '/%2e%2e',
        '/%2Flinks',
        '/links%2F',
        '/links/',
        '/links//',
        `/${link.link}/`,
        `/${link.link}%20`,
        '/%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80',
        '/ünïcode',
        '/%E2%80%AE',
        `/${'a'.repeat(5000)}`,
        '/?x=%',
        '/links?limit=%',
        '/links?cursor=%E0%A4%A',
        '/assets/',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/assets/../../package.json',
        '/config.json/',
        '/.local/state.json',
      ];
      for (const path of paths) {
        for (const method of ['GET', 'HEAD', 'DELETE', 'POST']) {
          const response = await raw(shortener.url, method, path, {
            headers: { ...auth(), 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: '{"url":"https://example.com/"}' } : {}),
          });
          expectNo500(response, `${method} ${path}`);
          expect(response.body, `${method} ${path}`).not.toContain('"dependencies"');
        }
      }
    });

    it('API: DELETE /links/{link} with odd codes is 404 JSON', async () => {
      // (`..` and `%2e%2e` are left out: the URL standard resolves `/links/..` to `/`, which answers 405.)
      for (const code of ['%', '%zz', '%F0%9F%98%80', 'ünï', `${'b'.repeat(500)}`, '.', 'a.b']) {
        const response = await raw(shortener.url, 'DELETE', `/links/${code}`, { headers: auth() });
        expectNo500(response, `DELETE /links/${code}`);
        expect([400, 404], `DELETE /links/${code}`).toContain(response.status);
      }
    });

    it('API: huge headers are refused with a 4xx, never a 500, and the server keeps serving', async () => {
      const huge = await raw(shortener.url, 'GET', `/${link.link}`, { headers: { 'x-big': 'z'.repeat(20_000) } }).catch(
        () => ({ status: 431, headers: {}, body: '' }) as RawResponse,
      );
      expectNo500(huge, 'huge header');
      const bigToken = await raw(shortener.url, 'GET', '/links', {
        headers: { authorization: `Bearer ${'a'.repeat(8000)}.${'b'.repeat(4000)}.c` },
      }).catch(() => ({ status: 431, headers: {}, body: '' }) as RawResponse);
      expectNo500(bigToken, 'huge token');
      expect((await raw(shortener.url, 'HEAD', `/${link.link}`)).status).toBe(301);
    });

    it('API: odd query strings on GET /links (repeated, empty, encoded) are 200 or 400', async () => {
      for (const query of [
        '?limit=5&limit=6',
        '?limit=',
        '?cursor=',
        '?limit=%35',
        '?unknown=1',
        '?limit[]=5',
        '?cursor=a&cursor=b',
        '?&&&',
      ]) {
        const response = await raw(shortener.url, 'GET', `/links${query}`, { headers: auth() });
        expectNo500(response, query);
        expect([200, 400], query).toContain(response.status);
        if (response.status === 400) await expectRawError(response, 400, query);
      }
    });

    it('R7.2 JSON null, number, or array values for every field are 400, not 500', async () => {
      for (const body of [
        { url: null },
        { url: 'https://example.com/', alias: 5 },
        { url: { toString: 'x' } },
        { url: ['a'] },
        { alias: null },
        { url: 'https://example.com/', alias: '' },
      ]) {
        const response = await api(shortener.url, user.accessToken).create(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        await errorBody(response);
      }
    });

    it('R7.6 a __proto__ / constructor body does not break create', async () => {
      const response = await raw(shortener.url, 'POST', '/links', {
        headers: { ...auth(), 'content-type': 'application/json' },
        body: '{"__proto__":{"url":"https://example.com/p"},"constructor":{"prototype":{}}}',
      });
      await expectRawError(response, 400, '__proto__ url only');
    });
  });
});
