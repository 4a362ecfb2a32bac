import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../lambdas/domain/paging.ts';
import { listLinksHandler } from '../../../lambdas/handlers/list-links.ts';
import { apiEvent, bodyOf, CapturingLogger, FailingLinkStore, InMemoryLinkStore } from './fakes.ts';

/** `count` links of `creator`, created one second apart; the last one is the newest. */
function seedMany(links: InMemoryLinkStore, count: number, creator = 'user-a', prefix = 'a') {
  for (let i = 0; i < count; i++) {
    links.seed({
      link: `${prefix}${String(i).padStart(3, '0')}`,
      url: `https://example.com/${i}`,
      creator,
      created: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      count: i,
    });
  }
}

function setup() {
  const links = new InMemoryLinkStore();
  const handler = listLinksHandler({ links });
  const list = async (query: Record<string, string> = {}, sub: string | null = 'user-a') => {
    const response = await handler(apiEvent({ method: 'GET', query, sub }));
    return {
      response,
      body: bodyOf(response) as { items?: Record<string, unknown>[]; nextCursor?: string; error?: string },
    };
  };
  return { links, list };
}

describe('links-api', () => {
  describe('list links', () => {
    it("R4.1 R1.3 returns only the caller's links, newest first, in the link shape", async () => {
      const { links, list } = setup();
      seedMany(links, 3);
      seedMany(links, 2, 'user-b', 'b');
      const { response, body } = await list();
      expect(response.statusCode).toBe(200);
      expect(body.items?.map((item) => item.link)).toEqual(['a002', 'a001', 'a000']);
      expect(body.items?.[0]).toEqual({
        link: 'a002',
        url: 'https://example.com/2',
        shortUrl: 'http://127.0.0.1:3000/a002',
        created: '2026-01-01T00:00:02.000Z',
        count: 2,
        bots: 0,
      });
      expect(body).not.toHaveProperty('nextCursor');
    });

    it('R4.1 returns an empty list for a caller without links', async () => {
      const { links, list } = setup();
      seedMany(links, 2, 'user-b', 'b');
      expect((await list()).body).toEqual({ items: [] });
    });

    it('R4.2 returns 20 items by default', async () => {
      const { links, list } = setup();
      seedMany(links, 25);
      const { body } = await list();
      expect(body.items).toHaveLength(20);
      expect(body.nextCursor).toEqual(expect.any(String));
    });

    it('R4.2 R4.4 R4.5 pages through everything with limit and nextCursor, no gaps, no repeats', async () => {
      const { links, list } = setup();
      seedMany(links, 7);
      const seen: unknown[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      do {
        const { response, body } = await list(cursor === undefined ? { limit: '3' } : { limit: '3', cursor });
        expect(response.statusCode).toBe(200);
        pageSizes.push(body.items?.length ?? 0);
        seen.push(...(body.items ?? []).map((item) => item.link));
        cursor = body.nextCursor;
      } while (cursor !== undefined);
      expect(pageSizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(['a006', 'a005', 'a004', 'a003', 'a002', 'a001', 'a000']);
    });

    it('R4.4 omits nextCursor when the last page is exactly full', async () => {
      const { links, list } = setup();
      seedMany(links, 4);
      const first = await list({ limit: '2' });
      const last = await list({ limit: '2', cursor: String(first.body.nextCursor) });
      expect(last.body.items?.map((item) => item.link)).toEqual(['a001', 'a000']);
      expect(last.body).not.toHaveProperty('nextCursor');
    });

    it('R4.5 keeps a cursor valid after links on earlier pages are deleted', async () => {
      const { links, list } = setup();
      seedMany(links, 6);
      const first = await list({ limit: '2' });
      for (const item of first.body.items ?? []) links.items.delete(String(item.link));
      links.items.delete('a003'); // the first item the next page would have shown
      const next = await list({ limit: '2', cursor: String(first.body.nextCursor) });
      expect(next.response.statusCode).toBe(200);
      expect(next.body.items?.map((item) => item.link)).toEqual(['a002', 'a001']);
    });

    it.each(['0', '101', 'abc', '-1', '1.5', '', '1e2', ' 5', '20,30'])(
      'R4.3 answers 400 for limit=%j',
      async (limit) => {
        const { links, list } = setup();
        const { response, body } = await list({ limit });
        expect(response.statusCode).toBe(400);
        expect(body).toEqual({ error: 'limit must be an integer from 1 to 100' });
        expect(links.calls).toEqual([]);
      },
    );

    it.each(['1', '100'])('R4.3 accepts limit=%s', async (limit) => {
      const { list } = setup();
      expect((await list({ limit })).response.statusCode).toBe(200);
    });

    it.each([
      ['garbage', 'not a cursor!'],
      ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
      ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
      ['a wrong timestamp', Buffer.from(JSON.stringify({ c: 'yesterday', l: 'abc', u: 'x' })).toString('base64url')],
      ['empty', ''],
    ])('R4.6 answers 400 for a malformed cursor (%s)', async (_, cursor) => {
      const { links, list } = setup();
      const { response, body } = await list({ cursor });
      expect(response.statusCode).toBe(400);
      expect(body.error).toEqual(expect.any(String));
      expect(links.calls).toEqual([]);
    });

    it('R4.6 answers 400 for a cursor altered to point at another link', async () => {
      const { links, list } = setup();
      seedMany(links, 3);
      const { body } = await list({ limit: '1' });
      const payload = JSON.parse(Buffer.from(String(body.nextCursor), 'base64url').toString());
      const tampered = Buffer.from(JSON.stringify({ ...payload, l: 'has.dot' })).toString('base64url');
      expect((await list({ cursor: tampered })).response.statusCode).toBe(400);
      const truncated = String(body.nextCursor).slice(0, -3);
      expect((await list({ cursor: truncated })).response.statusCode).toBe(400);
    });

    it("R4.7 answers 400 for another user's cursor and returns none of their links", async () => {
      const { links, list } = setup();
      seedMany(links, 5, 'user-b', 'b');
      seedMany(links, 1, 'user-a', 'a');
      const theirs = await list({ limit: '2' }, 'user-b');
      const { response, body } = await list({ cursor: String(theirs.body.nextCursor) }, 'user-a');
      expect(response.statusCode).toBe(400);
      expect(body).toEqual({ error: 'cursor was issued to another user' });
    });

    it("R4.7 R4.8 a forged cursor bound to the caller still only reaches the caller's own links", async () => {
      const { links, list } = setup();
      seedMany(links, 5, 'user-b', 'b');
      const forged = encodeCursor({ created: '2026-01-01T00:00:04.000Z', link: 'b004' }, 'user-a');
      const { response, body } = await list({ cursor: forged }, 'user-a');
      expect(response.statusCode).toBe(200);
      expect(body.items).toEqual([]);
    });

    it('R7.1 answers 401 without a sub claim', async () => {
      const { links, list } = setup();
      const { response } = await list({}, null);
      expect(response.statusCode).toBe(401);
      expect(links.calls).toEqual([]);
    });

    it('R7.7 answers 500 "internal error" when the store fails', async () => {
      const logger = new CapturingLogger();
      const response = await listLinksHandler({ links: new FailingLinkStore(), logger })(apiEvent());
      expect(response.statusCode).toBe(500);
      expect(bodyOf(response)).toEqual({ error: 'internal error' });
      expect(logger.lines[0]?.level).toBe('error');
    });
  });
});
