// Shared by the click-pipeline tests: polling with a deadline, a capturing logger, a hand-released
// promise, Kinesis event fixtures, and an in-memory CounterStore with the adapter's semantics.
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DAY_ITEMS } from '../../../lambdas/declarations/storage.ts';
import { type ClickEvent, compareSequenceNumbers, encodeClick } from '../../../lambdas/domain/click.ts';
import { addClicks, emptyDay } from '../../../lambdas/domain/stats.ts';
import type {
  CountedClick,
  CounterOutcome,
  CounterStore,
  CounterUpdate,
  DayCounterStore,
  DayCounts,
  DayUpdate,
  Ledger,
  Logger,
  StatsSubject,
} from '../../../lambdas/ports.ts';

/** Polls `probe` until it gives a truthy value, which it returns; fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

export function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}

/**
 * A click by a person; with `incarnation`, made on that life of the link (without, a record from
 * before clicks named one).
 */
export const click = (link: string, incarnation?: string): ClickEvent =>
  incarnation === undefined
    ? { v: 1, link, at: '2026-11-22T05:00:00.000Z' }
    : { v: 1, link, at: '2026-11-22T05:00:00.000Z', incarnation };

/** One Kinesis record as the event source mapping delivers it. */
export function kinesisRecord(
  shardId: string,
  sequenceNumber: string,
  data: ClickEvent | Uint8Array,
): KinesisStreamRecord {
  const bytes = data instanceof Uint8Array ? data : encodeClick(data);
  return {
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/count-clicks',
    awsRegion: 'us-east-1',
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'p',
      sequenceNumber,
      data: Buffer.from(bytes).toString('base64'),
      approximateArrivalTimestamp: 1_763_787_600,
    },
  };
}

export const kinesisEvent = (records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** The incarnation of a link added without one. */
export const INCARNATION = 'i-0000';

type FailWhen<U> = (update: U) => 'before' | 'after' | undefined;

/** Clicks above a mark, and the mark after them: the marks' contract, shared by both memory stores. */
function unseen(clicks: readonly CountedClick[], mark: string | undefined) {
  return clicks.filter((c) => mark === undefined || compareSequenceNumbers(c.sequenceNumber, mark) > 0);
}

const markKey = (shardId: string, ledger: Ledger) => `${ledger}:${shardId}`;

/**
 * The CounterStore contract, in memory: per-link count and bots plus per-shard high-water marks (one
 * set per ledger), never creating a missing link, and applying an update that names an incarnation
 * only to that life of the link. `days` is the matching DayCounterStore. `failWhen` makes chosen
 * writes throw before (or, with `after`, after) taking effect, like a timeout whose write did land.
 */
export class MemoryCounterStore implements CounterStore {
  readonly items = new Map<
    string,
    { incarnation: string; creator: string; count: number; bots: number; marks: Map<string, string> }
  >();
  readonly days = new MemoryDayStore(this);
  writes = 0;
  failWhen: FailWhen<CounterUpdate> = () => undefined;

  /** A new item, as a create makes it: counts 0, no marks. */
  addLink(link: string, incarnation = INCARNATION, creator = 'user-1'): void {
    this.items.set(link, { incarnation, creator, count: 0, bots: 0, marks: new Map() });
  }

  deleteLink(link: string): void {
    this.items.delete(link);
  }

  count(link: string): number | undefined {
    return this.items.get(link)?.count;
  }

  bots(link: string): number | undefined {
    return this.items.get(link)?.bots;
  }

  async apply(update: CounterUpdate, ledger: Ledger = 'stream'): Promise<CounterOutcome> {
    const failure = this.failWhen(update);
    if (failure === 'before') throw new Error('injected counter write failure');
    const outcome = this.applyNow(update, ledger);
    if (failure === 'after') throw new Error('injected failure after the write landed');
    return outcome;
  }

  private applyNow({ link, shardId, clicks, incarnation }: CounterUpdate, ledger: Ledger): CounterOutcome {
    const item = this.items.get(link);
    if (!item || (incarnation !== undefined && incarnation !== item.incarnation)) return { kind: 'link-gone' };
    const mark = item.marks.get(markKey(shardId, ledger));
    const added = unseen(clicks, mark);
    const last = clicks.at(-1);
    if (added.length === 0 || last === undefined) return { kind: 'already-applied', mark: mark ?? '' };
    this.writes++;
    item.count += added.filter((c) => !c.bot).length;
    item.bots += added.filter((c) => c.bot).length;
    item.marks.set(markKey(shardId, ledger), last.sequenceNumber);
    return { kind: 'applied' };
  }
}

/** The DayCounterStore contract, in memory, over the links of a MemoryCounterStore. */
export class MemoryDayStore implements DayCounterStore {
  readonly items = new Map<string, { counts: DayCounts; marks: Map<string, string> }>();
  writes = 0;
  failWhen: FailWhen<DayUpdate> = () => undefined;

  constructor(private readonly links: MemoryCounterStore) {}

  async apply(update: DayUpdate, ledger: Ledger = 'stream') {
    const failure = this.failWhen(update);
    if (failure === 'before') throw new Error('injected day write failure');
    const key = `${update.link}#${update.incarnation}#${update.day}`;
    const item = this.items.get(key) ?? { counts: emptyDay(update.day), marks: new Map<string, string>() };
    const mark = item.marks.get(markKey(update.shardId, ledger));
    const added = unseen(update.clicks, mark);
    const last = update.clicks.at(-1);
    let outcome: { kind: 'applied' } | { kind: 'already-applied'; mark: string } = {
      kind: 'already-applied',
      mark: mark ?? '',
    };
    if (added.length > 0 && last !== undefined) {
      this.writes++;
      item.counts = addClicks(item.counts, added, DAY_ITEMS.maxEntriesPerList);
      item.marks.set(markKey(update.shardId, ledger), last.sequenceNumber);
      this.items.set(key, item);
      outcome = { kind: 'applied' };
    }
    if (failure === 'after') throw new Error('injected failure after the day write landed');
    return outcome;
  }

  async subject(link: string): Promise<StatsSubject | undefined> {
    const item = this.links.items.get(link);
    return item && { creator: item.creator, incarnation: item.incarnation };
  }

  async read(link: string, incarnation: string, days: readonly string[]): Promise<DayCounts[]> {
    return days.flatMap((day) => {
      const item = this.items.get(`${link}#${incarnation}#${day}`);
      return item ? [item.counts] : [];
    });
  }

  /** Every stored day of a link incarnation. */
  daysOf(link: string, incarnation = INCARNATION): DayCounts[] {
    return [...this.items.entries()]
      .filter(([key]) => key.startsWith(`${link}#${incarnation}#`))
      .map(([, item]) => item.counts)
      .sort((a, b) => (a.day < b.day ? -1 : 1));
  }
}

/** The use case's dependencies over a memory store. */
export const memoryDeps = (counters: MemoryCounterStore, logger: Logger = capturingLogger()) => ({
  counters,
  days: counters.days,
  logger,
});
