import { describe, expect, it } from 'vitest';
import { bodyOf } from './fakes.ts';
import { linkApp } from './support.ts';

describe('links-api', () => {
  describe('expiry', () => {
    it('R11.1 stores the expiry given on create as UTC with milliseconds and returns it', async () => {
      const app = linkApp();
      const response = await app.create({
        url: 'https://e.example/',
        alias: 'soon',
        expiresAt: '2026-11-22T07:30:00+02:00',
      });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).expiresAt).toBe('2026-11-22T05:30:00.000Z');
    });

    it.each([
      ['in the past', '2026-11-22T04:00:00Z'],
      ['exactly now', '2026-11-22T05:00:00.000Z'],
      ['a date without a time', '2027-01-01'],
      ['a time without a zone', '2027-01-01T10:00:00'],
      ['a day that does not exist', '2027-02-30T10:00:00Z'],
      ['a number', 1893456000000],
      ['an object', { at: '2027-01-01T00:00:00Z' }],
      ['free text', 'next week'],
    ])('R11.1 refuses an expiry %s with 400 and stores nothing', async (_, expiresAt) => {
      const app = linkApp();
      const response = await app.create({ url: 'https://e.example/', alias: 'never', expiresAt });
      expect(response.statusCode).toBe(400);
      expect(app.links.items.size).toBe(0);
    });

    it('R11.2 answers 410 with the expired page from the expiry on, for GET and HEAD, and counts nothing', async () => {
      const app = linkApp();
      await app.create({ url: 'https://e.example/', alias: 'brief', expiresAt: '2026-11-22T06:00:00Z' });
      expect((await app.visit('brief')).statusCode).toBe(301);
      expect(app.clicks.recorded).toHaveLength(1);

      app.clock.now = new Date('2026-11-22T06:00:00.000Z');
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await app.visit('brief', method);
        expect(response.statusCode, method).toBe(410);
        expect(response.headers?.['content-type'], method).toMatch(/^text\/html/);
        expect(response.headers?.['cache-control'], method).toMatch(/no-store/);
        expect(response.body, method).toContain('expired');
        expect(response.headers?.location, method).toBeUndefined();
      }
      expect(app.clicks.recorded).toHaveLength(1);
    });

    it('R11.3 keeps an expired link in its owner’s list and answers it on GET, with its expiry', async () => {
      const app = linkApp();
      await app.create({ url: 'https://e.example/', alias: 'lapsed', expiresAt: '2026-11-22T06:00:00Z' });
      app.clock.now = new Date('2026-12-01T00:00:00Z');
      expect(bodyOf(await app.get('lapsed'))).toMatchObject({ link: 'lapsed', expiresAt: '2026-11-22T06:00:00.000Z' });
      const listed = bodyOf(await app.list()).items as { link: string; expiresAt?: string }[];
      expect(listed).toEqual([expect.objectContaining({ link: 'lapsed', expiresAt: '2026-11-22T06:00:00.000Z' })]);
    });

    it('R11.3 an edit gives an expired link a new life', async () => {
      const app = linkApp();
      await app.create({ url: 'https://e.example/', alias: 'revived', expiresAt: '2026-11-22T06:00:00Z' });
      app.clock.now = new Date('2026-11-23T00:00:00Z');
      expect((await app.visit('revived')).statusCode).toBe(410);
      expect((await app.edit('revived', { expiresAt: null })).statusCode).toBe(200);
      expect((await app.visit('revived')).statusCode).toBe(301);
    });
  });

  describe('retired codes', () => {
    it('R12.2 answers another user’s create with a deleted alias with 409, again and again', async () => {
      const app = linkApp();
      await app.create({ url: 'https://first.example/', alias: 'famous' }, 'user-a');
      expect((await app.remove('famous', 'user-a')).statusCode).toBe(204);
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await app.create({ url: 'https://squatter.example/', alias: 'famous' }, 'user-b');
        expect(response.statusCode).toBe(409);
      }
    });

    it('R12.3 lets the creator create the deleted alias again, starting from nothing', async () => {
      const app = linkApp();
      await app.create({ url: 'https://first.example/', alias: 'mine', expiresAt: '2027-01-01T00:00:00Z' });
      const first = app.links.items.get('mine');
      if (first) first.count = 12;
      await app.remove('mine');
      app.clock.now = new Date('2026-11-22T06:00:00.000Z');
      const response = await app.create({ url: 'https://second.example/', alias: 'mine' });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response)).toEqual({
        link: 'mine',
        url: 'https://second.example/',
        shortUrl: 'http://127.0.0.1:3000/mine',
        created: '2026-11-22T06:00:00.000Z',
        count: 0,
      });
    });

    it('R12.4 a retired code is unknown everywhere: redirect, get, edit, delete, list', async () => {
      const app = linkApp();
      await app.create({ url: 'https://gone.example/', alias: 'retired' });
      await app.remove('retired');
      expect((await app.visit('retired')).statusCode).toBe(404);
      expect((await app.get('retired')).statusCode).toBe(404);
      expect((await app.edit('retired', { url: 'https://x.example/' })).statusCode).toBe(404);
      expect((await app.remove('retired')).statusCode).toBe(404);
      expect(bodyOf(await app.list()).items).toEqual([]);
    });
  });
});
