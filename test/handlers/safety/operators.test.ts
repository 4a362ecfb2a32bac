import { describe, expect, it } from 'vitest';
import { bodyOf } from '../links/fakes.ts';
import { linkApp } from '../links/support.ts';

async function withLink() {
  const app = linkApp();
  await app.create({ url: 'https://phish.example/login', alias: 'bad' }, 'owner');
  return app;
}

describe('public-safety', () => {
  describe('operators', () => {
    it('R5.1 R5.6 an operator disables any link with a reason; it is stored and logged with who and why', async () => {
      const app = await withLink();
      const response = await app.moderate('bad', 'disable', { reason: 'phishing report #42' }, 'op-1');
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({
        link: 'bad',
        disabled: { reason: 'phishing report #42', at: '2026-11-22T05:00:00.000Z' },
      });
      expect(JSON.stringify(bodyOf(response))).not.toContain('op-1');
      expect(app.links.items.get('bad')?.disabled).toEqual({
        by: 'op-1',
        reason: 'phishing report #42',
        at: '2026-11-22T05:00:00.000Z',
      });
      expect(app.logger.lines).toContainEqual({
        level: 'info',
        message: 'link disabled by operator',
        fields: { action: 'disable', link: 'bad', operator: 'op-1', reason: 'phishing report #42', owner: 'owner' },
      });
    });

    it('R5.2 a disabled link answers 410 with a notice for GET and HEAD and counts nothing', async () => {
      const app = await withLink();
      await app.moderate('bad', 'disable', { reason: 'abuse desk case 1234' });
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await app.visit('bad', method);
        expect(response.statusCode, method).toBe(410);
        expect(response.body, method).toContain('disabled');
        expect(response.body, method).not.toContain('1234');
      }
      expect(app.clicks.recorded).toEqual([]);
    });

    it('R5.3 its owner sees why, but cannot edit it back (403) and nothing changes', async () => {
      const app = await withLink();
      await app.moderate('bad', 'disable', { reason: 'phishing' });
      expect(bodyOf(await app.get('bad', 'owner')).disabled).toEqual({ reason: 'phishing', at: expect.any(String) });
      const response = await app.edit('bad', { url: 'https://phish2.example/' }, 'owner');
      expect(response.statusCode).toBe(403);
      expect(app.links.items.get('bad')?.url).toBe('https://phish.example/login');
      expect((await app.edit('bad', { expiresAt: null }, 'owner')).statusCode).toBe(403);
    });

    it('R5.4 R5.6 an operator enables it again, logged with who and why', async () => {
      const app = await withLink();
      await app.moderate('bad', 'disable', { reason: 'phishing' });
      const response = await app.moderate('bad', 'enable', { reason: 'false positive' }, 'op-2');
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).not.toHaveProperty('disabled');
      expect((await app.visit('bad')).statusCode).toBe(301);
      expect(app.logger.lines.at(-1)).toMatchObject({
        message: 'link enabled by operator',
        fields: { operator: 'op-2', reason: 'false positive', link: 'bad' },
      });
    });

    it.each([
      ['no groups claim', ''],
      ['other groups', '[editors]'],
      ['a group whose name only contains it', '[operators-old]'],
    ])('R5.5 R5.8 refuses a caller with %s with 403 and changes nothing', async (_, groups) => {
      const app = await withLink();
      const response = await app.moderate('bad', 'disable', { reason: 'mine now' }, 'owner', groups);
      expect(response.statusCode).toBe(403);
      expect(app.links.items.get('bad')?.disabled).toBeUndefined();
      expect(app.logger.lines.at(-1)).toMatchObject({ level: 'warn', fields: { caller: 'owner', link: 'bad' } });
    });

    it.each([
      ['API Gateway', '[admins operators]'],
      ['a JSON array', '["operators"]'],
      ['a comma list', 'admins,operators'],
    ])('R5.8 recognises the operators group as %s passes it', async (_, groups) => {
      const app = await withLink();
      expect((await app.moderate('bad', 'disable', { reason: 'x' }, 'op', groups)).statusCode).toBe(200);
    });

    it.each([
      ['no reason', {}],
      ['an empty reason', { reason: '  ' }],
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }],
      ['a reason that is not text', { reason: 7 }],
    ])('R5.7 refuses %s with 400', async (_, body) => {
      const app = await withLink();
      expect((await app.moderate('bad', 'disable', body)).statusCode).toBe(400);
      expect(app.links.items.get('bad')?.disabled).toBeUndefined();
    });

    it('R5.10 answers an unknown or retired link with 404', async () => {
      const app = await withLink();
      expect((await app.moderate('nothere', 'disable', { reason: 'x' })).statusCode).toBe(404);
      await app.remove('bad', 'owner');
      expect((await app.moderate('bad', 'disable', { reason: 'x' })).statusCode).toBe(404);
    });

    it('R5.9 deleting a disabled link keeps its code blocked, even for its creator', async () => {
      const app = await withLink();
      await app.moderate('bad', 'disable', { reason: 'phishing' });
      expect((await app.remove('bad', 'owner')).statusCode).toBe(204);
      expect((await app.create({ url: 'https://phish.example/again', alias: 'bad' }, 'owner')).statusCode).toBe(409);
      expect(
        (await app.bulk({ links: [{ url: 'https://p.example/', alias: 'bad' }], dryRun: true }, 'owner')).body,
      ).toContain('409');
    });
  });
});
