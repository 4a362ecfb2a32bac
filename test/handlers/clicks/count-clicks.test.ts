import { describe, expect, it } from 'vitest';
import { countClicksHandler } from '../../../lambdas/handlers/count-clicks.ts';
import type { CounterOutcome, CounterStore, CounterUpdate, DayCounterStore, Logger } from '../../../lambdas/ports.ts';
import {
  capturingLogger,
  click,
  deferred,
  eventually,
  kinesisEvent,
  kinesisRecord,
  MemoryCounterStore,
  memoryDeps,
} from '../../unit/clicks/support.ts';

const SHARD = 'shardId-000000000000';
const rec = (seq: number, link: string) => kinesisRecord(SHARD, String(seq), click(link));

const APPLIED: CounterOutcome = { kind: 'applied' };

class RecordingStore implements CounterStore {
  readonly updates: CounterUpdate[] = [];
  constructor(private readonly outcome: (update: CounterUpdate) => Promise<CounterOutcome> = async () => APPLIED) {}
  apply(update: CounterUpdate): Promise<CounterOutcome> {
    this.updates.push(update);
    return this.outcome(update);
  }
}

const noDays: DayCounterStore = {
  apply: async () => ({ kind: 'applied' }),
  subject: async () => undefined,
  read: async () => [],
};

const recording = (counters: RecordingStore, logger: Logger = capturingLogger(), concurrency?: number) =>
  countClicksHandler({ counters, days: noDays, logger, ...(concurrency === undefined ? {} : { concurrency }) });
const person = (seq: number) => ({ sequenceNumber: String(seq), bot: false, visit: expect.anything() });

