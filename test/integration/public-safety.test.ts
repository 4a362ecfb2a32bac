// Issue 12's API side over HTTP against the local system: quotas and the request rate, an operator's
// takedown through the API, and a second user unable to touch anything of the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../lambdas/adapters/json-logger.ts';
import { createUser, makeOperator, type TestUser } from '../support/cognito.ts';
import {
  apiClient,
  type Link,
  startTestSystem,
  type TestSystem,
  tableSnapshot,
  waitFor,
} from '../support/local-system.ts';

const LIMITS = { linksPerDay: 3, bulkRowsPerDay: 4, requestsPerMinute: 40 };

describe('public-safety', () => {
  let system: TestSystem;
  const logged: Record<string, unknown>[] = [];
  const newUser = () => createUser(system.pageConfig.cognito);
  const as = (user: TestUser) => apiClient(system, user.accessToken);
  const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

  beforeAll(async () => {
    system = await startTestSystem({
      limits: LIMITS,
      consumer: { maxBatchingWindowSeconds: 0.2, pollIntervalMs: 100 },
      decorators: { logger: { ...jsonLogger(), info: (message, fields) => logged.push({ message, ...fields }) } },
    });
  });
  afterAll(() => system?.dispose());

  it('R1.1 R1.5 the day’s links quota answers 429 with Retry-After, and creates nothing more', async () => {
    const user = await newUser();
    for (let i = 0; i < LIMITS.linksPerDay; i++) {
      expect((await as(user).create({ url: `https://example.com/q${i}` })).status).toBe(201);
    }
    const before = await tableSnapshot(system);
    const refused = await as(user).create({ url: 'https://example.com/one-too-many' });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 60 * 60);
    expect(((await refused.json()) as { error: string }).error).toMatch(/quota/);
    expect(await tableSnapshot(system)).toEqual(before);
    // Another user is not affected.
    expect((await as(await newUser()).create({ url: 'https://example.com/other' })).status).toBe(201);
  });

  it('R1.2 R1.5 bulk rows over the day’s bulk quota are 429 each', async () => {
    const user = await newUser();
    const rows = Array.from({ length: 6 }, (_, i) => ({ url: `https://example.com/b${i}` }));
    const dry = (await (await as(user).bulk({ links: rows, dryRun: true })).json()) as {
      results: { status: number }[];
    };
    expect(dry.results.map((r) => r.status)).toEqual([201, 201, 201, 201, 429, 429]);
    const real = (await (await as(user).bulk({ links: rows })).json()) as { results: { status: number }[] };
    expect(real.results.map((r) => r.status)).toEqual([201, 201, 201, 201, 429, 429]);
  });

  it('R2.1 more requests than the minute allows answer 429 with Retry-After', async () => {
    const user = await newUser();
    let refused: Response | undefined;
    // Twice the limit and one: whatever minute boundary falls inside, one minute sees more than the limit.
    for (let i = 0; i <= 2 * LIMITS.requestsPerMinute && !refused; i++) {
      const response = await as(user).list();
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(200);
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Redirects are not rate-limited.
    const owner = await newUser();
    const link = (await (await as(owner).create({ url: 'https://example.com/hot' })).json()) as Link;
    for (let i = 0; i < LIMITS.requestsPerMinute + 5; i++)
      expect((await as(owner).visit(link.link, 'HEAD')).status).toBe(301);
  });

  it('R5.1 R5.2 R5.3 R5.4 R5.5 an operator takes a link down through the API and restores it', async () => {
    const owner = await newUser();
    const operator = await makeOperator(system.pageConfig.cognito, await newUser());
    const alias = unique('takedown');
    await as(owner).create({ url: 'https://example.com/phish', alias });

    // Someone who is not an operator cannot.
    expect((await as(owner).moderate(alias, 'disable', 'not mine to judge')).status).toBe(403);

    const disabled = await as(operator).moderate(alias, 'disable', 'phishing report 77');
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as Link).disabled).toEqual({
      reason: 'phishing report 77',
      at: expect.any(String),
    });
    expect(logged).toContainEqual({
      message: 'link disabled by operator',
      action: 'disable',
      link: alias,
      operator: operator.sub,
      reason: 'phishing report 77',
      owner: owner.sub,
    });

    for (const method of ['GET', 'HEAD'] as const) expect((await as(owner).visit(alias, method)).status).toBe(410);
    const page = await as(owner).visit(alias);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('disabled');

    const before = await tableSnapshot(system);
    expect((await as(owner).edit(alias, { url: 'https://example.com/phish2' })).status).toBe(403);
    expect(await tableSnapshot(system)).toEqual(before);
    expect(((await (await as(owner).get(alias)).json()) as Link).disabled?.reason).toBe('phishing report 77');

    // No visit while disabled was counted: a later counted visit drains the stream past them.
    expect((await as(operator).moderate(alias, 'enable', 'cleared after review')).status).toBe(200);
    expect((await as(owner).visit(alias)).status).toBe(301);
    await waitFor(async () => (((await (await as(owner).get(alias)).json()) as Link).count >= 1 ? true : undefined), {
      what: 'the visit after restoring to be counted',
    });
    expect(((await (await as(owner).get(alias)).json()) as Link).count).toBe(1);
  });

  it('R5.5 a second user can touch nothing of the first', async () => {
    const first = await newUser();
    const second = await newUser();
    const alias = unique('private');
    const created = (await (await as(first).create({ url: 'https://example.com/private', alias })).json()) as Link;
    await as(first).create({ url: 'https://example.com/private2' });
    const page = (await (await as(first).list('?limit=1')).json()) as { nextCursor?: string };
    const before = await tableSnapshot(system);

    expect((await as(second).get(alias)).status).toBe(404);
    expect((await as(second).edit(alias, { url: 'https://evil.example/' })).status).toBe(404);
    expect((await as(second).edit(alias, { expiresAt: null })).status).toBe(404);
    expect((await as(second).remove(alias)).status).toBe(404);
    expect((await as(second).moderate(alias, 'disable', 'mine now')).status).toBe(403);
    expect((await as(second).create({ url: 'https://evil.example/', alias })).status).toBe(409);
    const bulk = (await (await as(second).bulk({ links: [{ url: 'https://evil.example/', alias }] })).json()) as {
      results: { status: number }[];
    };
    expect(bulk.results[0]?.status).toBe(409);
    expect((await as(second).list(`?cursor=${page.nextCursor}`)).status).toBe(400);
    const listed = (await (await as(second).list()).json()) as { items: Link[] };
    expect(listed.items).toEqual([]);
    expect(await tableSnapshot(system)).toEqual(before);
    expect((await as(second).visit(alias, 'HEAD')).headers.get('location')).toBe(created.url);
  });

  it('R3.4 R4.2 local mode refuses loops through its own origins and keeps other loopback destinations', async () => {
    const user = await newUser();
    for (const url of [`${system.url}/x`, `http://localhost:${system.port}/`, `https://127.0.0.1:${system.port}/`]) {
      expect((await as(user).create({ url })).status, url).toBe(400);
    }
    expect((await as(user).create({ url: 'http://169.254.169.254/latest/meta-data/' })).status).toBe(400);
    expect((await as(user).create({ url: 'https://bit.ly/abc' })).status).toBe(400);
    expect((await as(user).create({ url: 'http://127.0.0.1:5173/dev' })).status).toBe(201);
  });
});
