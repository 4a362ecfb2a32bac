// GET/HEAD /{link}: status, Location, caching, click counting, the 404 page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  asPerson,
  bootWithUser,
  createLink,
  eventually,
  type Link,
  raw,
  type Shortener,
  type User,
} from './harness.ts';

let shortener: Shortener;
let user: User;

beforeAll(async () => {
  ({ shortener, user } = await bootWithUser());
});

afterAll(async () => {
  await shortener?.stop();
});

const create = (input: { url: string; alias?: string }) => createLink(shortener.url, user.accessToken, input);

async function countOf(code: string): Promise<number> {
  const body = (await (await api(shortener.url, user.accessToken).list('?limit=100')).json()) as { items: Link[] };
  const item = body.items.find((link) => link.link === code);
  if (!item) throw new Error(`${code} not listed`);
  return item.count;
}

/**
 * Waits for `expected` clicks on `code`, then proves no more are coming: a fresh control click is put
 * on the stream after every retry of the earlier ones, so once it is counted they have all been applied.
 */
async function expectSettledCount(code: string, expected: number, clicksEndedAt: number): Promise<void> {
  await eventually(async () => ((await countOf(code)) >= expected ? true : undefined), 10_000, `count ${expected}`);
  expect(Date.now() - clicksEndedAt, 'count visible within 10 s').toBeLessThan(10_000);
  const control = await create({ url: 'https://example.com/control' });
  expect((await fetch(control.shortUrl, asPerson)).status).toBe(301);
  await eventually(async () => ((await countOf(control.link)) === 1 ? true : undefined), 10_000, 'control click');
  expect(await countOf(code)).toBe(expected);
}

/** Every directive that stops a browser or CDN from reusing a response without asking. */
function expectNoReuse(cacheControl: string | null | undefined): void {
  const directives = new Set(
    String(cacheControl ?? '')
      .toLowerCase()
      .split(',')
      .map((part) => part.trim()),
  );
  expect(directives.has('no-store'), `cache-control: ${cacheControl}`).toBe(true);
  expect(directives.has('private') || directives.has('no-cache'), `cache-control: ${cacheControl}`).toBe(true);
  for (const directive of directives) expect(directive).not.toMatch(/^(s-maxage|max-age)=[1-9]/);
}

