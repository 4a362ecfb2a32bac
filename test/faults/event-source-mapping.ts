// A test double of Lambda's Kinesis event source mapping, with the behaviours the exactly-once
// argument has to survive: at-least-once delivery (a processed batch may come again), re-delivery
// from the lowest reported batch item failure, bisection when the function errors, and any number
// of shards read in parallel, each strictly in order (parallelization factor 1).
import type { KinesisStreamEvent } from 'aws-lambda';
import { type ClickEvent, decodeClick } from '../../lambdas/domain/click.ts';
import type { StreamHandler } from '../../lambdas/handlers/types.ts';
import type {
  ClickHistory,
  ClickHistoryQuery,
  CounterOutcome,
  CounterStore,
  CounterUpdate,
  DayCounterStore,
  Ledger,
} from '../../lambdas/ports.ts';
import type { SeededRandom } from '../support/seeded.ts';
import { kinesisEvent, kinesisRecord } from '../unit/clicks/support.ts';

export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  data: ClickEvent | Uint8Array;
  /** Epoch milliseconds; without it, the fixtures' fixed arrival time. */
  arrivedAtMs?: number;
}

/** A stream whose sequence numbers are as long as real ones (56 digits) and grow per shard. */
export class FakeStream {
  readonly shards = new Map<string, StreamRecord[]>();
  private next = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n;

  constructor(shardCount: number) {
    for (let i = 0; i < shardCount; i++) this.shards.set(`shardId-${String(i).padStart(12, '0')}`, []);
  }

  /** Appends to a shard chosen by the caller (a random partition key picks one at random). */
  put(shardIndex: number, data: ClickEvent | Uint8Array, arrivedAtMs?: number): void {
    const shardId = [...this.shards.keys()][shardIndex % this.shards.size] as string;
    // Gaps between sequence numbers, as on Kinesis: they are ordered, not dense.
    this.next += BigInt(1 + ((this.shards.size * 7919 + shardIndex) % 1000));
    const record: StreamRecord = { shardId, sequenceNumber: this.next.toString(), data };
    if (arrivedAtMs !== undefined) record.arrivedAtMs = arrivedAtMs;
    this.shards.get(shardId)?.push(record);
  }
}

/** The ClickHistory contract over a FakeStream: what reading the shard from `since` would find. */
export class FakeStreamHistory implements ClickHistory {
  lookups = 0;
  constructor(private readonly stream: FakeStream) {}

  async earlierCopies({ shardId, clickIds, since, beforeSequence }: ClickHistoryQuery): Promise<Map<string, Date>> {
    this.lookups++;
    const found = new Map<string, Date>();
    for (const record of this.stream.shards.get(shardId) ?? []) {
      if (BigInt(record.sequenceNumber) >= BigInt(beforeSequence)) break;
      const arrivedAtMs = record.arrivedAtMs ?? 0;
      if (arrivedAtMs < since.getTime()) continue;
      const click = record.data instanceof Uint8Array ? decodeClick(record.data) : record.data;
      if (click?.id !== undefined && clickIds.has(click.id) && !found.has(click.id)) {
        found.set(click.id, new Date(arrivedAtMs));
      }
    }
    return found;
  }
}

export interface MappingFaults {
  random: SeededRandom;
  /** Chance that a batch the function finished is delivered once more anyway. */
  redeliver?: number;
  /** Chance that an invocation crashes (times out, runs out of memory) after some of its writes. */
  crash?: number;
  /** Gives up on a shard after this many invocations, so a bug shows as a failure, not a hang. */
  maxInvocations?: number;
}

export interface MappingStats {
  invocations: number;
  crashes: number;
  bisections: number;
  partialFailures: number;
  redeliveries: number;
}

/**
 * Feeds every shard of `stream` through `handler` until each is fully checkpointed. Crashes are
 * injected through `crashable`: during a crashing invocation it lets a random number of writes
 * through and fails the rest, and the invocation then throws, as a function that died mid-batch.
 */
