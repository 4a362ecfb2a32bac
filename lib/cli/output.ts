// What people read: aligned tables, one link's details, stats and the import report.
// Scripts use --json instead, which prints the API's own shapes.

import type { ImportResult } from '../../frontend/assets/link-files.js';
import { summarise } from '../../frontend/assets/link-files.js';
import type { Link, Stats } from './api.ts';

/**
 * Left-aligned columns separated by two spaces; numeric columns right-aligned. The last column is
 * cut to `width` when given (a terminal), never when output goes to a file or a pipe.
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { numeric?: number[]; width?: number } = {},
): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const lines = all.map((row) =>
    row
      .map((cell, column) => {
        if (column === row.length - 1) return cell;
        return options.numeric?.includes(column)
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0);
      })
      .join('  ')
      .trimEnd(),
  );
  const width = options.width;
  return `${lines.map((line) => (width && line.length > width ? `${line.slice(0, Math.max(width - 1, 0))}…` : line)).join('\n')}\n`;
}

/** `active`, `expired` or `disabled`, as the link answers visitors right now. */
export function statusOf(link: Link, now: Date): string {
  if (link.disabled) return 'disabled';
  if (link.expiresAt && Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
const minute = (iso: string | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : '');

export function linksTable(links: readonly Link[], now: Date, width?: number): string {
  if (links.length === 0) return 'No links yet. Create one with `shorten create <url>`.\n';
  return table(
    ['CODE', 'PEOPLE', 'BOTS', 'CREATED', 'EXPIRES', 'STATUS', 'URL'],
    links.map((link) => [
      link.link,
      String(link.count),
      String(link.bots ?? '-'),
      day(link.created),
      minute(link.expiresAt),
      statusOf(link, now),
      link.url,
    ]),
    { numeric: [1, 2], width },
  );
}

export function linkDetails(link: Link, now: Date): string {
  const rows: [string, string][] = [
    ['short URL', link.shortUrl],
    ['code', link.link],
    ['destination', link.url],
    ['created', minute(link.created)],
    ['expires', link.expiresAt ? minute(link.expiresAt) : 'never'],
    ['status', statusOf(link, now)],
    ...(link.disabled
      ? [['taken down', `${minute(link.disabled.at)} by an operator: ${link.disabled.reason}`] as [string, string]]
      : []),
    ['visits', `${link.count} by people, ${link.bots ?? '-'} by bots`],
  ];
  return rows
    .map(([name, value]) => `${`${name}:`.padEnd(13)}${value}`)
    .join('\n')
    .concat('\n');
}

/** Totals, one line per day with a bar, and the top lists. */
export function statsReport(stats: Stats): string {
  const lines = [
    `${stats.link}: ${stats.count} ${stats.count === 1 ? 'visit' : 'visits'} by people, ${stats.bots} by bots, ${stats.from} to ${stats.to}`,
    '',
  ];
  const peak = Math.max(1, ...stats.days.map((entry) => entry.count));
  lines.push(
    table(
      ['DAY', 'PEOPLE', 'BOTS', ''],
      stats.days.map((entry) => [
        entry.date,
        String(entry.count),
        String(entry.bots),
        '#'.repeat(Math.round((entry.count / peak) * 40)),
      ]),
      { numeric: [1, 2] },
    ),
  );
  for (const [title, list] of [
    ['REFERRER', stats.referrers],
    ['COUNTRY', stats.countries],
    ['DEVICE', stats.devices],
    ['BROWSER', stats.browsers],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(
      table(
        [title, 'PEOPLE'],
        list.map((entry) => [entry.name, String(entry.count)]),
        { numeric: [1] },
      ),
    );
  }
  return lines.join('\n');
}

const OUTCOME_WORDS: Record<ImportResult['outcome'], [done: string, dry: string]> = {
  created: ['created', 'would be created'],
  exists: ['already there', 'already there'],
  invalid: ['invalid', 'invalid'],
  taken: ['alias taken', 'alias taken'],
  limited: ['quota reached', 'quota reached'],
  failed: ['failed', 'failed'],
};

/** One line per row (row numbers count data rows from 1, header excluded), then a summary. */
export function importTable(report: readonly ImportResult[], dryRun: boolean, width?: number): string {
  const word = (outcome: ImportResult['outcome']) => OUTCOME_WORDS[outcome][dryRun ? 1 : 0];
  const body = table(
    ['ROW', 'RESULT', 'CODE', 'URL / MESSAGE'],
    report.map((entry) => [
      String(entry.index + 1),
      word(entry.outcome),
      // A dry run draws no random code: the one it shows is an example, so say "random" instead.
      dryRun && !entry.input?.alias && entry.link ? '(random)' : (entry.link?.link ?? entry.input?.alias ?? ''),
      entry.error ? `${entry.input?.url ?? ''}  ${entry.error}`.trim() : (entry.link?.url ?? entry.input?.url ?? ''),
    ]),
    { numeric: [0], width },
  );
  const counts = summarise(report);
  const summary = (Object.keys(counts) as ImportResult['outcome'][])
    .filter((outcome) => counts[outcome] > 0)
    .map((outcome) => `${counts[outcome]} ${word(outcome)}`)
    .join(', ');
  return `${body}\n${dryRun ? 'Dry run, nothing written: ' : ''}${summary || 'no rows'}.\n`;
}