describe('contract', () => {
  it('R6.1 R6.2 GET /{link} -> 301, Location exactly the stored url, caching forbidden', async () => {
    const link = await create({ url: 'https://example.com/path?x=1&y=%20#frag' });
    const response = await fetch(link.shortUrl, asPerson);
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(link.url);
    expectNoReuse(response.headers.get('cache-control'));
  });

  it('R6.1 Location is the WHATWG form for IDN and non-ASCII destinations, byte for byte on the wire', async () => {
    const cases: [string, string][] = [
      ['https://bücher.example/straße?q=ä#ö', 'https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4#%C3%B6'],
      ['https://пример.рф/путь', 'https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C'],
      ['https://example.com/emoji/😀', 'https://example.com/emoji/%F0%9F%98%80'],
      ['https://EXAMPLE.com/a/./b/../c', 'https://example.com/a/c'],
    ];
    for (const [input, stored] of cases) {
      const link = await create({ url: input });
      expect(link.url).toBe(stored);
      const response = await raw(shortener.url, 'GET', `/${link.link}`);
      expect(response.status, input).toBe(301);
      expect(response.headers.location, input).toBe(stored);
    }
  });

  it('R6.4 HEAD /{link} -> 301 with the same Location and no-reuse caching, not counted as a click', async () => {
    const link = await create({ url: 'https://example.com/head-only' });
    for (let i = 0; i < 3; i++) {
      const response = await fetch(link.shortUrl, { method: 'HEAD', redirect: 'manual' });
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe(link.url);
      expectNoReuse(response.headers.get('cache-control'));
    }
    // A GET after the HEADs is the one click; once it shows, the HEADs would have shown too.
    await fetch(link.shortUrl, asPerson);
    await eventually(async () => ((await countOf(link.link)) >= 1 ? true : undefined), 10_000, 'GET counted');
    expect(await countOf(link.link)).toBe(1);
  });

  it('Redirects: every GET shows in count within 10 s in local mode, each counted once', async () => {
    const link = await create({ url: 'https://example.com/counted' });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 5 }, async () => expect((await fetch(link.shortUrl, asPerson)).status).toBe(301)),
    );
    await expectSettledCount(link.link, 5, started);
  });

  it('R6.5 unknown code -> 404 HTML page with no-reuse caching (GET and HEAD)', async () => {
    for (const code of ['NoSuchCode1', 'abc', 'x', 'a'.repeat(65), 'links-nope']) {
      const response = await fetch(`${shortener.url}/${code}`, asPerson);
      expect(response.status, code).toBe(404);
      expect(response.headers.get('content-type'), code).toMatch(/^text\/html/);
      expectNoReuse(response.headers.get('cache-control'));
      expect(await response.text()).toMatch(/<html/i);
      const head = await fetch(`${shortener.url}/${code}`, { method: 'HEAD', redirect: 'manual' });
      expect(head.status, `HEAD ${code}`).toBe(404);
    }
  });

  it('R6.5 a deleted link -> 404 page, not the old redirect', async () => {
    const link = await create({ url: 'https://example.com/deleted' });
    expect((await fetch(link.shortUrl, asPerson)).status).toBe(301);
    expect((await api(shortener.url, user.accessToken).remove(link.link)).status).toBe(204);
    const after = await fetch(link.shortUrl, asPerson);
    expect(after.status).toBe(404);
    expect(after.headers.get('location')).toBeNull();
  });

  it('R1.7 an alias deleted and created again starts at count 0 and counts only its own clicks', async () => {
    const alias = `re${Math.random().toString(36).slice(2, 9)}`;
    const client = api(shortener.url, user.accessToken);
    const old = await create({ url: 'https://example.com/old', alias });
    for (let i = 0; i < 3; i++) expect((await fetch(old.shortUrl, asPerson)).status).toBe(301);
    // Deleted and re-created well inside the consumer's batching window, as when fixing a typo.
    expect((await client.remove(alias)).status).toBe(204);
    const renewed = await create({ url: 'https://example.com/new', alias });
    expect(renewed.count).toBe(0);
    for (let i = 0; i < 2; i++) expect((await fetch(renewed.shortUrl, asPerson)).status).toBe(301);
    await expectSettledCount(alias, 2, Date.now());
  });

  it('R3.5 codes are case-sensitive on redirect', async () => {
    const alias = `Rd${Math.random().toString(36).slice(2, 9)}`;
    await create({ url: 'https://example.com/case', alias });
    expect((await fetch(`${shortener.url}/${alias}`, asPerson)).status).toBe(301);
    expect((await fetch(`${shortener.url}/${alias.toUpperCase()}`, asPerson)).status).toBe(404);
  });

  it('Redirects: no auth needed, and a bearer token or query string changes nothing', async () => {
    const link = await create({ url: 'https://example.com/public' });
    const withQuery = await fetch(`${link.shortUrl}?utm=1`, asPerson);
    expect(withQuery.status).toBe(301);
    expect(withQuery.headers.get('location')).toBe(link.url);
    const withBadToken = await fetch(link.shortUrl, { redirect: 'manual', headers: { authorization: 'Bearer x' } });
    expect(withBadToken.status).toBe(301);
  });

  it('Redirects are never rate-limited in local mode: 200 GETs, 20 at a time, all 301 and counted exactly 200', async () => {
    const link = await create({ url: 'https://example.com/busy' });
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, async () => (await fetch(link.shortUrl, asPerson)).status),
      );
      statuses.push(...batch);
    }
    expect(statuses.every((status) => status === 301)).toBe(true);
    await expectSettledCount(link.link, 200, Date.now());
  });
});