export async function runEventSourceMapping(
  stream: FakeStream,
  handler: StreamHandler,
  crashable: CrashableCounterStore,
  batchSize: number,
  faults: MappingFaults,
): Promise<MappingStats> {
  const stats: MappingStats = { invocations: 0, crashes: 0, bisections: 0, partialFailures: 0, redeliveries: 0 };
  const maxInvocations = faults.maxInvocations ?? 10_000;

  const invoke = async (records: StreamRecord[]): Promise<{ failedFrom: number } | 'crashed'> => {
    if (++stats.invocations > maxInvocations) throw new Error('event source mapping made no progress');
    const crash = faults.random.chance(faults.crash ?? 0);
    if (crash) crashable.crashAfter(faults.random.int(0, 3));
    try {
      const response = await handler(toEvent(records));
      if (crash) throw new Error('function crashed after part of its writes');
      const ids = (response.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      if (ids.length === 0) return { failedFrom: records.length };
      stats.partialFailures++;
      const indexes = ids.map((id) => records.findIndex((r) => r.sequenceNumber === id));
      return { failedFrom: indexes.some((i) => i < 0) ? 0 : Math.min(...indexes) };
    } catch {
      stats.crashes++;
      return 'crashed';
    } finally {
      crashable.crashAfter(undefined);
    }
  };

  const deliver = async (records: StreamRecord[]): Promise<void> => {
    let remaining = records;
    while (remaining.length > 0) {
      const result = await invoke(remaining);
      if (result === 'crashed') {
        if (remaining.length > 1) {
          stats.bisections++;
          const half = Math.ceil(remaining.length / 2);
          await deliver(remaining.slice(0, half));
          await deliver(remaining.slice(half));
          return;
        }
        continue;
      }
      if (result.failedFrom === remaining.length && faults.random.chance(faults.redeliver ?? 0)) {
        stats.redeliveries++;
        await invoke(remaining);
      }
      remaining = remaining.slice(result.failedFrom);
    }
  };

  await Promise.all(
    [...stream.shards.values()].map(async (records) => {
      for (let start = 0; start < records.length; start += batchSize) {
        await deliver(records.slice(start, start + batchSize));
      }
    }),
  );
  return stats;
}

const toEvent = (records: StreamRecord[]): KinesisStreamEvent =>
  kinesisEvent(
    records.map((r) => {
      const record = kinesisRecord(r.shardId, r.sequenceNumber, r.data);
      if (r.arrivedAtMs !== undefined) record.kinesis.approximateArrivalTimestamp = r.arrivedAtMs / 1000;
      return record;
    }),
  );

/**
 * Wraps a real or in-memory CounterStore and DayCounterStore (`days`) with injected write failures:
 * 'before' fails without writing (throttling, a network error), 'after' writes and then fails (a
 * timeout whose write landed), and the crash mode used by `runEventSourceMapping`. Link writes and
 * day writes share the crash budget, as they share one function invocation.
 */
export class CrashableCounterStore implements CounterStore {
  private writesUntilCrash: number | undefined;
  readonly days: DayCounterStore;

  constructor(
    private readonly inner: CounterStore,
    private readonly random: SeededRandom,
    private readonly failBefore = 0,
    private readonly failAfter = 0,
    innerDays?: DayCounterStore,
  ) {
    const days = innerDays ?? {
      apply: async () => ({ kind: 'applied' as const }),
      subject: async () => undefined,
      read: async () => [],
    };
    this.days = {
      apply: (update, ledger) => this.guard(() => days.apply(update, ledger)),
      subject: (link) => days.subject(link),
      read: (link, incarnation, wanted) => days.read(link, incarnation, wanted),
    };
  }

  crashAfter(writes: number | undefined): void {
    this.writesUntilCrash = writes;
  }

  apply(update: CounterUpdate, ledger?: Ledger): Promise<CounterOutcome> {
    return this.guard(() => this.inner.apply(update, ledger));
  }

  private async guard<T>(write: () => Promise<T>): Promise<T> {
    if (this.writesUntilCrash !== undefined) {
      if (this.writesUntilCrash <= 0) throw new Error('the function is gone');
      this.writesUntilCrash--;
    }
    if (this.random.chance(this.failBefore)) throw new Error('injected failure before the write');
    const outcome = await write();
    if (this.random.chance(this.failAfter)) throw new Error('injected failure after the write landed');
    return outcome;
  }
}