describe('click-pipeline', () => {
  it("R4.1 writes once per link per batch, with that link's sequence numbers in order", async () => {
    const counters = new RecordingStore();
    const handler = recording(counters);
    const response = await handler(kinesisEvent([rec(1, 'a'), rec(2, 'b'), rec(3, 'a'), rec(10, 'a'), rec(11, 'b')]));
    expect(response).toEqual({ batchItemFailures: [] });
    const byLink = Object.fromEntries(counters.updates.map((u) => [u.link, u]));
    expect(counters.updates).toHaveLength(2);
    expect(byLink.a).toEqual({ link: 'a', shardId: SHARD, clicks: [1, 3, 10].map(person) });
    expect(byLink.b?.clicks).toEqual([2, 11].map(person));
  });

  it('R4.5 skips and logs a malformed record and counts the rest', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    const logger = capturingLogger();
    const handler = countClicksHandler({ ...memoryDeps(counters), logger });
    const garbage = kinesisRecord(SHARD, '2', new TextEncoder().encode('not a click'));
    const noEventId = { ...rec(4, 'a'), eventID: 'no-colon' };
    const response = await handler(kinesisEvent([rec(1, 'a'), garbage, rec(3, 'a'), noEventId]));
    expect(response.batchItemFailures).toEqual([]);
    expect(counters.count('a')).toBe(2);
    expect(
      logger.lines.filter((l) => l.message === 'malformed click record skipped').map((l) => l.fields?.sequenceNumber),
    ).toEqual(['2', '4']);
  });

  it('R4.4 reports the lowest sequence number of the links whose write failed, as Lambda sent it', async () => {
    const counters = new RecordingStore(async (u) => {
      if (u.link === 'b' || u.link === 'c') throw new Error('throttled');
      return APPLIED;
    });
    const logger = capturingLogger();
    const handler = recording(counters, logger);
    const response = await handler(
      kinesisEvent([rec(100, 'a'), rec(205, 'c'), rec(1000, 'b'), rec(1001, 'a'), rec(1002, 'c')]),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '205' }] });
    expect(
      logger.lines
        .filter((l) => l.level === 'error')
        .map((l) => l.fields?.link)
        .sort(),
    ).toEqual(['b', 'c']);
  });

  it('R4.6 drops clicks of a deleted link without failing the batch', async () => {
    const counters = new MemoryCounterStore();
    const logger = capturingLogger();
    const response = await countClicksHandler(memoryDeps(counters, logger))(
      kinesisEvent([rec(1, 'gone'), rec(2, 'gone')]),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(counters.items.has('gone')).toBe(false);
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'clicks for a deleted link dropped',
      fields: { link: 'gone', clicks: 2 },
    });
  });

  it('R4.1 writes links in parallel, never more at once than its concurrency', async () => {
    const gate = deferred();
    let running = 0;
    let peak = 0;
    const counters = new RecordingStore(async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
      return APPLIED;
    });
    const handler = recording(counters, capturingLogger(), 4);
    const done = handler(kinesisEvent(Array.from({ length: 10 }, (_, i) => rec(i + 1, `link${i}`))));
    await eventually(() => running === 4, 'four writes in flight');
    gate.resolve();
    await done;
    expect(peak).toBe(4);
    expect(counters.updates).toHaveLength(10);
  });

  it('R4.9 counts a click written twice (same id, same shard) once, under its later record', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    const logger = capturingLogger();
    const handler = countClicksHandler(memoryDeps(counters, logger));
    const twice = { ...click('a'), id: 'c1' };
    const records = [
      kinesisRecord(SHARD, '1', twice),
      kinesisRecord(SHARD, '2', { ...click('a'), id: 'c2' }),
      kinesisRecord(SHARD, '3', twice),
    ];
    expect(await handler(kinesisEvent(records))).toEqual({ batchItemFailures: [] });
    expect(counters.count('a')).toBe(2);
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'duplicate click records counted once',
      fields: { duplicates: 1 },
    });
    // Re-delivered from between the two copies: the mark already passes the later one.
    await handler(kinesisEvent(records.slice(1)));
    expect(counters.count('a')).toBe(2);
  });

  it('R4.10 writes once per incarnation: clicks on a deleted link and on its re-created code in one batch are separate groups', async () => {
    const OLD = 'b1f0c3f8-old';
    const NEW = '0a9e2d11-new';
    const counters = new RecordingStore();
    const handler = recording(counters);
    const at = (seq: number, incarnation: string) => kinesisRecord(SHARD, String(seq), click('reX', incarnation));
    await handler(kinesisEvent([at(1, OLD), at(2, OLD), at(3, NEW), at(4, OLD), at(5, NEW)]));
    expect(counters.updates).toEqual([
      { link: 'reX', shardId: SHARD, incarnation: OLD, clicks: [1, 2, 4].map(person) },
      { link: 'reX', shardId: SHARD, incarnation: NEW, clicks: [3, 5].map(person) },
    ]);
  });

  it('R4.11 clicks without an incarnation (recorded before clicks named one) join the incarnation clicked last in their batch, one write per item', async () => {
    // Random ids have no order: the incarnation whose clicks come last in the shard is the living one.
    const OLD = 'ffff-old';
    const NEW = '0000-new';
    const counters = new MemoryCounterStore();
    counters.addLink('reX', NEW);
    const handler = countClicksHandler(memoryDeps(counters));
    const at = (seq: number, incarnation?: string) => kinesisRecord(SHARD, String(seq), click('reX', incarnation));
    await handler(kinesisEvent([at(1), at(2, OLD), at(3, NEW), at(4), at(5, NEW)]));
    // 1, 3, 4, 5 on the new link under one mark; 2 was made on the deleted one.
    expect(counters.count('reX')).toBe(4);
    expect(counters.writes).toBe(1);
    await handler(kinesisEvent([at(6)]));
    expect(counters.count('reX')).toBe(5);
  });

  it('R4.3 counts nothing twice when the same batch is delivered again', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    const handler = countClicksHandler(memoryDeps(counters));
    const batch = kinesisEvent([rec(1, 'a'), rec(2, 'a')]);
    await handler(batch);
    await handler(batch);
    expect(counters.count('a')).toBe(2);
  });
});
