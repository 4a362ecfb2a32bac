// What people read from the `shorten` client: tables, one link, stats and the import report.
import { describe, expect, it } from 'vitest';
import type { Link, Stats } from '../../../lib/cli/api.ts';
import { importTable, linkDetails, linksTable, statsReport, table } from '../../../lib/cli/output.ts';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const link = (code: string, extra: Partial<Link> = {}): Link => ({
  link: code,
  url: `https://example.com/${code}`,
  shortUrl: `https://sho.rt/${code}`,
  created: '2026-11-01T10:00:00.000Z',
  count: 1234,
  bots: 5,
  ...extra,
});

describe('cli', () => {
  it('R4.2 aligns columns, numbers to the right, and cuts lines only when a terminal width is given', () => {
    const text = table(
      ['A', 'N', 'LAST'],
      [
        ['x', '5', 'a long last column'],
        ['yyyy', '123', 'z'],
      ],
      { numeric: [1] },
    );
    expect(text).toBe('A       N  LAST\nx       5  a long last column\nyyyy  123  z\n');
    expect(table(['A', 'LAST'], [['x', 'a long last column']], { width: 10 }).split('\n')[1]).toBe('x  a long…');
  });

  it('R4.2 lists links with code, people, bots, dates and status (expired, disabled)', () => {
    const text = linksTable(
      [
        link('live'),
        link('old', { expiresAt: '2026-11-01T00:00:00.000Z' }),
        link('gone', { disabled: { reason: 'x', at: '2026-11-20T08:00:00.000Z' } }),
      ],
      NOW,
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CODE\s+PEOPLE\s+BOTS\s+CREATED\s+EXPIRES\s+STATUS\s+URL$/);
    expect(lines[1]).toMatch(/^live\s+1234\s+5\s+2026-11-01\s+active\s+https:\/\/example\.com\/live$/);
    expect(lines[2]).toMatch(/2026-11-01 00:00Z\s+expired/);
    expect(lines[3]).toMatch(/\sdisabled\s/);
    expect(linksTable([], NOW)).toMatch(/No links yet/);
  });

  it('R3.3 shows one link with its short URL, destination, expiry and visits', () => {
    expect(linkDetails(link('docs', { expiresAt: '2030-01-01T00:00:00.000Z' }), NOW)).toBe(
      [
        'short URL:   https://sho.rt/docs',
        'code:        docs',
        'destination: https://example.com/docs',
        'created:     2026-11-01 10:00Z',
        'expires:     2030-01-01 00:00Z',
        'status:      active',
        'visits:      1234 by people, 5 by bots',
        '',
      ].join('\n'),
    );
  });

  it('R3.3 shows when and why an operator took a link down', () => {
    const text = linkDetails(link('gone', { disabled: { reason: 'phishing', at: '2026-11-20T08:00:00.000Z' } }), NOW);
    expect(text).toContain('status:      disabled\ntaken down:  2026-11-20 08:00Z by an operator: phishing\n');
  });

  it('R3.6 shows stats: totals, one line per day with a bar, and the non-empty top lists', () => {
    const stats: Stats = {
      link: 'docs',
      from: '2026-11-27',
      to: '2026-11-28',
      count: 3,
      bots: 1,
      days: [
        { date: '2026-11-27', count: 1, bots: 0 },
        { date: '2026-11-28', count: 2, bots: 1 },
      ],
      referrers: [{ name: 'direct', count: 3 }],
      countries: [],
      devices: [{ name: 'mobile', count: 3 }],
      browsers: [],
    };
    const text = statsReport(stats);
    expect(text).toContain('docs: 3 visits by people, 1 by bots, 2026-11-27 to 2026-11-28');
    expect(text).toMatch(/2026-11-28\s+2\s+1\s+#{40}\n/);
    expect(text).toMatch(/2026-11-27\s+1\s+0\s+#{20}\n/);
    expect(text).toMatch(/REFERRER\s+PEOPLE\ndirect\s+3/);
    expect(text).not.toContain('COUNTRY');
  });

  it('R5.1 words the import report for a dry run ("would be created") and counts each outcome', () => {
    const report = [
      {
        index: 0,
        status: 200,
        outcome: 'exists' as const,
        input: { url: 'https://a.example/', alias: 'a' },
        link: link('a'),
      },
      { index: 1, status: 201, outcome: 'created' as const, input: { url: 'https://b.example/' } },
      {
        index: 2,
        status: 409,
        outcome: 'taken' as const,
        input: { url: 'https://c.example/', alias: 'c' },
        error: 'alias already taken',
      },
    ];
    const dry = importTable(report, true);
    expect(dry).toMatch(/^ROW\s+RESULT\s+CODE\s+URL \/ MESSAGE\n/);
    expect(dry).toMatch(/\n {2}2\s+would be created\s+https:\/\/b\.example\/\n/);
    expect(dry).toMatch(/\n {2}3\s+alias taken\s+c\s+https:\/\/c\.example\/ {2}alias already taken\n/);
    expect(dry).toMatch(/Dry run, nothing written: 1 would be created, 1 already there, 1 alias taken\.\n$/);
    expect(importTable(report, false)).toMatch(/\n1 created, 1 already there, 1 alias taken\.\n$/);
  });

  it('R5.1 a dry run shows "(random)" for a row without alias, not the example code the API drew', () => {
    const row = { index: 0, status: 201, input: { url: 'https://b.example/' }, link: link('Xy12abCd') };
    expect(importTable([{ ...row, outcome: 'created' as const }], true)).toMatch(/would be created\s+\(random\)\s+/);
    expect(importTable([{ ...row, outcome: 'created' as const }], false)).toMatch(/created\s+Xy12abCd\s+/);
  });
});
