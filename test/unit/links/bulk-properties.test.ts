// Seeded generated bulk requests (reproducible by seed): a bulk request answers every row as POST /links
// would have answered it alone, in input order, against the same store and quota (a repeated alias
// aside: 409); a dry run says the same and changes nothing.
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../handlers/links/fakes.ts';
import { linkApp } from '../../handlers/links/support.ts';
import { seededRandom } from '../clicks/seeded-random.ts';

const ALIASES = ['alpha', 'beta', 'gamma', 'links', 'x', 'theirs', 'gone-theirs', 'gone-mine'];
const URLS = ['https://a.example/', 'https://b.example/p?q=1', 'javascript:alert(1)', 'http://127.0.0.1:3000/', ''];
const EXPIRIES = [undefined, undefined, '2030-01-01T00:00:00Z', '2001-01-01T00:00:00Z', 'soon'];

/** The same starting store for every run: links of another user, and codes retired by them and by the caller. */
async function world(quota: number) {
  const app = linkApp({ limits: { linksPerDay: quota, bulkRowsPerDay: quota } });
  await app.create({ url: 'https://other.example/', alias: 'theirs' }, 'user-b');
  await app.create({ url: 'https://other.example/', alias: 'gone-theirs' }, 'user-b');
  await app.remove('gone-theirs', 'user-b');
  await app.create({ url: 'https://mine.example/', alias: 'gone-mine' }, 'user-a');
  await app.remove('gone-mine', 'user-a');
  // Those creates used quota of their own: start the caller's count from nothing.
  app.usage.counters.clear();
  return app;
}

function generatedRows(random: ReturnType<typeof seededRandom>): unknown[] {
  return Array.from({ length: random.int(1, 12) }, () => {
    if (random.chance(0.05)) return random.pick(['row', 7, null, []]);
    const row: Record<string, unknown> = { url: random.pick(URLS) };
    if (random.chance(0.6)) row.alias = random.pick(ALIASES);
    const expiresAt = random.pick(EXPIRIES);
    if (expiresAt !== undefined) row.expiresAt = expiresAt;
    return row;
  });
}

describe('links-api', () => {
  describe('bulk properties', () => {
    it('R13.2 R13.5 R12.2 public-safety R1.2 R1.3 any bulk request answers its rows as one-by-one POSTs would; a dry run the same, writing nothing', async () => {
      for (let seed = 1; seed <= 150; seed++) {
        const random = seededRandom(seed);
        const rows = generatedRows(random);
        const quota = random.int(0, 8);

        const alone = await world(quota);
        const expected: number[] = [];
        // The one rule beyond "alone": a valid row repeating an earlier valid row's alias is 409 (R13.4).
        const asked = new Set<unknown>();
        for (const row of rows) {
          const isObject = typeof row === 'object' && row !== null && !Array.isArray(row);
          const status = isObject ? ((await alone.create(row)).statusCode ?? 0) : 400;
          const alias = isObject ? (row as { alias?: unknown }).alias : undefined;
          const repeated = status !== 400 && alias !== undefined && asked.has(alias);
          if (status !== 400 && alias !== undefined) asked.add(alias);
          expected.push(repeated ? 409 : status);
        }

        const bulk = await world(quota);
        const before = structuredClone([...bulk.links.items.entries(), ...bulk.links.retired.entries()]);
        const dry = bodyOf(await bulk.bulk({ links: rows, dryRun: true })).results as {
          index: number;
          status: number;
        }[];
        expect([...bulk.links.items.entries(), ...bulk.links.retired.entries()], `seed ${seed}`).toEqual(before);
        expect(bulk.usage.counters.size, `seed ${seed}`).toBe(0);

        const real = bodyOf(await bulk.bulk({ links: rows })).results as { index: number; status: number }[];
        expect(
          real.map((r) => r.index),
          `seed ${seed}`,
        ).toEqual(rows.map((_, i) => i));
        expect(
          real.map((r) => r.status),
          `seed ${seed}: ${JSON.stringify(rows)}`,
        ).toEqual(expected);
        expect(
          dry.map((r) => r.status),
          `seed ${seed}: ${JSON.stringify(rows)}`,
        ).toEqual(expected);
        // The same links exist afterwards, whichever way they were sent.
        const codes = (app: typeof bulk) =>
          [...app.links.items.values()]
            .filter((item) => item.creator === 'user-a' && item.link.length !== 8)
            .map((item) => item.link)
            .sort();
        expect(codes(bulk), `seed ${seed}`).toEqual(codes(alone));
      }
    });
  });
});
