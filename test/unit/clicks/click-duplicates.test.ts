import { describe, expect, it } from 'vitest';
import { CLICK_PUT, type ClickEvent, decodeClick, encodeClick } from '../../../lambdas/domain/click.ts';
import {
  CLOCK_SKEW_MARGIN_MS,
  earliestEarlierCopy,
  isSuspect,
  mayBeLaterCopy,
} from '../../../lambdas/domain/click-duplicates.ts';
import { PendingClicks } from '../../../lambdas/domain/pending-clicks.ts';

import { capturingLogger, click } from './support.ts';

const made = click('a');
const arrival = (afterMs: number) => new Date(Date.parse(made.at) + afterMs);

describe('click-pipeline', () => {
  it('R4.12 a first attempt is suspect from the put deadline less 250 ms after it was sent on', () => {
    const sent = { ...made, attempt: 1, sent: arrival(5_000).toISOString() };
    expect(isSuspect(sent, arrival(5_749))).toBe(false);
    expect(isSuspect(sent, arrival(5_750))).toBe(true);
    expect(isSuspect(sent, arrival(60_000))).toBe(true);
    // Records from before attempts were numbered are first attempts, and without `sent` count from the click.
    expect(isSuspect(made, arrival(749))).toBe(false);
    expect(isSuspect(made, arrival(750))).toBe(true);
  });

  it('R4.12 time spent queued for a put slot before the send does not make a record suspect', () => {
    expect(isSuspect({ ...made, attempt: 1, sent: arrival(30_000).toISOString() }, arrival(30_400))).toBe(false);
  });

  it('R4.12 a retry is always suspect, however fast it arrived', () => {
    expect(isSuspect({ ...made, attempt: 2 }, arrival(0))).toBe(true);
    expect(isSuspect({ ...made, attempt: 2 }, arrival(-1_000))).toBe(true);
  });

  it("R4.13 a retry's earlier attempt is looked for from a deadline plus 250 ms before the retry was sent", () => {
    expect(earliestEarlierCopy({ ...made, attempt: 2, sent: arrival(31_000).toISOString() })).toEqual(arrival(29_750));
    // A record from before `sent` existed falls back to the click time: a wider, still safe window.
    expect(earliestEarlierCopy({ ...made, attempt: 2 })).toEqual(arrival(-1_250));
  });

  it('R4.16 any numbered record may be the later of two identical copies (a request that reached Kinesis twice), looked for from 250 ms before it was sent', () => {
    const numbered = { ...made, id: 'c1', attempt: 1, sent: arrival(30_000).toISOString() };
    expect(mayBeLaterCopy(numbered, arrival(30_020))).toBe(true);
    expect(earliestEarlierCopy(numbered)).toEqual(arrival(29_750));
    // Records from before attempts were numbered: only when late, and never without an id.
    expect(mayBeLaterCopy({ ...made, id: 'c1' }, arrival(20))).toBe(false);
    expect(mayBeLaterCopy({ ...made, id: 'c1' }, arrival(800))).toBe(true);
    expect(mayBeLaterCopy({ ...made, attempt: 2 }, arrival(800))).toBe(false);
  });

  it('R3.7 R3.8 the attempt number and send time survive the codec; a record without one decodes without one; anything else is malformed', () => {
    const retry = { ...made, id: 'c1', attempt: 2, sent: arrival(1_000).toISOString() };
    expect(decodeClick(encodeClick(retry))).toEqual(retry);
    expect(decodeClick(new TextEncoder().encode(JSON.stringify({ ...retry, sent: 'soon' })))).toBeUndefined();
    expect(decodeClick(encodeClick({ ...made, id: 'c1' }))).toEqual({ ...made, id: 'c1' });
    for (const attempt of [0, 1.5, '2', 10, null]) {
      const bytes = new TextEncoder().encode(JSON.stringify({ ...made, attempt }));
      expect(decodeClick(bytes), String(attempt)).toBeUndefined();
    }
  });

  it('R3.7 R3.8 the recorder numbers its attempts and stamps each with its send time: 1, then 2 after the deadline', async () => {
    const seen: ClickEvent[] = [];
    const clicks = new PendingClicks(
      {
        put: (c) => {
          seen.push(c);
          // The first attempt never settles, so only its deadline ends it.
          return seen.length === 1 ? new Promise(() => {}) : Promise.resolve();
        },
      },
      capturingLogger(),
      { attemptDeadlineMs: 20 },
    );
    clicks.record(made);
    await clicks.flush();
    expect(seen.map((c) => c.attempt)).toEqual([1, 2]);
    expect(seen[0]?.id).toBe(seen[1]?.id);
    // Each attempt carries its own send time, the retry's at least a deadline after the first's.
    const [first = Number.NaN, retry = Number.NaN] = seen.map((c) => Date.parse(c.sent ?? ''));
    expect(retry - first).toBeGreaterThanOrEqual(20);
  });

  it('R3.8 a put that waited for a slot is stamped, and its deadline started, when it is sent, not when it was recorded', async () => {
    const seen: ClickEvent[] = [];
    const clicks = new PendingClicks(
      {
        put: (c) => {
          seen.push(c);
          // The blocker never settles: it holds the only slot through both its attempts (200 ms).
          return c.id === 'blocker' ? new Promise(() => {}) : Promise.resolve();
        },
      },
      capturingLogger(),
      { attemptDeadlineMs: 100, maxConcurrentPuts: 1 },
    );
    const recorded = Date.now();
    clicks.record({ ...made, id: 'blocker' });
    clicks.record({ ...made, id: 'queued' });
    await clicks.flush();
    // Sent once, after the wait: the queue time counted neither into its deadline nor its `sent`.
    const queued = seen.filter((c) => c.id === 'queued');
    expect(queued.map((c) => c.attempt)).toEqual([1]);
    expect(Date.parse(queued[0]?.sent ?? '')).toBeGreaterThanOrEqual(recorded + 190);
  });
});

describe('lambda-runtime', () => {
  it('R5.2 the Suspect window and the look-back follow the one put deadline the recorder uses', () => {
    const deadline = CLICK_PUT.attemptDeadlineMs;
    const first = { ...made, attempt: 1, sent: arrival(0).toISOString() };
    expect(isSuspect(first, arrival(deadline - CLOCK_SKEW_MARGIN_MS - 1))).toBe(false);
    expect(isSuspect(first, arrival(deadline - CLOCK_SKEW_MARGIN_MS))).toBe(true);
    // An earlier copy of a first attempt (an identical one) was sent with it.
    expect(earliestEarlierCopy(first).getTime()).toBe(arrival(-CLOCK_SKEW_MARGIN_MS).getTime());
    const retry = { ...made, attempt: 2, sent: arrival(deadline).toISOString() };
    expect(earliestEarlierCopy(retry).getTime()).toBe(arrival(-CLOCK_SKEW_MARGIN_MS).getTime());
  });
});
