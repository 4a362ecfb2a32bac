// The page's pure logic in Node: finding links, the stats chart's scale and range, and the vendored
// QR library. Seeded random inputs for the correctness properties, as elsewhere in the suite.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ExportedLink } from '../../../frontend/assets/link-files.js';
// @ts-expect-error plain ES modules of the page, without type declarations
import { linkState, selectLinks } from '../../../frontend/assets/links.js';
// @ts-expect-error plain ES module of the page
import { lastDays, niceMax } from '../../../frontend/assets/stats.js';
import { seeded } from '../../support/seeded.ts';

/** A link as the page holds it: as the API returns it, with the take-down while an operator has it down. */
type Link = ExportedLink & { disabled?: { reason: string; at: string } };

const NOW = Date.parse('2026-11-29T12:00:00Z');
const WORDS = ['retro', 'Guestbook', 'webring', 'ITEM', 'item-7', 'über', 'a', 'zz', '42'];

function randomLinks(random: () => number, size: number): Link[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: size }, (_, index) => {
    const link: Link = {
      link: `${pick(WORDS)}${index}`,
      url: `https://${pick(WORDS).toLowerCase()}.example/${pick(WORDS)}`,
      shortUrl: `https://s.example/${index}`,
      created: new Date(NOW - Math.floor(random() * 1e9)).toISOString(),
      count: Math.floor(random() * 5),
      bots: Math.floor(random() * 3),
    };
    const fate = random();
    if (fate < 0.2) link.expiresAt = new Date(NOW - 1000).toISOString();
    else if (fate < 0.4) link.expiresAt = new Date(NOW + 1000).toISOString();
    else if (fate < 0.5) link.disabled = { reason: 'phishing', at: new Date(NOW).toISOString() };
    return link;
  });
}

describe('web-page', () => {
  it('R3.9 property: the rows shown are exactly the links matching the search and the state, in the chosen order', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const links = randomLinks(random, Math.floor(random() * 60));
      const query = random() < 0.3 ? '' : (WORDS[Math.floor(random() * WORDS.length)] as string);
      const state = ['all', 'active', 'expired', 'disabled'][Math.floor(random() * 4)] as string;
      const sort = ['newest', 'oldest', 'most-clicks', 'fewest-clicks', 'code', 'destination'][
        Math.floor(random() * 6)
      ] as string;
      const shown: Link[] = selectLinks(links, { query, state, sort }, NOW);
      const needle = query.toLowerCase();
      const expected = links.filter(
        (link) =>
          (state === 'all' || linkState(link, NOW) === state) &&
          (link.link.toLowerCase().includes(needle) || link.url.toLowerCase().includes(needle)),
      );
      const context = `seed ${seed}: ${JSON.stringify({ query, state, sort })}`;
      expect(new Set(shown), context).toEqual(new Set(expected));
      expect(shown, context).toHaveLength(expected.length);
      for (let i = 1; i < shown.length; i++) {
        const [a, b] = [shown[i - 1] as Link, shown[i] as Link];
        if (sort === 'newest') expect(a.created >= b.created, context).toBe(true);
        if (sort === 'oldest') expect(a.created <= b.created, context).toBe(true);
        if (sort === 'most-clicks') expect(a.count >= b.count, context).toBe(true);
        if (sort === 'fewest-clicks') expect(a.count <= b.count, context).toBe(true);
        if (sort === 'code') expect(a.link.localeCompare(b.link) <= 0, context).toBe(true);
        if (sort === 'destination') expect(a.url.localeCompare(b.url) <= 0, context).toBe(true);
      }
    }
  });

  it('R9.1 a link is expired from its expiry instant on, and disabled wins over both', () => {
    const base = { link: 'x', url: 'https://e.example/', shortUrl: '', created: '', count: 0, bots: 0 };
    expect(linkState(base, NOW)).toBe('active');
    expect(linkState({ ...base, expiresAt: new Date(NOW + 1).toISOString() }, NOW)).toBe('active');
    expect(linkState({ ...base, expiresAt: new Date(NOW).toISOString() }, NOW)).toBe('expired');
    expect(
      linkState({ ...base, expiresAt: new Date(NOW - 1).toISOString(), disabled: { reason: 'spam', at: '' } }, NOW),
    ).toBe('disabled');
  });

  it('R11.1 the chart scale is a round number at or above the busiest day', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 99, 101, 4999].map(niceMax)).toEqual([1, 1, 2, 5, 10, 10, 20, 100, 200, 5000]);
    for (let seed = 1; seed <= 200; seed++) {
      const value = Math.floor(seeded(seed)() * 1e6);
      const max = niceMax(value);
      expect(max).toBeGreaterThanOrEqual(value);
      expect(max / 10 ** Math.floor(Math.log10(max))).toSatisfy((lead: number) => [1, 2, 5].includes(lead));
    }
  });

  it('R11.4 asks for the last N UTC days ending today', () => {
    expect(lastDays(30, Date.parse('2026-03-01T23:59:59Z'))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(lastDays(1, Date.parse('2026-11-29T00:00:00Z'))).toEqual({ from: '2026-11-29', to: '2026-11-29' });
    expect(lastDays(366, Date.parse('2026-11-29T12:00:00Z'))).toEqual({ from: '2025-11-29', to: '2026-11-29' });
  });

  it('R10.3 vendors qrcode-generator unchanged, with its MIT licence beside it', async () => {
    const vendored = await readFile('frontend/assets/vendor/qrcode-generator.js');
    expect(vendored.equals(await readFile('node_modules/qrcode-generator/dist/qrcode.mjs'))).toBe(true);
    const licence = await readFile('frontend/assets/vendor/qrcode-generator.LICENSE.txt', 'utf8');
    expect(licence).toContain('The MIT License');
    expect(licence).toContain('Copyright (c) 2009 Kazuhiko Arase');
  });
});
