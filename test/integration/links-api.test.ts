// The public contract driven over HTTP against the local system, with real cognito-local tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, otherAppClient, otherUserPool, resign, type TestUser, tamper } from '../support/cognito.ts';
import {
  apiClient,
  type Link,
  type LinkList,
  startTestSystem,
  type TestSystem,
  tableSnapshot,
} from '../support/local-system.ts';

const NO_REUSE = /no-store/;

describe('local-mode', () => {
  let system: TestSystem;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    system = await startTestSystem();
    [alice, bob] = await Promise.all([createUser(system.pageConfig.cognito), createUser(system.pageConfig.cognito)]);
  });
  afterAll(() => system?.dispose());

  const asAlice = () => apiClient(system, alice.accessToken);

  async function created(response: Response): Promise<Link> {
    expect(response.status).toBe(201);
    return (await response.json()) as Link;
  }

  /** Sends a request that must be rejected, and checks the status, JSON error body and untouched table. */
  async function expectRejected(send: () => Promise<Response>, status: number): Promise<Record<string, unknown>> {
    const before = await tableSnapshot(system);
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(typeof body.error).toBe('string');
    expect(String(body.error)).not.toMatch(/\bat .+:\d+/); // no stack trace
    expect(await tableSnapshot(system)).toEqual(before);
    return body;
  }

  describe('creating, listing and deleting links', () => {
    it('R7.1 creates a link with a random code and with an alias, each with its absolute short URL', async () => {
      const random = await created(await asAlice().create({ url: 'https://example.com/random' }));
      expect(random.link).toMatch(/^[A-Za-z0-9]{8}$/);
      expect(random).toMatchObject({ url: 'https://example.com/random', count: 0 });
      expect(random.shortUrl).toBe(`${system.url}/${random.link}`);
      expect(Number.isNaN(Date.parse(random.created))).toBe(false);

      const alias = `my-alias_${Date.now()}`;
      const aliased = await created(await asAlice().create({ url: 'https://example.com/alias', alias }));
      expect(aliased).toMatchObject({ link: alias, shortUrl: `${system.url}/${alias}` });
    });

    it('R7.2 lists only the caller’s links, newest first, in pages whose cursor survives deleting earlier items', async () => {
      const carol = await createUser(system.pageConfig.cognito);
      const carolApi = apiClient(system, carol.accessToken);
      const codes: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await created(await carolApi.create({ url: `https://example.com/page/${i}` }))).link);
      }
      await created(await apiClient(system, bob.accessToken).create({ url: 'https://example.com/bob' }));

      const first = (await (await carolApi.list('?limit=2')).json()) as LinkList;
      expect(first.items.map((item) => item.link)).toEqual([codes[4], codes[3]]);
      expect(first.nextCursor).toEqual(expect.any(String));

      // Deleting items of the page already seen must not invalidate the cursor.
      expect((await carolApi.remove(codes[4] as string)).status).toBe(204);
      expect((await carolApi.remove(codes[3] as string)).status).toBe(204);

      const second = (await (await carolApi.list(`?limit=2&cursor=${first.nextCursor}`)).json()) as LinkList;
      expect(second.items.map((item) => item.link)).toEqual([codes[2], codes[1]]);
      const third = (await (await carolApi.list(`?limit=2&cursor=${second.nextCursor}`)).json()) as LinkList;
      expect(third.items.map((item) => item.link)).toEqual([codes[0]]);
      expect(third.nextCursor).toBeUndefined();

      const all = (await (await carolApi.list()).json()) as LinkList;
      expect(all.items.map((item) => item.link)).toEqual([codes[2], codes[1], codes[0]]);
      expect(all.nextCursor).toBeUndefined();
    });

    it('R7.3 deletes the caller’s own link; the short link then answers 404', async () => {
      const link = await created(await asAlice().create({ url: 'https://example.com/to-delete' }));
      const response = await asAlice().remove(link.link);
      expect(response.status).toBe(204);
      expect((await asAlice().visit(link.link)).status).toBe(404);
      const list = (await (await asAlice().list('?limit=100')).json()) as LinkList;
      expect(list.items.map((item) => item.link)).not.toContain(link.link);
    });

    it('R4.1 hands the access token’s sub to the handlers as the caller: stored links carry it as creator', async () => {
      const link = await created(await asAlice().create({ url: 'https://example.com/whose' }));
      const item = (await tableSnapshot(system)).find((entry) => (entry.link as { S: string }).S === link.link);
      expect(item?.creator).toEqual({ S: alice.sub });
    });

    it('R4.2 accepts an ID token of the page’s app client, as the HTTP API JWT authorizer does', async () => {
      const response = await apiClient(system, alice.idToken).list();
      expect(response.status).toBe(200);
    });
  });

  describe('redirects', () => {
    it('R7.4 answers GET with 301, the stored URL in Location and headers that forbid reuse', async () => {
      const destination = 'https://例え.jp/パス?q=1';
      const link = await created(await asAlice().create({ url: destination }));
      expect(link.url).toBe(new URL(destination).href);
      expect(link.url).toMatch(/^https:\/\/xn--/);
      const response = await apiClient(system).visit(link.link);
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe(link.url);
      expect(response.headers.get('cache-control')).toMatch(NO_REUSE);
    });

    it('R7.4 answers HEAD with the same 301 and does not count it as a click', async () => {
      const link = await created(await asAlice().create({ url: 'https://example.com/head' }));
      for (let i = 0; i < 3; i += 1) {
        const response = await apiClient(system).visit(link.link, 'HEAD');
        expect(response.status).toBe(301);
        expect(response.headers.get('location')).toBe('https://example.com/head');
      }
      // A GET after the HEADs is the only click; once it shows, the HEADs provably did not count.
      await apiClient(system).visit(link.link);
      const count = await countOf(link.link, 1);
      expect(count).toBe(1);
    }, 20_000);

    it('R7.7 answers an unknown code with the 404 HTML page and no-reuse caching', async () => {
      const response = await apiClient(system).visit('NoSuchCode1');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toMatch(NO_REUSE);
      expect(await response.text()).toMatch(/<html/i);
    });
  });

  /** Waits until the caller's list shows at least `atLeast` clicks on `code`, then returns the count. */
  async function countOf(code: string, atLeast: number): Promise<number> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const list = (await (await asAlice().list('?limit=100')).json()) as LinkList;
      const count = list.items.find((item) => item.link === code)?.count ?? 0;
      if (count >= atLeast || Date.now() > deadline) return count;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  describe('authentication', () => {
    it('R4.3 rejects a request without a token with 401', async () => {
      await expectRejected(() => apiClient(system).create({ url: 'https://example.com/no-token' }), 401);
      await expectRejected(() => apiClient(system).list(), 401);
      await expectRejected(() => apiClient(system).remove('anything'), 401);
    });

    it('R4.3 rejects a tampered token with 401', async () => {
      await expectRejected(
        () => apiClient(system, tamper(alice.accessToken)).create({ url: 'https://example.com/tampered' }),
        401,
      );
    });

    it('R4.3 rejects an expired token with 401', async () => {
      const expired = resign(alice.accessToken, { exp: Math.floor(Date.now() / 1000) - 60 });
      await expectRejected(() => apiClient(system, expired).list(), 401);
    });

    it('R4.3 rejects tokens of another user pool and of another app client with 401', async () => {
      const pool = await otherUserPool(system.pageConfig.cognito);
      const client = await otherAppClient(system.pageConfig.cognito);
      const [stranger, sameUserOtherClient] = await Promise.all([createUser(pool), createUser(client)]);
      for (const token of [
        stranger.accessToken,
        stranger.idToken,
        sameUserOtherClient.accessToken,
        sameUserOtherClient.idToken,
      ]) {
        await expectRejected(() => apiClient(system, token).create({ url: 'https://example.com/foreign' }), 401);
      }
    });

    it('R4.3 rejects a refresh token and a malformed Authorization header with 401', async () => {
      await expectRejected(() => apiClient(system, alice.refreshToken).list(), 401);
      await expectRejected(
        () => apiClient(system).request('GET', '/links', undefined, { authorization: 'Bearer' }),
        401,
      );
      await expectRejected(
        () => apiClient(system).request('GET', '/links', undefined, { authorization: 'Basic dXNlcjpwYXNz' }),
        401,
      );
    });
  });

  describe('bad input changes nothing', () => {
    it('R7.6 answers someone else’s link with 404 on delete and keeps it', async () => {
      const link = await created(await asAlice().create({ url: 'https://example.com/alice-only' }));
      await expectRejected(() => apiClient(system, bob.accessToken).remove(link.link), 404);
      await expectRejected(() => asAlice().remove('NoSuchCode2'), 404);
      expect((await apiClient(system).visit(link.link, 'HEAD')).status).toBe(301);
    });

    it('R7.6 R8.3 rejects destinations the link rules forbid, including the local origins, with 400', async () => {
      const forbidden = [
        'javascript:alert(1)',
        `https://example.com/${'a'.repeat(3000)}`,
        'ftp://example.com/file',
        'https://user:secret@example.com/',
        'example.com/no-scheme',
        'https://exa mple.com/',
        `${system.url}/loop`,
        `http://localhost:${system.port}/loop`,
        '',
      ];
      for (const url of forbidden) {
        await expectRejected(() => asAlice().create({ url }), 400);
      }
      await expectRejected(() => asAlice().create({ alias: 'no-url-given' } as never), 400);
    });

    it('R7.6 rejects reserved and malformed aliases with 400, whatever their case', async () => {
      for (const alias of ['links', 'API', 'Assets', 'signup', 'ab', 'a'.repeat(65), 'has space', 'slash/y', 'dot.s']) {
        await expectRejected(() => asAlice().create({ url: 'https://example.com/alias', alias }), 400);
      }
    });

    it('R7.6 answers a taken alias with 409 and leaves the original link unchanged', async () => {
      const alias = `taken-${Date.now()}`;
      const original = await created(await asAlice().create({ url: 'https://example.com/original', alias }));
      await expectRejected(
        () => apiClient(system, bob.accessToken).create({ url: 'https://example.com/hijack', alias }),
        409,
      );
      await expectRejected(() => asAlice().create({ url: 'https://example.com/again', alias }), 409);
      const response = await apiClient(system).visit(original.link, 'HEAD');
      expect(response.headers.get('location')).toBe('https://example.com/original');
    });

    it('R7.6 rejects malformed and non-object JSON bodies with 400', async () => {
      for (const body of ['{"url": ', 'not json', '[]', '"https://example.com"', '42', 'null', '']) {
        await expectRejected(() => asAlice().request('POST', '/links', body), 400);
      }
    });

    it('R3.5 rejects a body over 64 KiB with 413', async () => {
      const body = JSON.stringify({ url: 'https://example.com/big', padding: 'x'.repeat(64 * 1024) });
      await expectRejected(() => asAlice().request('POST', '/links', body), 413);
    });

    it('R7.6 rejects a malformed cursor, another user’s cursor and limits outside 1-100 with 400', async () => {
      for (let i = 0; i < 3; i += 1) await created(await asAlice().create({ url: `https://example.com/c/${i}` }));
      const page = (await (await asAlice().list('?limit=1')).json()) as LinkList;
      expect(page.nextCursor).toEqual(expect.any(String));
      const bobApi = apiClient(system, bob.accessToken);
      await expectRejected(() => bobApi.list(`?cursor=${page.nextCursor}`), 400);
      for (const query of [
        '?cursor=not-a-cursor',
        '?cursor=%7B%7D',
        '?limit=0',
        '?limit=101',
        '?limit=-1',
        '?limit=abc',
      ]) {
        await expectRejected(() => asAlice().list(query), 400);
      }
      expect((await asAlice().list('?limit=100')).status).toBe(200);
      expect((await asAlice().list('?limit=1')).status).toBe(200);
    });

    it('R3.2 answers a method a path does not serve with 405', async () => {
      await expectRejected(() => asAlice().request('PUT', '/links', { url: 'https://example.com/put' }), 405);
      await expectRejected(() => asAlice().request('PUT', '/links/abc'), 405);
      await expectRejected(() => asAlice().request('POST', '/abc', {}), 405);
      await expectRejected(() => asAlice().request('DELETE', '/abc'), 405);
    });

    it('R3.3 answers an unknown path with 404 JSON', async () => {
      await expectRejected(() => asAlice().request('GET', '/a/b/c'), 404);
      await expectRejected(() => asAlice().request('GET', '/links/abc/extra'), 404);
    });
  });
});
