import { describe, expect, it } from 'vitest';
import { withRequestRate } from '../../../lambdas/http/request-rate.ts';
import { apiEvent, bodyOf, InMemoryUsageCounters } from '../links/fakes.ts';
import { linkApp } from '../links/support.ts';

describe('public-safety', () => {
  describe('daily quotas', () => {
    it('R1.1 answers 429 with Retry-After until the next UTC midnight once the day’s links are created', async () => {
      const app = linkApp({ limits: { linksPerDay: 2 }, now: new Date('2026-11-22T23:00:00.000Z') });
      expect((await app.create({ url: 'https://a.example/' })).statusCode).toBe(201);
      expect((await app.create({ url: 'https://b.example/' })).statusCode).toBe(201);
      const refused = await app.create({ url: 'https://c.example/' });
      expect(refused.statusCode).toBe(429);
      expect(refused.headers?.['retry-after']).toBe('3600');
      expect(bodyOf(refused).error).toMatch(/quota/);
      expect(app.links.items.size).toBe(2);
      // Someone else still can, and the next day the user can again.
      expect((await app.create({ url: 'https://d.example/' }, 'user-b')).statusCode).toBe(201);
      app.clock.now = new Date('2026-11-23T00:00:00.000Z');
      expect((await app.create({ url: 'https://e.example/' })).statusCode).toBe(201);
    });

    it('R1.3 a refused request (400, 409) uses none of the quota', async () => {
      const app = linkApp({ limits: { linksPerDay: 1 } });
      await app.create({ url: 'https://a.example/', alias: 'taken' }, 'user-b');
      expect((await app.create({ url: 'javascript:x' })).statusCode).toBe(400);
      expect((await app.create({ url: 'https://a.example/', alias: 'taken' })).statusCode).toBe(409);
      expect((await app.create({ url: 'https://a.example/' })).statusCode).toBe(201);
      expect(app.usage.used('links/user-a/')).toBe(1);
    });

    it('R1.2 R1.3 bulk rows beyond the day’s bulk quota answer 429 each, as if sent one by one; taken aliases use none', async () => {
      const app = linkApp({ limits: { bulkRowsPerDay: 3 } });
      await app.create({ url: 'https://a.example/', alias: 'taken' }, 'user-b');
      const rows = [
        { url: 'https://1.example/' },
        { url: 'https://2.example/', alias: 'taken' },
        { url: 'bad' },
        { url: 'https://3.example/' },
        { url: 'https://4.example/' },
        { url: 'https://5.example/' },
      ];
      const dry = bodyOf(await app.bulk({ links: rows, dryRun: true })).results as { status: number }[];
      expect(dry.map((r) => r.status)).toEqual([201, 409, 400, 201, 201, 429]);
      const results = bodyOf(await app.bulk({ links: rows })).results as { status: number }[];
      expect(results.map((r) => r.status)).toEqual([201, 409, 400, 201, 201, 429]);
      expect(app.usage.used('bulk/user-a/')).toBe(3);
      const next = bodyOf(await app.bulk({ links: [{ url: 'https://6.example/' }] })).results as {
        status: number;
        error?: string;
      }[];
      expect(next).toEqual([{ index: 0, status: 429, error: expect.stringMatching(/quota/) }]);
      // POST /links has its own quota.
      expect((await app.create({ url: 'https://7.example/' })).statusCode).toBe(201);
    });
  });

  describe('request rate', () => {
    it('R2.1 answers the request over the minute’s limit with 429 and Retry-After to the end of the minute', async () => {
      const usage = new InMemoryUsageCounters();
      let calls = 0;
      const clock = { now: new Date('2026-11-22T05:00:45.000Z') };
      const handler = withRequestRate(
        async () => {
          calls++;
          return { statusCode: 200, headers: {} };
        },
        { usage, requestsPerMinute: 3, now: () => clock.now },
      );
      for (let i = 0; i < 3; i++) expect((await handler(apiEvent())).statusCode).toBe(200);
      const refused = await handler(apiEvent());
      expect(refused.statusCode).toBe(429);
      expect(refused.headers?.['retry-after']).toBe('15');
      expect(calls).toBe(3);
      // Per user, and per minute.
      expect((await handler(apiEvent({ sub: 'user-b' }))).statusCode).toBe(200);
      clock.now = new Date('2026-11-22T05:01:00.000Z');
      expect((await handler(apiEvent())).statusCode).toBe(200);
    });

    it('R2.1 leaves a request without a caller to the handler, which answers 401', async () => {
      const handler = withRequestRate(async () => ({ statusCode: 401, headers: {} }), {
        usage: new InMemoryUsageCounters(),
        requestsPerMinute: 1,
      });
      expect((await handler(apiEvent({ sub: null }))).statusCode).toBe(401);
    });
  });
});
