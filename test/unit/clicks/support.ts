// Shared by the click-pipeline tests: polling with a deadline, a capturing logger, a hand-released
// promise, Kinesis event fixtures, and an in-memory CounterStore with the adapter's semantics.
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { type ClickEvent, encodeClick } from '../../../lambdas/domain/click.ts';
import type { CounterOutcome, CounterStore, CounterUpdate, Logger } from '../../../lambdas/ports.ts';

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

/** A click; with `created`, made on that incarnation of the link (without, a record from before clicks carried it). */
export const click = (link: string, created?: string): ClickEvent =>
  created === undefined
    ? { v: 1, link, at: '2026-11-22T05:00:00.000Z' }
    : { v: 1, link, at: '2026-11-22T05:00:00.000Z', created };

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

/** The `created` of a link added without one. */
export const CREATED = '2026-11-22T04:00:00.000Z';

/**
 * The CounterStore contract, in memory: per-link count plus per-shard high-water marks, never
 * creating a missing link, and applying an update that names a `created` only to that incarnation. `failNext` makes chosen writes throw before (or, with `afterWrite`,
 * after) taking effect, like a timeout whose write did land.
 */
export class MemoryCounterStore implements CounterStore {
  readonly items = new Map<string, { created: string; count: number; marks: Map<string, string> }>();
  writes = 0;
  failWhen: (update: CounterUpdate) => 'before' | 'after' | undefined = () => undefined;

  /** A new item, as a create makes it: count 0, no marks. */
  addLink(link: string, created = CREATED): void {
    this.items.set(link, { created, count: 0, marks: new Map() });
  }

  deleteLink(link: string): void {
    this.items.delete(link);
  }

  count(link: string): number | undefined {
    return this.items.get(link)?.count;
  }

  async apply(update: CounterUpdate): Promise<CounterOutcome> {
    const failure = this.failWhen(update);
    if (failure === 'before') throw new Error('injected counter write failure');
    const outcome = this.applyNow(update);
    if (failure === 'after') throw new Error('injected failure after the write landed');
    return outcome;
  }

  private applyNow({ link, shardId, sequenceNumbers, created }: CounterUpdate): CounterOutcome {
    const item = this.items.get(link);
    if (!item || (created !== undefined && created !== item.created)) return 'link-gone';
    const mark = item.marks.get(shardId);
    const unseen = sequenceNumbers.filter((s) => mark === undefined || s > mark);
    const last = sequenceNumbers.at(-1);
    if (unseen.length === 0 || last === undefined) return 'already-applied';
    this.writes++;
    item.count += unseen.length;
    item.marks.set(shardId, last);
    return 'applied';
  }
}
