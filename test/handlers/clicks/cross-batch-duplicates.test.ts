// A click written twice (an attempt that timed out but landed, and its retry; or one request that
// reached Kinesis twice) whose two records fall into different batches: the later record in the shard
// is dropped, whatever the batching and re-delivery, and the stream is read at most once per shard and
// batch, only for records whose earlier copy could lie before the batch.
import type { KinesisStreamRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ClickEvent, decodeClick } from '../../../lambdas/domain/click.ts';
import { countClicksHandler } from '../../../lambdas/handlers/count-clicks.ts';
import type { ClickHistory, ClickHistoryQuery } from '../../../lambdas/ports.ts';
import { capturingLogger, click, kinesisEvent, kinesisRecord, MemoryCounterStore } from '../../unit/clicks/support.ts';

const SHARD = 'shardId-000000000000';
const AT = Date.parse(click('a').at);

/**
 * A record of click `id` (none: a click nobody looks up) on link `a`, written by `attempt`, sent
 * `sentMs` after the click (none: a record from before `sent` existed), that reached the shard
 * `afterMs` after the click.
 */
function copy(
  seq: number,
  id: string | undefined,
  attempt: number,
  afterMs: number,
  sentMs?: number,
): KinesisStreamRecord {
  const data: ClickEvent = id === undefined ? click('a') : { ...click('a'), id, attempt };
  if (sentMs !== undefined) data.sent = new Date(AT + sentMs).toISOString();
  const record = kinesisRecord(SHARD, String(seq), data);
  record.kinesis.approximateArrivalTimestamp = (AT + afterMs) / 1000;
  return record;
}

/** The port's contract over a list standing for the shard's contents, with the look-ups it was asked. */
class ShardHistory implements ClickHistory {
  readonly lookups: ClickHistoryQuery[] = [];
  failing = false;
  constructor(private readonly shard: KinesisStreamRecord[]) {}
  async earlierCopies(query: ClickHistoryQuery): Promise<Map<string, Date>> {
    this.lookups.push(query);
    if (this.failing) throw new Error('injected: GetRecords throttled');
    const found = new Map<string, Date>();
    for (const record of this.shard) {
      const arrived = new Date(record.kinesis.approximateArrivalTimestamp * 1000);
      if (BigInt(record.kinesis.sequenceNumber) >= BigInt(query.beforeSequence) || arrived < query.since) continue;
      const id = decodeClick(Buffer.from(record.kinesis.data, 'base64'))?.id;
      if (id !== undefined && query.clickIds.has(id) && !found.has(id)) found.set(id, arrived);
    }
    return found;
  }
}

function setUp(shard: KinesisStreamRecord[]) {
  const counters = new MemoryCounterStore();
  counters.addLink('a');
  const history = new ShardHistory(shard);
  const logger = capturingLogger();
  const handler = countClicksHandler({ counters, days: counters.days, history, logger });
  return { counters, history, logger, deliver: (records: KinesisStreamRecord[]) => handler(kinesisEvent(records)) };
}

