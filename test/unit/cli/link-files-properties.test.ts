// Seeded random inputs for the correctness properties of the file formats: reproducible, so a
// failure names the seed and the input that broke it.
import { describe, expect, it } from 'vitest';
import {
  type ExportedLink,
  importReport,
  linksToCsv,
  linksToJson,
  parseCsv,
  planImport,
  readLinkFile,
  toCsv,
} from '../../../frontend/assets/link-files.js';
import { seeded } from '../../support/seeded.ts';

const PIECES = ['a', 'Z', '0', ',', ';', '"', '""', '\r\n', '\n', '\r', ' ', 'é', '\u{1F600}', '\t', 'x y', '='];
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

function text(random: () => number, max = 6): string {
  let out = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

function code(random: () => number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
  let out = '';
  const length = 3 + Math.floor(random() * 10);
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function randomLinks(random: () => number): ExportedLink[] {
  return Array.from({ length: Math.floor(random() * 8) }, (_, i) => ({
    link: code(random),
    url: `https://e${i}.example/${encodeURIComponent(text(random))}?q=${encodeURIComponent(text(random))}`,
    shortUrl: 'https://sho.rt/x',
    created: '2026-11-01T10:00:00.000Z',
    count: Math.floor(random() * 100),
    bots: Math.floor(random() * 10),
    ...(random() < 0.5 ? { expiresAt: '2031-01-01T00:00:00.000Z' } : {}),
  }));
}

describe('cli', () => {
  it('P1 (R1.1) for any records, parseCsv(toCsv(records)) gives the records back', () => {
    for (const seed of SEEDS) {
      const random = seeded(seed);
      const width = 1 + Math.floor(random() * 4);
      // A record of one empty field is a blank line, which readers skip: give each record a first cell.
      const records = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
        Array.from({ length: width }, (_, column) => (column === 0 ? `r${text(random)}` : text(random))),
      );
      expect(parseCsv(toCsv(records), ','), `seed ${seed}`).toEqual(records);
    }
  });

  it('P2 (R1.2) for any links, reading our CSV or JSON export gives back their url, code and expiry', () => {
    for (const seed of SEEDS) {
      const links = randomLinks(seeded(seed));
      const expected = links.map((link, index) => ({
        index,
        input: { url: link.url, alias: link.link, ...(link.expiresAt ? { expiresAt: link.expiresAt } : {}) },
      }));
      expect(readLinkFile(linksToCsv(links)).rows, `seed ${seed} csv`).toEqual(expected);
      expect(readLinkFile(linksToJson(links)).rows, `seed ${seed} json`).toEqual(expected);
    }
  });

  it('P3 (R1.8) for any file, importing it again after a successful import sends nothing', () => {
    for (const seed of SEEDS) {
      const random = seeded(seed);
      const existing = randomLinks(random);
      const lines = ['url,alias'];
      for (let i = 0; i < 1 + Math.floor(random() * 10); i++) {
        const reuse =
          existing.length > 0 && random() < 0.3 ? existing[Math.floor(random() * existing.length)] : undefined;
        const url = reuse?.url ?? `https://n${Math.floor(random() * 4)}.example/`;
        const alias = random() < 0.5 ? '' : (reuse?.link ?? `a${Math.floor(random() * 4)}x`);
        lines.push(toCsv([[url, alias]]).trim());
      }
      const rows = readLinkFile(lines.join('\n')).rows;
      const first = planImport(rows, existing);
      // The API creates every row sent whose alias is free; a random code for rows without alias.
      const taken = new Set(existing.map((link) => link.link));
      const created: ExportedLink[] = [];
      const results = first.send.map(({ input }, position) => {
        const alias = input.alias ?? `rnd${seed}x${position}`;
        if (taken.has(alias)) return { index: position, status: 409, error: 'alias already taken' };
        taken.add(alias);
        const made = { link: alias, url: new URL(input.url).href, shortUrl: '', created: '', count: 0, bots: 0 };
        created.push(made);
        return { index: position, status: 201, link: made };
      });
      const report = importReport(first, results);
      const second = planImport(rows, [...existing, ...created]);
      const conflicts = new Set(report.filter((entry) => entry.outcome === 'taken').map((entry) => entry.index));
      expect(
        second.send.filter((item) => !conflicts.has(item.index)),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });
});
