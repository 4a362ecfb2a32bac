import { describe, expect, it } from 'vitest';
import type { StreamClick } from '../../../lambdas/domain/click-batch.ts';
import { countClicks } from '../../../lambdas/domain/count-clicks.ts';
import type { Visit } from '../../../lambdas/domain/visit.ts';
import { linkStatsHandler } from '../../../lambdas/handlers/link-stats.ts';
import { MemoryCounterStore, memoryDeps } from '../../unit/clicks/support.ts';
import { apiEvent, bodyOf } from '../links/fakes.ts';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const SHARD = 'shardId-000000000000';

/** A link `abc123` of user-a with clicks on the given days, counted through the use case. */
async function setUp(clicks: { at: string; bot?: true; visit?: Partial<Visit> }[]) {
  const counters = new MemoryCounterStore();
  counters.addLink('abc123', 'inc-1', 'user-a');
  counters.addLink('theirs', 'inc-2', 'user-b');
  const records: StreamClick[] = clicks.map((c, i) => ({
    shardId: SHARD,
    sequenceNumber: String(100 + i),
    arrivedAt: new Date(c.at),
    stream: 'clicks',
    click: {
      v: 1,
      link: 'abc123',
      at: c.at,
      incarnation: 'inc-1',
      ...(c.bot
        ? { bot: true }
        : { visit: { referrer: 'direct', country: 'DE', device: 'desktop', browser: 'Firefox', ...c.visit } }),
    },
  }));
  await countClicks(memoryDeps(counters), records);
  const handler = linkStatsHandler({ days: counters.days, now: () => NOW });
  const stats = (query?: Record<string, string>, link = 'abc123', sub = 'user-a') =>
    handler(
      apiEvent({
        method: 'GET',
        routeKey: 'GET /links/{link}/stats',
        rawPath: `/links/${link}/stats`,
        link,
        sub,
        ...(query ? { query } : {}),
      }),
    );
  return { counters, stats };
}

describe('analytics', () => {
  it('R4.1 R4.2 R4.4 answers the 30 days ending today by default, every day present, zeros included', async () => {
    const { stats } = await setUp([
      { at: '2026-11-22T09:00:00.000Z' },
      { at: '2026-11-22T09:30:00.000Z', bot: true },
      { at: '2026-11-20T23:59:59.999Z' },
      { at: '2026-10-23T00:00:00.000Z' },
      // Before the range: not counted.
      { at: '2026-10-22T23:59:59.999Z' },
    ]);
    const response = await stats();
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response) as { from: string; to: string; count: number; bots: number; days: unknown[] };
    expect(body).toMatchObject({ link: 'abc123', from: '2026-10-24', to: '2026-11-22', count: 2, bots: 1 });
    expect(body.days).toHaveLength(30);
    expect(body.days.at(-1)).toEqual({ date: '2026-11-22', count: 1, bots: 1 });
    expect(body.days.at(-3)).toEqual({ date: '2026-11-20', count: 1, bots: 0 });
    expect(body.days[0]).toEqual({ date: '2026-10-24', count: 0, bots: 0 });
  });

  it('R4.1 R4.4 answers exactly the asked range, both ends included, across a month boundary', async () => {
    const { stats } = await setUp([{ at: '2026-10-31T12:00:00.000Z' }, { at: '2026-11-01T00:00:00.000Z' }]);
    const body = bodyOf(await stats({ from: '2026-10-31', to: '2026-11-01' })) as Record<string, unknown>;
    expect(body).toEqual({
      link: 'abc123',
      from: '2026-10-31',
      to: '2026-11-01',
      count: 2,
      bots: 0,
      days: [
        { date: '2026-10-31', count: 1, bots: 0 },
        { date: '2026-11-01', count: 1, bots: 0 },
      ],
      referrers: [{ name: 'direct', count: 2 }],
      countries: [{ name: 'DE', count: 2 }],
      devices: [{ name: 'desktop', count: 2 }],
      browsers: [{ name: 'Firefox', count: 2 }],
    });
  });

  it('R4.5 lists people only, sorted by count, at most 10 entries with the rest folded into other, each summing to count', async () => {
    const clicks = Array.from({ length: 14 }, (_, host) =>
      Array.from({ length: host + 1 }, () => ({
        at: '2026-11-21T08:00:00.000Z',
        visit: { referrer: `r${host}.example` },
      })),
    ).flat();
    const { stats } = await setUp([...clicks, { at: '2026-11-21T08:00:00.000Z', bot: true }]);
    const body = bodyOf(await stats()) as { count: number; referrers: { name: string; count: number }[] };
    expect(body.count).toBe(105);
    expect(body.referrers).toHaveLength(11);
    expect(body.referrers.slice(0, 3)).toEqual([
      { name: 'r13.example', count: 14 },
      { name: 'r12.example', count: 13 },
      { name: 'r11.example', count: 12 },
    ]);
    // r0..r3 (1 + 2 + 3 + 4 clicks) are the rest.
    expect(body.referrers.at(-1)).toEqual({ name: 'other', count: 10 });
    expect(body.referrers.reduce((sum, entry) => sum + entry.count, 0)).toBe(body.count);
  });

  it.each([
    ['a malformed from', { from: '2026-1-01' }],
    ['an impossible date', { from: '2026-02-30', to: '2026-03-01' }],
    ['a malformed to', { to: 'yesterday' }],
    ['from after to', { from: '2026-11-02', to: '2026-11-01' }],
    ['367 days', { from: '2025-11-21', to: '2026-11-22' }],
  ])('R4.3 answers 400 with a JSON error for %s', async (_, query) => {
    const { stats } = await setUp([]);
    const response = await stats(query);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ error: expect.any(String) });
  });

  it('R4.3 accepts exactly 366 days', async () => {
    const { stats } = await setUp([]);
    const response = await stats({ from: '2025-11-22', to: '2026-11-22' });
    expect(response.statusCode).toBe(200);
    expect((bodyOf(response) as { days: unknown[] }).days).toHaveLength(366);
  });

  it.each([
    ["someone else's link", 'theirs'],
    ['an unknown link', 'nothere1'],
    ['an impossible code', 'links'],
  ])('R4.6 answers 404 for %s', async (_, link) => {
    const { stats } = await setUp([]);
    const response = await stats(undefined, link);
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toEqual({ error: 'link not found' });
  });

  it('R4.7 answers 401 without a caller', async () => {
    const { stats } = await setUp([]);
    expect((await stats(undefined, 'abc123', null as unknown as string)).statusCode).toBe(401);
  });

  it('R3.4 a code deleted and created again starts from nothing', async () => {
    const { counters, stats } = await setUp([{ at: '2026-11-22T09:00:00.000Z' }]);
    counters.deleteLink('abc123');
    counters.addLink('abc123', 'inc-9', 'user-a');
    const body = bodyOf(await stats()) as { count: number; referrers: unknown[] };
    expect(body.count).toBe(0);
    expect(body.referrers).toEqual([]);
  });
});