describe('click-pipeline', () => {
  it('R4.13 counts once a click whose first attempt landed in one batch and its retry in the next, however either is re-delivered', async () => {
    const first = [copy(1, undefined, 1, 40), copy(2, 'c1', 1, 60, 0)];
    const second = [copy(3, undefined, 1, 1_020), copy(4, 'c1', 2, 1_080, 1_000)];
    const { counters, history, logger, deliver } = setUp([...first, ...second]);
    expect(await deliver(first)).toEqual({ batchItemFailures: [] });
    expect(await deliver(second)).toEqual({ batchItemFailures: [] });
    expect(counters.count('a')).toBe(3);
    expect(history.lookups.slice(1)).toEqual([
      {
        stream: second[1]?.eventSourceARN,
        shardId: SHARD,
        clickIds: new Set(['c1']),
        // The retry was sent at 1,000 ms: its first attempt was sent no earlier than a deadline before.
        since: new Date(AT - 250),
        beforeSequence: '3',
      },
    ]);
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'second copies of clicks counted in an earlier batch dropped',
      fields: { duplicates: 1 },
    });
    for (const again of [first, second, [...first, ...second], second.slice(1)]) await deliver(again);
    expect(counters.count('a')).toBe(3);
  });

  it('R4.13 counts once a click whose retry landed first and whose first attempt arrived late, in the next batch', async () => {
    const first = [copy(1, undefined, 1, 40), copy(2, 'c1', 2, 1_050, 1_000)];
    const second = [copy(3, 'c1', 1, 1_400, 0), copy(4, undefined, 1, 1_420)];
    const { counters, history, deliver } = setUp([...first, ...second]);
    await deliver(first);
    await deliver(second);
    expect(counters.count('a')).toBe(3);
    // The retry was suspect too, and its look-up found nothing: it is the copy that counts.
    expect(history.lookups.map((query) => query.beforeSequence)).toEqual(['1', '3']);
    // An earlier copy of the late first attempt cannot have arrived before it was sent, less the margin.
    expect(history.lookups[1]?.since).toEqual(new Date(AT - 250));
    for (const again of [second, first, [...first, ...second]]) await deliver(again);
    expect(counters.count('a')).toBe(3);
  });

  it('R4.13 counts a slow first attempt without a twin once, also when re-delivered', async () => {
    const batch = [copy(1, undefined, 1, 40), copy(2, 'slow', 1, 950, 0)];
    const { counters, history, deliver } = setUp(batch);
    await deliver(batch);
    await deliver(batch.slice(1));
    expect(counters.count('a')).toBe(2);
    // Looked up both times (sent before the batch began), found nothing before the batch both times.
    expect(history.lookups.map((query) => query.beforeSequence)).toEqual(['1', '2']);
  });

  it('R4.13 R4.9 keeps the first of two copies in one batch, so a re-delivery from between them adds nothing', async () => {
    const batch = [copy(1, 'c1', 1, 30, 0), copy(2, undefined, 1, 40), copy(3, 'c1', 2, 1_050, 1_000)];
    const { counters, history, deliver } = setUp(batch);
    await deliver(batch);
    expect(counters.count('a')).toBe(2);
    // Only the head's record was looked up; the retry's earlier copy is in the batch.
    expect(history.lookups.map((query) => [...query.clickIds])).toEqual([['c1']]);
    await deliver(batch.slice(1));
    expect(counters.count('a')).toBe(2);
  });

  it('R4.14 R4.16 reads the shard once, only for numbered records sent before the batch began (an identical copy could precede it)', async () => {
    const batch = [
      copy(1, 'c1', 1, 30, 0),
      copy(2, 'c2', 1, 700, 0),
      copy(3, 'late', 1, 900, 600),
      copy(4, 'c3', 1, 749),
      copy(5, undefined, 1, 5_000),
    ];
    const { counters, history, deliver } = setUp(batch);
    await deliver(batch);
    expect(counters.count('a')).toBe(5);
    expect(history.lookups.map((query) => [...query.clickIds])).toEqual([['c1', 'c2', 'c3']]);
  });

  it('R4.16 counts once a click whose request reached Kinesis twice, the identical copies in different batches', async () => {
    const first = [copy(1, undefined, 1, 20), copy(2, 'c1', 1, 40, 0)];
    const second = [copy(3, 'c1', 1, 45, 0), copy(4, undefined, 1, 60)];
    const { counters, deliver } = setUp([...first, ...second]);
    await deliver(first);
    await deliver(second);
    expect(counters.count('a')).toBe(3);
    for (const again of [second, first, [...first, ...second], first.slice(1)]) await deliver(again);
    expect(counters.count('a')).toBe(3);
  });

  it('R4.14 reads nothing when the batch starts before the earliest time a copy can have arrived', async () => {
    const batch = [copy(1, undefined, 1, -400), copy(2, undefined, 1, 100), copy(3, 'c1', 2, 1_050, 1_000)];
    const { counters, history, deliver } = setUp(batch);
    await deliver(batch);
    expect(counters.count('a')).toBe(3);
    expect(history.lookups).toEqual([]);
  });

  it('R4.15 stops at a suspect whose shard cannot be read, reports it, and counts exactly once it can', async () => {
    const first = [copy(1, 'c1', 1, 30, 0)];
    const second = [copy(2, 'x', 1, 900, 0), copy(3, 'c1', 2, 1_050, 1_000), copy(4, undefined, 1, 1_100)];
    const { counters, history, logger, deliver } = setUp([...first, ...second]);
    await deliver(first);
    // 'x' (seq 2) is itself suspect (900 ms late): the failing look-up stops the shard there.
    history.failing = true;
    expect(await deliver(second)).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(counters.count('a')).toBe(1);
    expect(logger.lines.map((line) => line.message)).toContain('earlier copy of a click could not be looked up');
    history.failing = false;
    expect(await deliver(second)).toEqual({ batchItemFailures: [] });
    expect(counters.count('a')).toBe(3);
  });

  it('R4.14 looks back only at the head of each batch for a burst of clicks that queued for their put slot but were each sent fast', async () => {
    // Queued up to 20 s behind the click, then each in flight for 300 ms: late by click time, not by send time.
    const burst = Array.from({ length: 200 }, (_, i) => copy(i + 1, `q${i}`, 1, 20_300 + 10 * i, 20_000 + 10 * i));
    const { counters, history, deliver } = setUp(burst);
    for (const batch of [burst.slice(0, 100), burst.slice(100)]) {
      expect(await deliver(batch)).toEqual({ batchItemFailures: [] });
    }
    expect(counters.count('a')).toBe(200);
    // One read per batch, for the clicks sent up to 250 ms after the batch's first record arrived.
    expect(history.lookups.map((query) => query.clickIds.size)).toEqual([56, 56]);
  });

  it('R4.14 answers every suspect of a shard from one read, from the earliest time any twin can have arrived', async () => {
    const first = [copy(1, 'c1', 1, 30, 0), copy(2, 'c2', 1, 400, 300), copy(3, undefined, 1, 1_000)];
    const second = [copy(4, 'c1', 2, 1_100, 1_000), copy(5, 'c2', 2, 1_350, 1_300), copy(6, 'c3', 2, 1_500, 1_400)];
    const { counters, history, deliver } = setUp([...first, ...second]);
    await deliver(first);
    expect(await deliver(second)).toEqual({ batchItemFailures: [] });
    expect(counters.count('a')).toBe(4);
    expect(history.lookups.slice(1)).toEqual([
      {
        stream: second[0]?.eventSourceARN,
        shardId: SHARD,
        clickIds: new Set(['c1', 'c2', 'c3']),
        since: new Date(AT - 250),
        beforeSequence: '4',
      },
    ]);
  });
});
