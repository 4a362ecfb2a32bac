import { describe, expect, it } from 'vitest';
import { bodyOf } from './fakes.ts';
import { linkApp } from './support.ts';

type Result = { index: number; status: number; link?: Record<string, unknown>; error?: string };
const resultsOf = (response: { body?: string }) => bodyOf(response).results as Result[];

const MIXED = [
  { url: 'https://one.example/' },
  { url: 'javascript:alert(1)' },
  { url: 'https://two.example/', alias: 'taken' },
  { url: 'https://three.example/', alias: 'fresh' },
  { url: 'https://four.example/', alias: 'fresh' },
  'not an object',
  { url: 'https://five.example/', alias: 'links' },
  { url: 'https://six.example/', expiresAt: '2020-01-01T00:00:00Z' },
  { url: 'https://seven.example/', alias: 42 },
];

describe('links-api', () => {
  describe('bulk creation', () => {
    it('R13.2 R13.3 R13.4 answers each row as POST /links would, in input order; bad rows stop nothing', async () => {
      const app = linkApp();
      await app.create({ url: 'https://other.example/', alias: 'taken' }, 'user-b');
      const response = await app.bulk({ links: MIXED });
      expect(response.statusCode).toBe(200);
      const results = resultsOf(response);
      expect(results.map((r) => [r.index, r.status])).toEqual([
        [0, 201],
        [1, 400],
        [2, 409],
        [3, 201],
        [4, 409],
        [5, 400],
        [6, 400],
        [7, 400],
        [8, 400],
      ]);
      for (const result of results) {
        if (result.status === 201) {
          expect(result.error).toBeUndefined();
          expect(result.link).toMatchObject({ url: expect.any(String), shortUrl: expect.any(String), count: 0 });
        } else {
          expect(result.link).toBeUndefined();
          expect(typeof result.error).toBe('string');
        }
      }
      expect(results[3]?.link?.link).toBe('fresh');
      expect(app.links.items.get('fresh')?.url).toBe('https://three.example/');
      expect(app.links.items.get('taken')?.creator).toBe('user-b');
      expect([...app.links.items.values()].filter((item) => item.creator === 'user-a')).toHaveLength(2);
    });

    it('R13.5 a dry run writes nothing and reports what would happen, a repeated alias included', async () => {
      const app = linkApp();
      await app.create({ url: 'https://other.example/', alias: 'taken' }, 'user-b');
      const before = structuredClone([...app.links.items.entries()]);
      const usageBefore = structuredClone([...app.usage.counters.entries()]);
      const dry = resultsOf(await app.bulk({ links: MIXED, dryRun: true }));
      expect(dry.map((r) => r.status)).toEqual([201, 400, 409, 201, 409, 400, 400, 400, 400]);
      expect(dry[3]?.link).toMatchObject({ link: 'fresh', url: 'https://three.example/' });
      expect([...app.links.items.entries()]).toEqual(before);
      expect([...app.usage.counters.entries()]).toEqual(usageBefore);
      expect(app.links.calls.filter((call) => call.startsWith('create'))).toEqual(['create taken']);
      // And then doing it for real gives the same statuses.
      expect(resultsOf(await app.bulk({ links: MIXED })).map((r) => r.status)).toEqual(dry.map((r) => r.status));
    });

    it('R13.5 R12.2 a dry run sees a code retired by another user as taken, and one’s own as free', async () => {
      const app = linkApp();
      await app.create({ url: 'https://a.example/', alias: 'theirs' }, 'user-b');
      await app.remove('theirs', 'user-b');
      await app.create({ url: 'https://a.example/', alias: 'ours' });
      await app.remove('ours');
      const rows = [
        { url: 'https://x.example/', alias: 'theirs' },
        { url: 'https://x.example/', alias: 'ours' },
      ];
      expect(resultsOf(await app.bulk({ links: rows, dryRun: true })).map((r) => r.status)).toEqual([409, 201]);
    });

    it.each([
      ['no links field', {}],
      ['an empty list', { links: [] }],
      ['1,001 rows', { links: Array.from({ length: 1001 }, () => ({ url: 'https://e.example/' })) }],
      ['links that is not an array', { links: { url: 'https://e.example/' } }],
      ['a dryRun that is not a boolean', { links: [{ url: 'https://e.example/' }], dryRun: 'yes' }],
    ])('R13.1 R13.7 refuses %s with 400 and writes nothing', async (_, body) => {
      const app = linkApp();
      const response = await app.bulk(body);
      expect(response.statusCode).toBe(400);
      expect(typeof bodyOf(response).error).toBe('string');
      expect(app.links.items.size).toBe(0);
    });

    it('R13.1 takes 1,000 rows, each with its own random code', async () => {
      const app = linkApp();
      const rows = Array.from({ length: 1000 }, (_, i) => ({ url: `https://e.example/${i}` }));
      const results = resultsOf(await app.bulk({ links: rows }));
      expect(results).toHaveLength(1000);
      expect(results.every((r, i) => r.index === i && r.status === 201)).toBe(true);
      expect(new Set(results.map((r) => r.link?.link)).size).toBe(1000);
      expect(app.links.items.size).toBe(1000);
    });

    it('R13.1 refuses a body over 1 MiB with 413', async () => {
      const app = linkApp();
      const url = `https://e.example/${'a'.repeat(1900)}`;
      const response = await app.bulk({ links: Array.from({ length: 600 }, () => ({ url })) });
      expect(response.statusCode).toBe(413);
      expect(app.links.items.size).toBe(0);
    });
  });
});
