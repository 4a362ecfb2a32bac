import { describe, expect, it } from 'vitest';
import { STRICT_POLICY } from '../../../lambdas/domain/destination.ts';
import { AliasTakenError, NotFoundError, ValidationError } from '../../../lambdas/domain/errors.ts';
import { createLink, deleteLink, listLinks, MAX_CODE_ATTEMPTS, resolveLink } from '../../../lambdas/domain/links.ts';
import { encodeCursor } from '../../../lambdas/domain/paging.ts';
import { DEFAULT_LIMITS } from '../../../lambdas/domain/rules.ts';
import type { LinkStore, PageKey } from '../../../lambdas/ports.ts';
import { InMemoryLinkStore, InMemoryUsageCounters } from '../../handlers/links/fakes.ts';

const POLICY = { ...STRICT_POLICY, selfOrigins: ['https://sho.rt'] };
const quota = () => ({ usage: new InMemoryUsageCounters(), limits: DEFAULT_LIMITS });
const now = () => new Date('2026-11-22T05:00:00.000Z');

describe('links-api', () => {
  describe('use cases', () => {
    it('R1.1 R1.3 R1.6 creates a link with a fresh random code, the caller as creator and count 0', async () => {
      const links = new InMemoryLinkStore();
      const record = await createLink(
        { ...quota(), links, now },
        { creator: 'user-a', url: 'https://example.com', policy: POLICY },
      );
      expect(record).toEqual({
        link: expect.stringMatching(/^[A-Za-z0-9]{8}$/),
        url: 'https://example.com/',
        creator: 'user-a',
        created: '2026-11-22T05:00:00.000Z',
        count: 0,
      });
      expect(links.items.get(record.link)).toEqual(record);
    });

    it('R1.4 raises AliasTakenError for a taken alias', async () => {
      const links = new InMemoryLinkStore();
      links.seed({ link: 'promo' });
      await expect(
        createLink(
          { ...quota(), links },
          { creator: 'user-a', url: 'https://x.example/', alias: 'promo', policy: POLICY },
        ),
      ).rejects.toBeInstanceOf(AliasTakenError);
    });

    it('R1.5 tries at most MAX_CODE_ATTEMPTS random codes', async () => {
      const links = new InMemoryLinkStore();
      links.seed({ link: 'Taken123' });
      await expect(
        createLink(
          { ...quota(), links, newCode: () => 'Taken123' },
          { creator: 'a', url: 'https://x.example/', policy: POLICY },
        ),
      ).rejects.toThrow(`no free random code after ${MAX_CODE_ATTEMPTS} attempts`);
      expect(links.calls).toHaveLength(MAX_CODE_ATTEMPTS);
    });

    it('R2.1 R3.3 validates everything before touching the store', async () => {
      const links = new InMemoryLinkStore();
      await expect(
        createLink({ ...quota(), links }, { creator: 'a', url: 'javascript:alert(1)', policy: POLICY }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        createLink({ ...quota(), links }, { creator: 'a', url: 'https://ok.example/', alias: 'no', policy: POLICY }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(links.calls).toEqual([]);
    });

    it('R4.5 R4.8 passes the decoded cursor key and the caller to the store, and encodes the next one', async () => {
      const seen: { creator: string; limit: number; after?: PageKey }[] = [];
      const next = { created: '2026-01-01T00:00:00.000Z', link: 'nextlink' };
      const links = {
        listByCreator: async (creator: string, limit: number, after?: PageKey) => {
          seen.push({ creator, limit, after });
          return { items: [], next };
        },
      } as unknown as LinkStore;
      const after = { created: '2026-02-01T00:00:00.000Z', link: 'prevlink' };
      const page = await listLinks({ links }, { creator: 'user-a', limit: '5', cursor: encodeCursor(after, 'user-a') });
      expect(seen).toEqual([{ creator: 'user-a', limit: 5, after }]);
      expect(page).toEqual({ items: [], nextCursor: encodeCursor(next, 'user-a') });
    });

    it("R5.2 raises NotFoundError for someone else's link", async () => {
      const links = new InMemoryLinkStore();
      links.seed({ link: 'theirs', creator: 'user-b' });
      await expect(deleteLink({ links }, { creator: 'user-a', link: 'theirs' })).rejects.toBeInstanceOf(NotFoundError);
      expect(links.items.has('theirs')).toBe(true);
    });

    it('R6.1 R6.6 resolves stored codes and skips the store for impossible ones', async () => {
      const links = new InMemoryLinkStore();
      links.seed({ link: 'abc', url: 'https://a.example/', created: '2026-11-22T05:00:00.000Z' });
      expect(await resolveLink({ links }, 'abc')).toEqual({
        url: 'https://a.example/',
        created: '2026-11-22T05:00:00.000Z',
      });
      expect(await resolveLink({ links }, 'zzz')).toBeUndefined();
      expect(await resolveLink({ links }, 'api')).toBeUndefined();
      expect(links.calls).toEqual(['findTarget abc', 'findTarget zzz']);
    });
  });
});
