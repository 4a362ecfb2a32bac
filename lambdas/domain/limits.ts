// Per-user quotas (links per UTC day, bulk rows per UTC day) and request rates (per minute), counted
// in UsageCounters. A counter's name says whose, what and which period; the store keeps it apart
// from links.
import type { UsageCounters } from '../ports.ts';
import { LimitReachedError } from './errors.ts';

export interface Limits {
  linksPerDay: number;
  bulkRowsPerDay: number;
  requestsPerMinute: number;
}

export type DailyQuota = 'links' | 'bulk';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

interface Period {
  name: string;
  /** When the period ends: the quota is back, and the counter can be forgotten. */
  ends: Date;
}

function dailyPeriod(quota: DailyQuota, user: string, now: Date): Period {
  const start = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { name: `${quota}/${user}/${new Date(start).toISOString().slice(0, 10)}`, ends: new Date(start + DAY_MS) };
}

/** Whole seconds until `ends`, at least 1: the `Retry-After` of a 429. */
export function secondsUntil(ends: Date, now: Date): number {
  return Math.max(1, Math.ceil((ends.getTime() - now.getTime()) / 1000));
}

const QUOTA_MESSAGES: Record<DailyQuota, string> = {
  links: 'daily quota of links reached',
  bulk: 'daily quota of bulk-created links reached',
};

export interface Reservation {
  granted: number;
  /** Gives back what was reserved but not used (a taken alias, a failed write). */
  release(unused: number): Promise<void>;
  /** The error for the requests that got nothing. */
  exhausted(): LimitReachedError;
}

/** Reserves up to `amount` of today's `quota` for `user`. */
export async function reserveDaily(
  usage: UsageCounters,
  quota: DailyQuota,
  user: string,
  amount: number,
  limit: number,
  now: Date,
): Promise<Reservation> {
  const period = dailyPeriod(quota, user, now);
  const granted = amount > 0 ? await usage.take(period.name, amount, limit, period.ends) : 0;
  return {
    granted,
    release: async (unused) => {
      if (unused > 0) await usage.giveBack(period.name, unused);
    },
    exhausted: () =>
      new LimitReachedError(`${QUOTA_MESSAGES[quota]} (${limit} per day)`, secondsUntil(period.ends, now)),
  };
}

/** How much of today's `quota` is left for `user` (a read only, for dry runs). */
export async function remainingDaily(
  usage: UsageCounters,
  quota: DailyQuota,
  user: string,
  limit: number,
  now: Date,
): Promise<{ remaining: number; exhausted(): LimitReachedError }> {
  const period = dailyPeriod(quota, user, now);
  const used = await usage.peek(period.name);
  return {
    remaining: Math.max(0, limit - used),
    exhausted: () =>
      new LimitReachedError(`${QUOTA_MESSAGES[quota]} (${limit} per day)`, secondsUntil(period.ends, now)),
  };
}

/** Counts one request of `user` in the current minute; a LimitReachedError once the minute's limit is used. */
export async function countRequest(usage: UsageCounters, user: string, limit: number, now: Date): Promise<void> {
  const start = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const ends = new Date(start + MINUTE_MS);
  if ((await usage.take(`requests/${user}/${start / MINUTE_MS}`, 1, limit, ends)) === 0) {
    throw new LimitReachedError(`too many requests (${limit} per minute)`, secondsUntil(ends, now));
  }
}
