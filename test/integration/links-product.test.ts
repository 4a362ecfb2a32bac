// Issue 10's contract cases over HTTP against the local system, with real cognito-local tokens; every
// API response is checked against the OpenAPI document the system serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../support/cognito.ts';
import {
  apiClient,
  type Link,
  startTestSystem,
  type TestSystem,
  tableSnapshot,
  waitFor,
} from '../support/local-system.ts';
import { checkedFetch, openApiChecker } from '../support/openapi.ts';

type Row = { index: number; status: number; link?: Link; error?: string };

describe('links-api', () => {
  let system: TestSystem;
  let alice: TestUser;
  let bob: TestUser;
  let checker: ReturnType<typeof openApiChecker>;

  beforeAll(async () => {
    system = await startTestSystem({ consumer: { maxBatchingWindowSeconds: 0.2, pollIntervalMs: 100 } });
    [alice, bob] = await Promise.all([createUser(system.pageConfig.cognito), createUser(system.pageConfig.cognito)]);
    const served = await fetch(`${system.url}/openapi.json`);
    expect(served.status).toBe(200);
    checker = openApiChecker((await served.json()) as Record<string, unknown>);
  });
  afterAll(() => system?.dispose());

  /** The API as `user`, every answer checked against the served OpenAPI document. */
  const as = (user: TestUser) => {
    const client = apiClient(system, user.accessToken);
    const checked = checkedFetch(checker);
    return {
      create: (input: { url: string; alias?: string; expiresAt?: string }) =>
        checked('POST', '/links', () => client.create(input)),
      bulk: (body: unknown) => checked('POST', '/links/bulk', () => client.bulk(body)),
      get: (code: string) => checked('GET', `/links/${code}`, () => client.get(code)),
      edit: (code: string, changes: unknown) => checked('PATCH', `/links/${code}`, () => client.edit(code, changes)),
      remove: (code: string) => checked('DELETE', `/links/${code}`, () => client.remove(code)),
      list: (query = '') => checked('GET', `/links${query}`, () => client.list(query)),
    };
  };
  const visit = (code: string, method: 'GET' | 'HEAD' = 'GET') => apiClient(system).visit(code, method);
  const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

  it('R14.1 serves the OpenAPI 3.1 document without a token', async () => {
    const response = await fetch(`${system.url}/openapi.json`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('R9.1 R9.2 gets one’s own link; someone else’s or an unknown one is 404', async () => {
    const alias = unique('get');
    const created = await as(alice).create({ url: 'https://example.com/get', alias });
    expect(created.status).toBe(201);
    const own = await as(alice).get(alias);
    expect(own.status).toBe(200);
    expect(own.json).toEqual(created.json);
    expect((await as(bob).get(alias)).status).toBe(404);
    expect((await as(alice).get(unique('none'))).status).toBe(404);
  });

  it('R10.1 R10.2 R10.5 R10.6 edits apply to the next visit; someone else’s edit is 404, a javascript: URL 400', async () => {
    const alias = unique('edit');
    await as(alice).create({ url: 'https://example.com/before', alias });
    const before = await tableSnapshot(system);
    expect((await as(bob).edit(alias, { url: 'https://evil.example/' })).status).toBe(404);
    expect((await as(alice).edit(alias, { url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await as(alice).edit(alias, {})).status).toBe(400);
    expect((await as(alice).edit(alias, { expiresAt: '2001-01-01T00:00:00Z' })).status).toBe(400);
    expect(await tableSnapshot(system)).toEqual(before);

    const edited = await as(alice).edit(alias, { url: 'https://example.com/after' });
    expect(edited.status).toBe(200);
    expect((edited.json as Link).url).toBe('https://example.com/after');
    expect((await visit(alias, 'HEAD')).headers.get('location')).toBe('https://example.com/after');
  });

  it('R11.1 refuses an expiry in the past with 400 and stores nothing', async () => {
    const before = await tableSnapshot(system);
    const response = await as(alice).create({ url: 'https://example.com/', expiresAt: '2020-01-01T00:00:00Z' });
    expect(response.status).toBe(400);
    expect(await tableSnapshot(system)).toEqual(before);
  });

  it('R11.2 R11.3 an expired link answers 410 and counts nothing; it stays in the list until edited', async () => {
    const alias = unique('expiring');
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await as(alice).create({ url: 'https://example.com/expiring', alias, expiresAt });
    expect(created.status).toBe(201);
    expect((created.json as Link).expiresAt).toBe(expiresAt);
    // HEAD counts nothing, so it can watch for the expiry.
    await waitFor(async () => ((await visit(alias, 'HEAD')).status === 410 ? true : undefined), {
      what: 'the link to expire',
    });
    for (let i = 0; i < 3; i++) {
      const response = await visit(alias);
      expect(response.status).toBe(410);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('expired');
    }
    // A click on another link after those visits: once it is counted, the stream has been drained past them.
    const marker = unique('marker');
    await as(alice).create({ url: 'https://example.com/marker', alias: marker });
    expect((await visit(marker)).status).toBe(301);
    await waitFor(async () => (((await as(alice).get(marker)).json as Link).count === 1 ? true : undefined), {
      what: 'the marker click to be counted',
    });
    expect(((await as(alice).get(alias)).json as Link).count).toBe(0);
    const listed = ((await as(alice).list('?limit=100')).json as { items: Link[] }).items;
    expect(listed.find((item) => item.link === alias)).toMatchObject({ expiresAt });

    expect((await as(alice).edit(alias, { expiresAt: null })).status).toBe(200);
    expect((await visit(alias, 'HEAD')).status).toBe(301);
  });

  it('R12.2 R12.3 a deleted alias is 409 for another user and 201 for its creator', async () => {
    const alias = unique('retired');
    await as(alice).create({ url: 'https://example.com/first', alias });
    expect((await as(alice).remove(alias)).status).toBe(204);
    expect((await visit(alias)).status).toBe(404);
    const taken = await as(bob).create({ url: 'https://example.com/squat', alias });
    expect(taken.status).toBe(409);
    expect((await as(bob).bulk({ links: [{ url: 'https://example.com/squat', alias }] })).json).toMatchObject({
      results: [{ index: 0, status: 409 }],
    });
    const again = await as(alice).create({ url: 'https://example.com/second', alias });
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ link: alias, url: 'https://example.com/second', count: 0 });
  });

  it('R13.2 R13.3 R13.4 bulk with mixed good and bad rows answers each in order', async () => {
    const alias = unique('bulk');
    const rows = [
      { url: 'https://example.com/b1' },
      { url: 'ftp://example.com/' },
      { url: 'https://example.com/b2', alias },
      { url: 'https://example.com/b3', alias },
      { url: 'https://example.com/b4', expiresAt: '2001-01-01T00:00:00Z' },
    ];
    const response = await as(alice).bulk({ links: rows });
    expect(response.status).toBe(200);
    const results = (response.json as { results: Row[] }).results;
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 201],
      [3, 409],
      [4, 400],
    ]);
    expect(results[2]?.link?.shortUrl).toBe(`${system.url}/${alias}`);
    expect((await visit(alias, 'HEAD')).headers.get('location')).toBe('https://example.com/b2');
  });

  it('R13.5 a dry run writes nothing and says what would happen', async () => {
    const alias = unique('dry');
    const before = await tableSnapshot(system);
    const response = await as(alice).bulk({
      dryRun: true,
      links: [
        { url: 'https://example.com/d1', alias },
        { url: 'https://example.com/d2', alias },
        { url: 'mailto:someone@example.com' },
        { url: 'https://example.com/d3' },
      ],
    });
    expect(response.status).toBe(200);
    expect((response.json as { results: Row[] }).results.map((r) => r.status)).toEqual([201, 409, 400, 201]);
    expect(await tableSnapshot(system)).toEqual(before);
    expect((await visit(alias)).status).toBe(404);
  });

  it('R13.1 refuses more than 1,000 rows with 400 and a body over 1 MiB with 413', async () => {
    const before = await tableSnapshot(system);
    const tooMany = await as(alice).bulk({
      links: Array.from({ length: 1001 }, () => ({ url: 'https://e.example/' })),
    });
    expect(tooMany.status).toBe(400);
    const url = `https://example.com/${'x'.repeat(2000)}`;
    const tooBig = await as(alice).bulk({ links: Array.from({ length: 600 }, () => ({ url })) });
    expect(tooBig.status).toBe(413);
    expect(await tableSnapshot(system)).toEqual(before);
  });

  it('R14.4 the responses above all validated against the document', () => {
    expect(checker.checked).toBeGreaterThan(20);
  });
});
