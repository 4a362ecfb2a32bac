import { describe, expect, it } from 'vitest';
import { deleteLinkHandler } from '../../../lambdas/handlers/delete-link.ts';
import { apiEvent, bodyOf, CapturingLogger, FailingLinkStore, InMemoryLinkStore } from './fakes.ts';

function setup() {
  const links = new InMemoryLinkStore();
  const handler = deleteLinkHandler({ links });
  const remove = (link: string, sub: string | null = 'user-a') =>
    handler(apiEvent({ method: 'DELETE', routeKey: 'DELETE /links/{link}', rawPath: `/links/${link}`, link, sub }));
  return { links, remove };
}

describe('links-api', () => {
  describe('delete link', () => {
    it("R5.1 deletes the caller's own link with 204 and no body", async () => {
      const { links, remove } = setup();
      links.seed({ link: 'mine', creator: 'user-a' });
      const response = await remove('mine');
      expect(response.statusCode).toBe(204);
      expect(response.body).toBeUndefined();
      expect(links.items.has('mine')).toBe(false);
    });

    it("R5.2 answers 404 for someone else's link and keeps it", async () => {
      const { links, remove } = setup();
      const theirs = links.seed({ link: 'theirs', creator: 'user-b', url: 'https://b.example/' });
      const response = await remove('theirs', 'user-a');
      expect(response.statusCode).toBe(404);
      expect(bodyOf(response)).toEqual({ error: 'link not found' });
      expect(links.items.get('theirs')).toEqual(theirs);
    });

    it('R5.2 answers 404 for an unknown link', async () => {
      const { remove } = setup();
      expect((await remove('nothere')).statusCode).toBe(404);
    });

    it('R5.2 answers 404 for a second delete of the same link', async () => {
      const { links, remove } = setup();
      links.seed({ link: 'once', creator: 'user-a' });
      expect((await remove('once')).statusCode).toBe(204);
      expect((await remove('once')).statusCode).toBe(404);
    });

    it.each(['x', 'a.b', 'a'.repeat(65), 'links'])('R5.2 answers 404 for %j without asking the store', async (link) => {
      const { links, remove } = setup();
      expect((await remove(link)).statusCode).toBe(404);
      expect(links.calls).toEqual([]);
    });

    it('R3.5 deletes only the link with exactly that case', async () => {
      const { links, remove } = setup();
      links.seed({ link: 'Promo', creator: 'user-a' });
      links.seed({ link: 'promo', creator: 'user-a' });
      expect((await remove('promo')).statusCode).toBe(204);
      expect(links.items.has('Promo')).toBe(true);
    });

    it('R7.1 answers 401 without a sub claim and deletes nothing', async () => {
      const { links, remove } = setup();
      links.seed({ link: 'mine', creator: 'user-a' });
      expect((await remove('mine', null)).statusCode).toBe(401);
      expect(links.items.has('mine')).toBe(true);
    });

    it('R7.7 answers 500 "internal error" when the store fails', async () => {
      const logger = new CapturingLogger();
      const handler = deleteLinkHandler({ links: new FailingLinkStore(), logger });
      const response = await handler(apiEvent({ method: 'DELETE', link: 'abcdef' }));
      expect(response.statusCode).toBe(500);
      expect(bodyOf(response)).toEqual({ error: 'internal error' });
    });
  });
});
