// Click analytics through the real pipeline of local mode: the redirect classifies each visit, the
// stream carries only the classes, and the consumer's per-day items answer GET /links/{link}/stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../support/cognito.ts';
import {
  apiClient,
  BROWSER_USER_AGENT,
  type Link,
  type LinkList,
  rawGet,
  startTestSystem,
  type TestSystem,
  tableSnapshot,
  waitFor,
} from '../support/local-system.ts';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('analytics', () => {
  let system: TestSystem;
  let user: TestUser;

  beforeAll(async () => {
    system = await startTestSystem();
    user = await createUser(system.pageConfig.cognito);
  });
  afterAll(() => system?.dispose());

  it('R1.1 R1.2 R1.3 R1.5 R2.1 R2.2 R4.1 people and bots, referrers, countries, devices and browsers show in GET /links and the stats within 10 s', async () => {
    const api = apiClient(system, user.accessToken);
    const link = (await (await api.create({ url: 'https://example.com/analytics' })).json()) as Link;
    const visitor = apiClient(system);
    const visits = [
      visitor.visit(link.link, 'GET', {
        referer: 'https://News.Example.com/story?id=1',
        'cloudfront-viewer-country': 'de',
      }),
      visitor.visit(link.link, 'GET', { 'user-agent': IPHONE }),
      visitor.visit(link.link, 'GET', { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' }),
      visitor.visit(link.link, 'GET', { 'user-agent': 'curl/8.5.0' }),
      // No User-Agent at all.
      rawGet(system.url, `/${link.link}`),
      visitor.visit(link.link, 'HEAD'),
    ];
    const clickedAt = Date.now();
    expect((await Promise.all(visits)).map((response) => response.status)).toEqual([301, 301, 301, 301, 301, 301]);

    const listed = await waitFor(
      async () => {
        const list = (await (await api.list('?limit=100')).json()) as LinkList;
        const found = list.items.find((item) => item.link === link.link) as (Link & { bots: number }) | undefined;
        return found && found.count === 2 && found.bots === 3 ? found : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'people and bots counted' },
    );
    expect(listed).toMatchObject({ count: 2, bots: 3 });
    const today = new Date().toISOString().slice(0, 10);
    const stats = await waitFor(
      async () => {
        const response = await api.request('GET', `/links/${link.link}/stats?from=${today}&to=${today}`);
        const body = (await response.json()) as { count: number; bots: number };
        return response.status === 200 && body.count === 2 && body.bots === 3 ? body : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'stats of today' },
    );
    expect(Date.now() - clickedAt).toBeLessThan(10_000);
    expect(stats).toEqual({
      link: link.link,
      from: today,
      to: today,
      count: 2,
      bots: 3,
      days: [{ date: today, count: 2, bots: 3 }],
      referrers: [
        { name: 'direct', count: 1 },
        { name: 'news.example.com', count: 1 },
      ],
      countries: [
        { name: 'DE', count: 1 },
        { name: 'unknown', count: 1 },
      ],
      devices: [
        { name: 'desktop', count: 1 },
        { name: 'mobile', count: 1 },
      ],
      browsers: [
        { name: 'Chrome', count: 1 },
        { name: 'Safari', count: 1 },
      ],
    });

    // R1.4: nothing stored identifies a visitor.
    const stored = JSON.stringify(await tableSnapshot(system));
    for (const secret of [BROWSER_USER_AGENT, IPHONE, 'Slackbot', 'curl/', '127.0.0.1', 'story?id=1', 'News.Example']) {
      expect(stored).not.toContain(secret);
    }
  }, 30_000);

  it('R4.6 the stats of a link are only its creator’s', async () => {
    const api = apiClient(system, user.accessToken);
    const link = (await (await api.create({ url: 'https://example.com/private-stats' })).json()) as Link;
    const other = await createUser(system.pageConfig.cognito);
    const response = await apiClient(system, other.accessToken).request('GET', `/links/${link.link}/stats`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'link not found' });
    expect((await apiClient(system).request('GET', `/links/${link.link}/stats`)).status).toBe(401);
  }, 30_000);
});
