import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynaliteTable, startDynaliteTable } from '../../faults/dynalite.ts';

let table: DynaliteTable;
beforeAll(async () => {
  table = await startDynaliteTable();
});
afterAll(async () => {
  await table?.close();
});

const visit = { referrer: 'news.example', country: 'DE', device: 'mobile', browser: 'Firefox' } as const;

describe('analytics', () => {
  it('R3.1 R3.3 DynamoDayStore adds a day exactly once on dynalite, new entries and known ones alike', async () => {
    const update = (from: number, n: number, referrer: string = visit.referrer) => ({
      link: 'dy1',
      incarnation: 'inc-1',
      day: '2026-11-22',
      shardId: 'shardId-000000000000',
      clicks: Array.from({ length: n }, (_, i) => ({
        sequenceNumber: String(from + i),
        bot: i % 3 === 2,
        visit: { ...visit, referrer },
      })),
    });
    expect(await table.days.apply(update(1, 3))).toEqual({ kind: 'applied' });
    expect(await table.days.apply(update(1, 3))).toEqual({ kind: 'already-applied', mark: '3' });
    expect(await table.days.apply(update(4, 3))).toEqual({ kind: 'applied' });
    expect(await table.days.apply(update(7, 3, 'other.example'))).toEqual({ kind: 'applied' });
    const [day] = await table.days.read('dy1', 'inc-1', ['2026-11-21', '2026-11-22']);
    expect(day).toEqual({
      day: '2026-11-22',
      count: 6,
      bots: 3,
      referrers: { 'news.example': 4, 'other.example': 2 },
      countries: { DE: 6 },
      devices: { mobile: 6 },
      browsers: { Firefox: 6 },
    });
  });
});
