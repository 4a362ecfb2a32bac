import { describe, expect, it } from 'vitest';
import { type ClickEvent, decodeClick, encodeClick } from '../../../lambdas/domain/click.ts';
import { earliestCopyArrival, isSuspect } from '../../../lambdas/domain/click-duplicates.ts';
import { PendingClicks } from '../../../lambdas/domain/pending-clicks.ts';

import { capturingLogger, click } from './support.ts';

const made = click('a');
const arrival = (afterMs: number) => new Date(Date.parse(made.at) + afterMs);

describe('click-pipeline', () => {
  it('R4.12 a first attempt is suspect from the put deadline less 250 ms after the click on', () => {
    expect(isSuspect({ ...made, attempt: 1 }, arrival(749))).toBe(false);
    expect(isSuspect({ ...made, attempt: 1 }, arrival(750))).toBe(true);
    expect(isSuspect({ ...made, attempt: 1 }, arrival(60_000))).toBe(true);
    // Records from before attempts were numbered are first attempts.
    expect(isSuspect(made, arrival(749))).toBe(false);
    expect(isSuspect(made, arrival(750))).toBe(true);
  });

  it('R4.12 a retry is always suspect, however fast it arrived', () => {
    expect(isSuspect({ ...made, attempt: 2 }, arrival(0))).toBe(true);
    expect(isSuspect({ ...made, attempt: 2 }, arrival(-1_000))).toBe(true);
  });

  it('R4.13 no copy of a click is looked for before the click less the clock-skew margin', () => {
    expect(earliestCopyArrival(made)).toEqual(arrival(-250));
  });

  it('R3.7 the attempt number survives the codec; a record without one decodes without one; anything else is malformed', () => {
    const retry = { ...made, id: 'c1', attempt: 2 };
    expect(decodeClick(encodeClick(retry))).toEqual(retry);
    expect(decodeClick(encodeClick({ ...made, id: 'c1' }))).toEqual({ ...made, id: 'c1' });
    for (const attempt of [0, 1.5, '2', 10, null]) {
      const bytes = new TextEncoder().encode(JSON.stringify({ ...made, attempt }));
      expect(decodeClick(bytes), String(attempt)).toBeUndefined();
    }
  });

  it('R3.7 the recorder numbers its attempts: 1, then 2 for the retry after the deadline', async () => {
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
  });
});
