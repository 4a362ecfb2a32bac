// Per-day counters and the stats of a link over a range of UTC days: pure functions over the stored
// day counts. The consumer folds each batch into a day with `addClicks`; the stats API sums days with
// `summarizeStats`.
import type { CountedClick, DayCounterStore, DayCounts } from '../ports.ts';
import { isLinkCode } from './codes.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { UNDESCRIBED_VISIT } from './visit.ts';

/** The entry every list folds its smaller entries into. */
export const OTHER = 'other';
/** Entries per list in a stats answer; the rest is folded into `other`. */
export const MAX_LIST_ENTRIES = 10;
/** Longest range one request may ask for, both ends included. */
export const MAX_RANGE_DAYS = 366;
/** The range when none is given: the 30 days ending today. */
export const DEFAULT_RANGE_DAYS = 30;

/** The four lists of a day or a range, and the field of a visit each one counts. */
export const LISTS = ['referrers', 'countries', 'devices', 'browsers'] as const;
export type ListName = (typeof LISTS)[number];
export const VISIT_FIELD = {
  referrers: 'referrer',
  countries: 'country',
  devices: 'device',
  browsers: 'browser',
} as const;

export function emptyDay(day: string): DayCounts {
  return { day, count: 0, bots: 0, referrers: {}, countries: {}, devices: {}, browsers: {} };
}

/**
 * `day` with `clicks` added: people to `count` and to one entry of each list, bots to `bots`. A list
 * keeps its `maxEntries` largest entries; the rest is folded into `other`, so a list always sums to
 * `count` and a stored day stays small however many referrers a link has.
 */
export function addClicks(day: DayCounts, clicks: readonly CountedClick[], maxEntries: number): DayCounts {
  const next: DayCounts = {
    ...day,
    referrers: { ...day.referrers },
    countries: { ...day.countries },
    devices: { ...day.devices },
    browsers: { ...day.browsers },
  };
  for (const click of clicks) {
    if (click.bot) {
      next.bots++;
      continue;
    }
    next.count++;
    const visit = click.visit ?? UNDESCRIBED_VISIT;
    for (const list of LISTS) {
      const name = visit[VISIT_FIELD[list]];
      next[list][name] = (next[list][name] ?? 0) + 1;
    }
  }
  for (const list of LISTS) next[list] = foldList(next[list], maxEntries);
  return next;
}

/** The largest `maxEntries` entries (by count, then name), the rest summed into `other`. */
export function foldList(list: Readonly<Record<string, number>>, maxEntries: number): Record<string, number> {
  const entries = Object.entries(list).filter(([name, count]) => name !== OTHER && count > 0);
  if (entries.length <= maxEntries) return { ...list };
  const ranked = entries.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const folded: Record<string, number> = Object.fromEntries(ranked.slice(0, maxEntries));
  const rest = ranked.slice(maxEntries).reduce((sum, [, count]) => sum + count, list[OTHER] ?? 0);
  if (rest > 0) folded[OTHER] = rest;
  return folded;
}

export interface DateRange {
  from: string;
  to: string;
  /** Every day of the range, ascending. */
  days: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function parseDay(value: string, name: string): number {
  const time = DATE.test(value) ? Date.parse(`${value}T00:00:00.000Z`) : Number.NaN;
  // Date.parse accepts 2026-02-30; the round trip does not.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new ValidationError(`${name} must be a date as YYYY-MM-DD`);
  }
  return time;
}

const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The UTC days asked for: both ends included; without `to`, today; without `from`, the 30 days ending
 * at `to`. A malformed date, `from` after `to` or more than 366 days is a 400.
 */
export function parseRange(from: string | undefined, to: string | undefined, now: Date): DateRange {
  const end = to === undefined ? parseDay(dayOf(now.getTime()), 'to') : parseDay(to, 'to');
  const start = from === undefined ? end - (DEFAULT_RANGE_DAYS - 1) * DAY_MS : parseDay(from, 'from');
  if (start > end) throw new ValidationError('from must not be after to');
  const length = (end - start) / DAY_MS + 1;
  if (length > MAX_RANGE_DAYS) throw new ValidationError(`a range is at most ${MAX_RANGE_DAYS} days`);
  const days = Array.from({ length }, (_, index) => dayOf(start + index * DAY_MS));
  return { from: dayOf(start), to: dayOf(end), days };
}

export interface NamedCount {
  name: string;
  count: number;
}

export interface LinkStats {
  link: string;
  from: string;
  to: string;
  count: number;
  bots: number;
  days: { date: string; count: number; bots: number }[];
  referrers: NamedCount[];
  countries: NamedCount[];
  devices: NamedCount[];
  browsers: NamedCount[];
}

/** Sums the stored days over the range: every day present, zeros included; lists top 10 plus `other`. */
export function summarizeStats(link: string, range: DateRange, stored: readonly DayCounts[]): LinkStats {
  const byDay = new Map(stored.map((day) => [day.day, day]));
  const totals: Record<ListName, Record<string, number>> = { referrers: {}, countries: {}, devices: {}, browsers: {} };
  let count = 0;
  let bots = 0;
  const days = range.days.map((date) => {
    const day = byDay.get(date) ?? emptyDay(date);
    count += day.count;
    bots += day.bots;
    for (const list of LISTS) {
      for (const [name, value] of Object.entries(day[list])) totals[list][name] = (totals[list][name] ?? 0) + value;
    }
    return { date, count: day.count, bots: day.bots };
  });
  const ranked = (list: ListName): NamedCount[] => {
    const folded = foldList(totals[list], MAX_LIST_ENTRIES);
    const named = Object.entries(folded)
      .filter(([name]) => name !== OTHER)
      .map(([name, value]) => ({ name, count: value }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    const other = folded[OTHER] ?? 0;
    return other > 0 ? [...named, { name: OTHER, count: other }] : named;
  };
  return {
    link,
    from: range.from,
    to: range.to,
    count,
    bots,
    days,
    referrers: ranked('referrers'),
    countries: ranked('countries'),
    devices: ranked('devices'),
    browsers: ranked('browsers'),
  };
}

export interface StatsDeps {
  days: Pick<DayCounterStore, 'subject' | 'read'>;
  now?: () => Date;
}

export interface StatsInput {
  creator: string;
  link: string;
  from?: string;
  to?: string;
}

/** The stats of the caller's own link; someone else's or unknown is a 404, a bad range a 400. */
export async function linkStats(deps: StatsDeps, input: StatsInput): Promise<LinkStats> {
  const range = parseRange(input.from, input.to, (deps.now ?? (() => new Date()))());
  const subject = isLinkCode(input.link) ? await deps.days.subject(input.link) : undefined;
  if (subject === undefined || subject.creator !== input.creator) throw new NotFoundError('link not found');
  return summarizeStats(input.link, range, await deps.days.read(input.link, subject.incarnation, range.days));
}
