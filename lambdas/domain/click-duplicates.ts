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
 * The earliest time the other copy of a suspect can have arrived. A retry's earlier attempts were sent
 * at least one deadline apart, so the first was sent no earlier than (attempt − 1) deadlines before
 * the retry. A late first attempt's other copy is a retry, sent no earlier than a deadline after it.
 * Both bounds follow send times, so the look-back spans about two deadlines of the shard however long
 * clicks queued before they were sent.
 */
export function earliestCopyArrival(click: ClickEvent): Date {
  const attempt = click.attempt ?? 1;
  const otherSent = attempt > 1 ? sentAt(click) - (attempt - 1) * DEADLINE_MS : sentAt(click) + DEADLINE_MS;
  return new Date(otherSent - CLOCK_SKEW_MARGIN_MS);
}
