import { describe, expect, it } from 'vitest';
import { bodyOf } from './fakes.ts';
import { linkApp } from './support.ts';

describe('links-api', () => {
  describe('get one link', () => {
    it('R9.1 answers the creator with the link', async () => {
      const app = linkApp();
      const created = bodyOf(await app.create({ url: 'https://example.com/a', alias: 'mine' }));
      const response = await app.get('mine');
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual(created);
    });

    it("R9.2 answers someone else's, an unknown and an impossible code with 404", async () => {
      const app = linkApp();
      await app.create({ url: 'https://example.com/a', alias: 'theirs' }, 'user-b');
      for (const code of ['theirs', 'unknown', 'links', 'a']) {
        const response = await app.get(code);
        expect(response.statusCode, code).toBe(404);
        expect(bodyOf(response), code).toEqual({ error: 'link not found' });
      }
    });
  });

  describe('edit a link', () => {
    it('R10.1 R10.6 changes the destination; the next visit goes there', async () => {
      const app = linkApp();
      await app.create({ url: 'https://old.example/', alias: 'moving' });
      const response = await app.edit('moving', { url: 'https://new.example/ä' });
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({ link: 'moving', url: 'https://new.example/%C3%A4', count: 0 });
      expect((await app.visit('moving')).headers?.location).toBe('https://new.example/%C3%A4');
    });

    it('R10.1 R10.3 sets, changes and removes the expiry', async () => {
      const app = linkApp();
      await app.create({ url: 'https://e.example/', alias: 'timed' });
      expect(bodyOf(await app.edit('timed', { expiresAt: '2027-01-01T00:00:00+01:00' })).expiresAt).toBe(
        '2026-12-31T23:00:00.000Z',
      );
      const removed = bodyOf(await app.edit('timed', { expiresAt: null }));
      expect(removed).not.toHaveProperty('expiresAt');
      expect(app.links.items.get('timed')?.expiresAt).toBeUndefined();
    });

    it.each([
      ['a javascript: URL', { url: 'javascript:alert(1)' }],
      ['a URL with credentials', { url: 'https://u:p@example.com/' }],
      ['an empty URL', { url: '' }],
      ['a null URL', { url: null }],
      ['an expiry in the past', { expiresAt: '2026-11-22T04:59:59Z' }],
      ['an expiry without a zone', { expiresAt: '2027-01-01T00:00:00' }],
      ['an expiry that is not a date', { expiresAt: 'tomorrow' }],
      ['no field at all', {}],
      ['a field that cannot be edited', { alias: 'other' }],
      ['a known and an unknown field', { url: 'https://ok.example/', creator: 'user-b' }],
    ])('R10.2 R10.4 refuses %s with 400 and changes nothing', async (_, changes) => {
      const app = linkApp();
      await app.create({ url: 'https://keep.example/', alias: 'stable', expiresAt: '2027-01-01T00:00:00Z' });
      const before = structuredClone(app.links.items.get('stable'));
      const response = await app.edit('stable', changes);
      expect(response.statusCode).toBe(400);
      expect(typeof bodyOf(response).error).toBe('string');
      expect(app.links.items.get('stable')).toEqual(before);
    });

    it('R10.2 refuses a body that is not a JSON object', async () => {
      const app = linkApp();
      await app.create({ url: 'https://keep.example/', alias: 'stable' });
      for (const body of ['[]', '"x"', 'not json', '']) {
        expect((await app.edit('stable', body)).statusCode, body).toBe(400);
      }
    });

    it("R10.5 answers someone else's or an unknown link with 404 and changes nothing", async () => {
      const app = linkApp();
      await app.create({ url: 'https://theirs.example/', alias: 'theirs' }, 'user-b');
      const response = await app.edit('theirs', { url: 'https://hijack.example/' });
      expect(response.statusCode).toBe(404);
      expect(app.links.items.get('theirs')?.url).toBe('https://theirs.example/');
      expect((await app.edit('nothere', { url: 'https://x.example/' })).statusCode).toBe(404);
    });

    it('R10.2 checks the destination policy on edit too: no loop back into the shortener', async () => {
      const app = linkApp();
      await app.create({ url: 'https://ok.example/', alias: 'loop' });
      expect((await app.edit('loop', { url: 'http://127.0.0.1:3000/loop' })).statusCode).toBe(400);
    });
  });
});
