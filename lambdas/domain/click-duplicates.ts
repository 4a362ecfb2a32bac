import { CLICK_PUT, type ClickEvent } from './click.ts';

const DEADLINE_MS = CLICK_PUT.attemptDeadlineMs;

/**
 * How far the redirect's clock (which sets `sent`) may run ahead of Kinesis' (which sets the arrival
 * time), together with the event-loop lag of a retry behind its deadline. Too small a margin could
 * miss a duplicate; too large only costs a look-up now and then.
 */
export const CLOCK_SKEW_MARGIN_MS = 250;

/** When the attempt that wrote the record was sent; records from before `sent` existed use the click time. */
function sentAt(click: ClickEvent): number {
  return Date.parse(click.sent ?? click.at);
}

/**
 * Whether a record may be the second copy of its click in the shard. Of two copies, the later one is
 * either a retry (attempt 2) or a first attempt that landed after its retry, which is only sent once
 * the first attempt's deadline has passed since the first attempt was sent. So a first attempt is
 * suspect only when it was in flight for the deadline less the margin; time spent waiting for a put
 * slot does not count. A record that is not suspect is never a second copy, and is never looked up.
 */
export function isSuspect(click: ClickEvent, arrivedAt: Date): boolean {
  if ((click.attempt ?? 1) > 1) return true;
  return arrivedAt.getTime() - sentAt(click) >= DEADLINE_MS - CLOCK_SKEW_MARGIN_MS;
}

/**
 * Whether a record may be the later of two copies of its click. A retry or a late first attempt may
 * be (see `isSuspect`); so may any numbered record, as an identical copy: a put whose request reached
 * Kinesis twice (an answer lost on the way back and the request sent again below the recorder) writes
 * the same attempt twice, a moment apart. Records from before attempts were numbered are only ever
 * suspects by lateness.
 */
export function mayBeLaterCopy(click: ClickEvent, arrivedAt: Date): boolean {
  return click.id !== undefined && (click.attempt !== undefined || isSuspect(click, arrivedAt));
}

/**
 * The earliest time an earlier copy of a record can have arrived: an identical copy was sent with it
 * (no earlier than its `sent`, less the margin), a retry's earlier attempts up to (attempt − 1)
 * deadlines before it.
 */
export function earliestEarlierCopy(click: ClickEvent): Date {
  const attempt = click.attempt ?? 1;
  return new Date(sentAt(click) - (attempt - 1) * DEADLINE_MS - CLOCK_SKEW_MARGIN_MS);
}
