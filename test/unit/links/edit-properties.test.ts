// Seeded generated edits (reproducible by seed): an edit either answers 200 with exactly the requested
// changes applied, or is refused (400, 403, 404) and leaves the link exactly as it was.
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../handlers/links/fakes.ts';
import { linkApp } from '../../handlers/links/support.ts';
import { seededRandom } from '../clicks/seeded-random.ts';

const URLS = [
  'https://new.example/ä',
  'javascript:alert(1)',
  'http://127.0.0.1:3000/loop',
  'https://bit.ly/x',
  '',
  7,
  null,
];
const EXPIRIES = ['2031-05-06T07:08:09+02:00', null, '2001-01-01T00:00:00Z', 'later', 3];
const EXTRA = [{}, {}, {}, { alias: 'other' }, { creator: 'user-b' }];

describe('links-api', () => {
  describe('edit properties', () => {
    it('R10.1 R10.2 R10.3 R10.4 R10.5 public-safety R5.3 any edit applies exactly what was asked, or changes nothing', async () => {
      const seen = { applied: 0, refused: 0 };
      for (let seed = 1; seed <= 600; seed++) {
        const random = seededRandom(seed);
        const app = linkApp();
        await app.create({ url: 'https://old.example/', alias: 'target', expiresAt: '2030-01-01T00:00:00Z' }, 'owner');
        if (random.chance(0.1)) await app.moderate('target', 'disable', { reason: 'abuse' });
        const changes: Record<string, unknown> = { ...random.pick(EXTRA) };
        if (random.chance(0.6)) changes.url = random.pick(URLS);
        if (random.chance(0.6)) changes.expiresAt = random.pick(EXPIRIES);
        const caller = random.chance(0.9) ? 'owner' : 'user-b';
        const code = random.chance(0.95) ? 'target' : 'missing';

        const before = structuredClone(app.links.items.get('target'));
        const response = await app.edit(code, changes, caller);
        const after = app.links.items.get('target');
        const context = `seed ${seed}: ${caller} ${code} ${JSON.stringify(changes)}`;
        if (response.statusCode !== 200) {
          expect([400, 403, 404], context).toContain(response.statusCode);
          expect(after, context).toEqual(before);
          seen.refused++;
          continue;
        }
        seen.applied++;
        const view = bodyOf(response);
        expect(after?.url, context).toBe('url' in changes ? new URL(String(changes.url)).href : before?.url);
        const expected =
          'expiresAt' in changes
            ? changes.expiresAt === null
              ? undefined
              : new Date(String(changes.expiresAt)).toISOString()
            : before?.expiresAt;
        expect(after?.expiresAt, context).toBe(expected);
        expect(view.expiresAt, context).toBe(expected);
        expect({ ...after, url: before?.url, expiresAt: before?.expiresAt }, context).toEqual(before);
      }
      // The generator reaches both sides.
      expect(seen.applied).toBeGreaterThan(20);
      expect(seen.refused).toBeGreaterThan(20);
    });
  });
});
