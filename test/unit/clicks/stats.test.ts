import { describe, expect, it } from 'vitest';
import { DAY_ITEMS } from '../../../lambdas/declarations/storage.ts';
import { addClicks, emptyDay, parseRange, summarizeStats } from '../../../lambdas/domain/stats.ts';
import { BROWSERS, DEVICES } from '../../../lambdas/domain/visit.ts';
import type { CountedClick, DayCounts } from '../../../lambdas/ports.ts';
import { seededRandom } from '../../support/seeded.ts';

const LISTS = ['referrers', 'countries', 'devices', 'browsers'] as const;
const sum = (list: Record<string, number>) => Object.values(list).reduce((a, b) => a + b, 0);

describe('analytics', () => {
  it('R2.3 a click recorded before clicks were classified counts as a person, in the lists as other', () => {
    const day = addClicks(emptyDay('2026-11-22'), [{ sequenceNumber: '1', bot: false }], 25);
    expect(day).toEqual({
      day: '2026-11-22',
      count: 1,
      bots: 0,
      referrers: { other: 1 },
      countries: { unknown: 1 },
      devices: { other: 1 },
      browsers: { other: 1 },
    });
  });

  it('R3.1 R3.5 R4.5 for any clicks over any days, stored lists stay bounded and sum to the day, and every answer sums to count', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = seededRandom(seed);
      const days = new Map<string, DayCounts>();
      let sequence = 0;
      // Clicks arrive in batches; each batch is folded into its days as the Day_Store does.
      for (let batch = 0; batch < random.int(1, 20); batch++) {
        const byDay = new Map<string, CountedClick[]>();
        for (let i = 0; i < random.int(0, 60); i++) {
          const day = `2026-11-${String(random.int(10, 14)).padStart(2, '0')}`;
          const click: CountedClick = random.chance(0.3)
            ? { sequenceNumber: String(++sequence), bot: true }
            : {
                sequenceNumber: String(++sequence),
                bot: false,
                visit: {
                  referrer: random.chance(0.3) ? 'direct' : `r${random.int(0, 80)}.example`,
                  country: random.pick(['DE', 'US', 'FR', 'JP', 'unknown']),
                  device: random.pick(DEVICES),
                  browser: random.pick(BROWSERS),
                },
              };
          byDay.set(day, [...(byDay.get(day) ?? []), click]);
        }
        for (const [day, clicks] of byDay) {
          days.set(day, addClicks(days.get(day) ?? emptyDay(day), clicks, DAY_ITEMS.maxEntriesPerList));
        }
      }
      for (const day of days.values()) {
        for (const list of LISTS) {
          expect({ seed, sum: sum(day[list]) }).toEqual({ seed, sum: day.count });
          expect(Object.keys(day[list]).length).toBeLessThanOrEqual(DAY_ITEMS.maxEntriesPerList + 1);
        }
      }
      const stats = summarizeStats('abc', parseRange('2026-11-01', '2026-11-30', new Date()), [...days.values()]);
      expect(stats.days.map((day) => day.date)).toHaveLength(30);
      expect(stats.count).toBe([...days.values()].reduce((total, day) => total + day.count, 0));
      for (const list of LISTS) {
        const entries = stats[list];
        expect(entries.length).toBeLessThanOrEqual(11);
        expect(entries.reduce((total, entry) => total + entry.count, 0)).toBe(stats.count);
        const named = entries.filter((entry) => entry.name !== 'other').map((entry) => entry.count);
        expect(named).toEqual([...named].sort((a, b) => b - a));
      }
    }
  });

  it('R4.2 defaults: the 30 days ending today; from alone runs to today; to alone ends the 30 days', () => {
    const now = new Date('2026-03-01T23:59:59.999Z');
    expect(parseRange(undefined, undefined, now)).toMatchObject({ from: '2026-01-31', to: '2026-03-01' });
    expect(parseRange('2026-02-27', undefined, now)).toMatchObject({ from: '2026-02-27', to: '2026-03-01' });
    expect(parseRange(undefined, '2026-01-30', now)).toMatchObject({ from: '2026-01-01', to: '2026-01-30' });
    expect(parseRange('2024-02-28', '2024-03-01', now).days).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
