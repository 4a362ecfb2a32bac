import type { ClickEvent } from './click.ts';
import { DEFAULT_ATTEMPT_DEADLINE_MS } from './pending-clicks.ts';

/**
 * How far the redirect's clock (which sets `at`) may run ahead of Kinesis' (which sets the arrival
 * time). Too small a margin could miss a duplicate; too large only costs a look-up now and then.
 */
export const CLOCK_SKEW_MARGIN_MS = 250;

/**
 * Whether a record may be the second copy of its click in the shard. Of two copies, the later one is
 * either a retry (attempt 2) or a first attempt that landed after its retry was sent, and a retry is
 * only sent once the first attempt's deadline has passed since `at`. A record that is not suspect is
 * never a second copy, so only suspects are checked against the shard.
 */
export function isSuspect(click: ClickEvent, arrivedAt: Date): boolean {
  if ((click.attempt ?? 1) > 1) return true;
  return arrivedAt.getTime() - Date.parse(click.at) >= DEFAULT_ATTEMPT_DEADLINE_MS - CLOCK_SKEW_MARGIN_MS;
}

/** No copy of a click can arrive before the click was made (less the clock skew). */
export function earliestCopyArrival(click: ClickEvent): Date {
  return new Date(Date.parse(click.at) - CLOCK_SKEW_MARGIN_MS);
}
