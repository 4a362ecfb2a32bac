// Every row of the API table for /links, the link shape, paging and the link rules, over HTTP only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  asPerson,
  bootWithUser,
  createLink,
  errorBody,
  eventually,
  type Link,
  newUser,
  type PageConfig,
  type Shortener,
  type User,
} from './harness.ts';

let shortener: Shortener;
let config: PageConfig;
let alice: User;
let bob: User;
let port: string;

const unique = () => `a${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  ({ shortener, config, user: alice } = await bootWithUser());
  bob = await newUser(config.cognito);
  port = new URL(shortener.url).port;
});

afterAll(async () => {
  await shortener?.stop();
});

const create = (user: User, input: unknown) => createLink(shortener.url, user.accessToken, input);

async function expectError(response: Response, status: number, what = ''): Promise<void> {
  expect(response.status, `${what} -> ${response.status}`).toBe(status);
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  await errorBody(response);
}

const rejectUrl = async (url: unknown) =>
  expectError(await api(shortener.url, alice.accessToken).create({ url }), 400, JSON.stringify(url));

describe('contract', () => {
  describe('POST /links', () => {
    it('R1.1 R1.3 creates a random-code link: 201, exactly link/url/shortUrl/created/count/bots, absolute shortUrl on the printed origin', async () => {
      const before = Date.now();
      const response = await api(shortener.url, alice.accessToken).create({ url: 'https://example.com/a?b=c#d' });
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const link = (await response.json()) as Link;
      expect(Object.keys(link).sort()).toEqual(['bots', 'count', 'created', 'link', 'shortUrl', 'url']);
      expect(link.url).toBe('https://example.com/a?b=c#d');
      // Started with PORT=0: the printed URL names the port actually picked.
      expect(shortener.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      expect(link.shortUrl).toBe(`${shortener.url}/${link.link}`);
      expect(link.count).toBe(0);
      expect(link.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      const created = Date.parse(link.created);
      expect(created).toBeGreaterThanOrEqual(before - 1000);
      expect(created).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('R7.9 One origin: forwarded-host/proto and Host headers sent by a client cannot move shortUrl off the printed origin', async () => {
      const response = await api(shortener.url, alice.accessToken).send(
        'POST',
        '/links',
        { url: 'https://example.com/spoof' },
        { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      );
      expect(response.status).toBe(201);
      const link = (await response.json()) as Link;
      expect(link.shortUrl).toBe(`${shortener.url}/${link.link}`);
    });

    it('R3.1 random codes are at least 7 base62 characters and differ every time', async () => {
      const links = await Promise.all(
        Array.from({ length: 20 }, () => create(alice, { url: 'https://example.com/random' })),
      );
      const codes = links.map((link) => link.link);
      for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9]{7,}$/);
      expect(new Set(codes).size).toBe(codes.length);
    });

    it('R1.1 alias null counts as no alias', async () => {
      const link = await create(alice, { url: 'https://example.com/null-alias', alias: null });
      expect(link.link).toMatch(/^[A-Za-z0-9]{7,}$/);
    });

    it('R1.2 R3.3 accepts aliases of 3 and 64 characters of A-Z a-z 0-9 - _', async () => {
      for (const alias of [`x${unique().slice(0, 2)}`, `${unique()}-_${'Z9'.repeat(32)}`.slice(0, 64)]) {
        const link = await create(alice, { url: 'https://example.com/alias', alias });
        expect(link.link).toBe(alias);
        expect(link.shortUrl).toBe(`${shortener.url}/${alias}`);
      }
    });

    it('R3.3 rejects aliases that are too short, too long, or use other characters with 400', async () => {
      const tooLong = `a${'b'.repeat(64)}`;
      for (const alias of [
        'ab',
        '',
        tooLong,
        'has space',
        'dot.ted',
        'sl/ash',
        'ünï',
        'emoji😀x',
        'per%20cent',
        'q?x',
        'h#sh',
        42,
        true,
        ['abc'],
        { a: 1 },
      ]) {
        await expectError(
          await api(shortener.url, alice.accessToken).create({ url: 'https://example.com/', alias }),
          400,
          JSON.stringify(alias),
        );
      }
    });

    it('R3.4 rejects reserved words in any case with 400, including paths the shortener serves', async () => {
      for (const alias of [
        'links',
        'LINKS',
        'Api',
        'assets',
        'ASSETS',
        'static',
        'health',
        'admin',
        'Login',
        'logout',
        'signup',
        'config',
        'index',
      ]) {
        await expectError(
          await api(shortener.url, alice.accessToken).create({ url: 'https://example.com/', alias }),
          400,
          alias,
        );
      }
    });

    it('R1.4 concurrent creates of one alias: exactly one 201, every other 409, the winner is what redirects', async () => {
      const alias = `race${unique()}`;
      const users = [alice, bob];
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api(shortener.url, users[i % 2]?.accessToken).create({ url: `https://example.com/race/${i}`, alias }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array(11).fill(409)]);
      const winner = responses.find((response) => response.status === 201);
      if (!winner) throw new Error('no 201');
      const { url } = (await winner.json()) as Link;
      const head = await fetch(`${shortener.url}/${alias}`, { method: 'HEAD', redirect: 'manual' });
      expect(head.headers.get('location')).toBe(url);
    });

    it('R1.4 R3.5 taken alias -> 409, never overwritten; aliases are case-sensitive', async () => {
      const alias = `Case${unique()}`;
      await create(alice, { url: 'https://example.com/first', alias });
      const again = await api(shortener.url, bob.accessToken).create({ url: 'https://example.com/second', alias });
      await expectError(again, 409, 'same alias');
      const sameUser = await api(shortener.url, alice.accessToken).create({ url: 'https://example.com/third', alias });
      await expectError(sameUser, 409, 'same alias, same user');
      const head = await fetch(`${shortener.url}/${alias}`, { method: 'HEAD', redirect: 'manual' });
      expect(head.headers.get('location')).toBe('https://example.com/first');
      const lower = await create(bob, { url: 'https://example.com/lower', alias: alias.toLowerCase() });
      expect(lower.link).toBe(alias.toLowerCase());
      const headLower = await fetch(`${shortener.url}/${alias.toLowerCase()}`, { method: 'HEAD', redirect: 'manual' });
      expect(headLower.headers.get('location')).toBe('https://example.com/lower');
    });
  });

  describe('link rules', () => {
    it('R2.1 rejects non-http(s) schemes and relative URLs with 400', async () => {
      for (const url of [
        'javascript:alert(1)',
        'data:text/html,hi',
        'ftp://example.com/',
        'mailto:a@example.com',
        'file:///etc/passwd',
        'ws://example.com/',
        '/relative',
        'example.com',
        '//example.com/x',
      ]) {
        await rejectUrl(url);
      }
    });

    it('R2.1 rejects URLs without a host with 400', async () => {
      // (`http:///path` and `http:/host` are not here: WHATWG parses them as `http://path/` and `http://host/`.)
      for (const url of ['http://', 'https://', 'https://?q', 'https://#x', 'http://:80/']) await rejectUrl(url);
    });

    it('R2.2 rejects missing, empty and non-string url with 400', async () => {
      const client = api(shortener.url, alice.accessToken);
      await expectError(await client.create({}), 400, '{}');
      await expectError(await client.create({ alias: 'nourl123' }), 400, 'alias only');
      for (const url of ['', null, 42, true, ['https://example.com/'], { href: 'https://example.com/' }]) {
        await rejectUrl(url);
      }
    });

    it('R2.4 rejects credentials in the URL with 400', async () => {
      for (const url of [
        'https://user:pass@example.com/',
        'https://user@example.com/',
        'https://:pass@example.com/',
        'http://a%40b@example.com/',
      ]) {
        await rejectUrl(url);
      }
    });

    it('R2.3 rejects whitespace and control characters anywhere with 400 (no stripping)', async () => {
      for (const url of [
        ' https://example.com/',
        'https://example.com/ ',
        'https://exa mple.com/',
        'https://example.com/a b',
        'https://example.com/\t',
        'https://example.com/\n',
        '\nhttps://example.com/',
        'https://example.com/\r\nx',
        'https://example.com/\u0000',
        'https://example.com/\u0007',
        'https://example.com/\u007f',
        'https://example.com/\u00a0',
        'https://example.com/\u2028',
        'https://example.com/\u3000',
        'https://example.com/\u0085',
      ]) {
        await rejectUrl(url);
      }
    });

    it('R2.7 R2.8 rejects destinations pointing at the shortener itself (127.0.0.1, localhost, on its port) with 400', async () => {
      for (const url of [
        `${shortener.url}/`,
        `${shortener.url}/abc`,
        `http://127.0.0.1:${port}/links`,
        `http://localhost:${port}/`,
        `http://LOCALHOST:${port}/x`,
        `http://localhost.:${port}/x`,
        `http://127.1:${port}/x`,
        `http://0x7f000001:${port}/x`,
        `http://[::1]:${port}/x`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        `http://[0:0:0:0:0:0:0:1]:${port}/`,
        `http://0.0.0.0:${port}/`,
        `http://foo.localhost:${port}/`,
        `http://127.0.0.1.:${port}/`,
        `http://127.0.0.2:${port}/`,
        `http://2130706433:${port}/`,
        `http://localhost:${port}`,
        `HTTP://LocalHost:${port}/#x`,
        `http://127.0.0.1:0${port}/`,
      ]) {
        await rejectUrl(url);
      }
    });

    it('R2.7 rejects the shortener under the other scheme, accepts the same host on another port', async () => {
      await rejectUrl(`https://127.0.0.1:${port}/`);
      await rejectUrl(`https://localhost:${port}/x`);
      const other = Number(port) === 65535 ? 65534 : Number(port) + 1;
      const link = await create(alice, { url: `http://127.0.0.1:${other}/` });
      expect(link.url).toBe(`http://127.0.0.1:${other}/`);
    });

    it('R2.5 stores and returns the WHATWG serialisation (punycode hosts, percent-encoded non-ASCII)', async () => {
      const cases: [string, string][] = [
        ['https://bücher.example/straße?q=ä#ö', 'https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4#%C3%B6'],
        ['HTTPS://EXAMPLE.COM:443/a/../b', 'https://example.com/b'],
        ['http://example.com:80', 'http://example.com/'],
        ['https://例え.テスト/パス', 'https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9'],
        ['https://example.com/a%20b', 'https://example.com/a%20b'],
        ['https://example.com/"<>`{}', 'https://example.com/%22%3C%3E%60%7B%7D'],
      ];
      for (const [input, stored] of cases) {
        expect(new URL(input).href).toBe(stored);
        const link = await create(alice, { url: input });
        expect(link.url, input).toBe(stored);
      }
    });

    it('R2.6 the 2,048 limit applies to the normalised form', async () => {
      const base = 'https://example.com/';
      const exact = `${base}${'a'.repeat(2048 - base.length)}`;
      expect((await create(alice, { url: exact })).url).toHaveLength(2048);
      await rejectUrl(`${exact}a`);
      // 600 'é' are 600 characters as sent but 3,600 once percent-encoded.
      const grows = `${base}${'é'.repeat(600)}`;
      expect(grows.length).toBeLessThan(2048);
      await rejectUrl(grows);
      // A form that shrinks when normalised: ../ segments removed.
      const shrinks = `https://example.com/${'x/../'.repeat(500)}ok`;
      expect(shrinks.length).toBeGreaterThan(2048);
      expect((await create(alice, { url: shrinks })).url).toBe('https://example.com/ok');
    });
  });

  describe('GET /links', () => {
    it("R4.1 lists only the caller's links, newest first, with the full link shape", async () => {
      const carol = await newUser(config.cognito);
      const dave = await newUser(config.cognito);
      const made: Link[] = [];
      for (let i = 0; i < 3; i++) made.push(await create(carol, { url: `https://example.com/carol/${i}` }));
      await create(dave, { url: 'https://example.com/dave' });
      const response = await api(shortener.url, carol.accessToken).list();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { items: Link[]; nextCursor?: string };
      expect(Object.keys(body)).toEqual(['items']);
      expect(body.items).toEqual([...made].reverse());
    });

    it('R4.2 R4.4 R4.5 default page of 20, nextCursor until the last page, newest first across pages', async () => {
      const erin = await newUser(config.cognito);
      const client = api(shortener.url, erin.accessToken);
      const empty = (await (await client.list()).json()) as { items: Link[]; nextCursor?: string };
      expect(empty).toEqual({ items: [] });
      const made: Link[] = [];
      for (let i = 0; i < 23; i++) made.push(await create(erin, { url: `https://example.com/erin/${i}` }));
      const newestFirst = made.map((link) => link.link).reverse();
      const first = (await (await client.list()).json()) as { items: Link[]; nextCursor?: string };
      expect(first.items.map((item) => item.link)).toEqual(newestFirst.slice(0, 20));
      expect(typeof first.nextCursor).toBe('string');
      const second = (await (await client.list(`?cursor=${encodeURIComponent(first.nextCursor ?? '')}`)).json()) as {
        items: Link[];
        nextCursor?: string;
      };
      expect(second.items.map((item) => item.link)).toEqual(newestFirst.slice(20));
      expect(second.nextCursor).toBeUndefined();
      // Exactly a full last page: no nextCursor leading to an empty page.
      const exact = (await (await client.list('?limit=23')).json()) as { items: Link[]; nextCursor?: string };
      expect(exact.items).toHaveLength(23);
      expect(exact.nextCursor).toBeUndefined();
      const all = (await (await client.list('?limit=100')).json()) as { items: Link[] };
      expect(all.items.map((item) => item.link)).toEqual(newestFirst);
    });

    it('R4.2 limit=1 and limit=100 are accepted; paging by 1 visits every link once', async () => {
      const fay = await newUser(config.cognito);
      const client = api(shortener.url, fay.accessToken);
      const made: string[] = [];
      for (let i = 0; i < 4; i++) made.push((await create(fay, { url: `https://example.com/fay/${i}` })).link);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const query = `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await (await client.list(query)).json()) as { items: Link[]; nextCursor?: string };
        expect(page.items.length).toBe(1);
        seen.push(...page.items.map((item) => item.link));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 10);
      expect(seen).toEqual(made.reverse());
      expect((await client.list('?limit=100')).status).toBe(200);
    });

    it('R4.3 rejects limits outside 1-100 or not integers with 400', async () => {
      const client = api(shortener.url, alice.accessToken);
      for (const limit of ['0', '101', '-1', '1.5', 'abc', '', '1e1', '0x10', '20abc', '99999999999999999999', ' 5']) {
        await expectError(await client.list(`?limit=${encodeURIComponent(limit)}`), 400, `limit=${limit}`);
      }
    });

    it('R4.6 rejects malformed or altered cursors with 400', async () => {
      const client = api(shortener.url, alice.accessToken);
      const page = (await (await client.list('?limit=1')).json()) as { nextCursor?: string };
      const cursor = page.nextCursor ?? '';
      expect(cursor).not.toBe('');
      const altered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`;
      for (const bad of [
        'x',
        'not-a-cursor!!',
        '%%%',
        Buffer.from('{"created":"x","link":"y"}').toString('base64url'),
        altered,
        `${cursor}x`,
        '',
      ]) {
        const response = await client.list(`?limit=1&cursor=${encodeURIComponent(bad)}`);
        if (bad === '') {
          // An empty cursor is either "start" or invalid; never a 500.
          expect([200, 400]).toContain(response.status);
          continue;
        }
        await expectError(response, 400, `cursor=${bad}`);
      }
    });

    it("R4.7 another user's cursor -> 400, never their data", async () => {
      const page = (await (await api(shortener.url, alice.accessToken).list('?limit=1')).json()) as {
        nextCursor?: string;
      };
      expect(page.nextCursor).toBeDefined();
      const response = await api(shortener.url, bob.accessToken).list(
        `?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? '')}`,
      );
      await expectError(response, 400, "alice's cursor used by bob");
    });

    it('R4.5 a cursor stays valid after links on earlier pages (including its own last item) are deleted', async () => {
      const gus = await newUser(config.cognito);
      const client = api(shortener.url, gus.accessToken);
      const made: string[] = [];
      for (let i = 0; i < 6; i++) made.push((await create(gus, { url: `https://example.com/gus/${i}` })).link);
      const newestFirst = [...made].reverse();
      const first = (await (await client.list('?limit=2')).json()) as { items: Link[]; nextCursor?: string };
      expect(first.items.map((item) => item.link)).toEqual(newestFirst.slice(0, 2));
      for (const item of first.items) expect((await client.remove(item.link)).status).toBe(204);
      const second = (await (
        await client.list(`?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
      ).json()) as {
        items: Link[];
        nextCursor?: string;
      };
      expect(second.items.map((item) => item.link)).toEqual(newestFirst.slice(2, 4));
    });
  });

  describe('DELETE /links/{link}', () => {
    it('R5.1 the creator deletes: 204 with no body, then the short link is 404 and gone from the list', async () => {
      const link = await create(alice, { url: 'https://example.com/to-delete' });
      const response = await api(shortener.url, alice.accessToken).remove(link.link);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      expect((await fetch(`${shortener.url}/${link.link}`, asPerson)).status).toBe(404);
      const list = (await (await api(shortener.url, alice.accessToken).list('?limit=100')).json()) as { items: Link[] };
      expect(list.items.map((item) => item.link)).not.toContain(link.link);
      await expectError(await api(shortener.url, alice.accessToken).remove(link.link), 404, 'second delete');
    });

    it('R5.1 a link deleted right after clicks stays deleted once those clicks are processed (never resurrected)', async () => {
      const client = api(shortener.url, alice.accessToken);
      const link = await create(alice, { url: 'https://example.com/clicked-then-deleted' });
      for (let i = 0; i < 3; i++) expect((await fetch(link.shortUrl, asPerson)).status).toBe(301);
      expect((await client.remove(link.link)).status).toBe(204);
      // A later click on another link: once it is counted, the stream has passed the deleted link's clicks.
      const control = await create(alice, { url: 'https://example.com/control' });
      await fetch(control.shortUrl, asPerson);
      const items = await eventually(
        async () => {
          const body = (await (await client.list('?limit=100')).json()) as { items: Link[] };
          return body.items.find((item) => item.link === control.link)?.count === 1 ? body.items : undefined;
        },
        10_000,
        'control click counted',
      );
      expect(items.map((item) => item.link)).not.toContain(link.link);
      expect((await fetch(link.shortUrl, asPerson)).status).toBe(404);
    });

    it("R5.2 someone else's link -> 404 and it keeps working; unknown -> 404", async () => {
      const link = await create(alice, { url: 'https://example.com/alices' });
      await expectError(await api(shortener.url, bob.accessToken).remove(link.link), 404, "bob deletes alice's");
      const still = await fetch(`${shortener.url}/${link.link}`, { method: 'HEAD', redirect: 'manual' });
      expect(still.status).toBe(301);
      await expectError(await api(shortener.url, alice.accessToken).remove('NoSuchCode9'), 404, 'unknown');
      await expectError(await api(shortener.url, alice.accessToken).remove('x'), 404, 'impossible code');
    });

    it('R3.5 R5.2 deleting with the wrong case of an alias does not delete the alias', async () => {
      const alias = `Del${unique()}`;
      await create(alice, { url: 'https://example.com/case-del', alias });
      await expectError(await api(shortener.url, alice.accessToken).remove(alias.toUpperCase()), 404, 'upper case');
      expect((await fetch(`${shortener.url}/${alias}`, { method: 'HEAD', redirect: 'manual' })).status).toBe(301);
    });
  });
});
