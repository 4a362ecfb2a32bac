import type { KinesisStreamRecord } from 'aws-lambda';
import { type ClickEvent, decodeClick, padSequenceNumber, unpadSequenceNumber } from '../domain/click.ts';
import { earliestCopyArrival, isSuspect } from '../domain/click-duplicates.ts';
import type { ClickHistory, CounterStore, CounterUpdate, Logger } from '../ports.ts';
import type { StreamHandler } from './types.ts';

export interface CountClicksDependencies {
  counters: CounterStore;
  /**
   * Where the earlier copy of a suspect record is looked for when it would lie before the batch.
   * Without it only the batch is searched: replay of failed batches, whose stream data may be gone.
   */
  history?: ClickHistory;
  logger: Logger;
  /** Counter writes in flight at once: enough to hide latency, few enough not to burst a table's capacity. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 16;

/**
 * The stream consumer: one counter write per link per batch, exactly once per click (the store keeps
 * a per-shard high-water mark, and the second copy of a click written twice is dropped), reporting
 * the lowest record whose effect is not yet durable so that the event source mapping re-delivers
 * from there and nothing before it.
 */
export function countClicksHandler({
  counters,
  history,
  logger,
  concurrency = DEFAULT_CONCURRENCY,
}: CountClicksDependencies): StreamHandler {
  return async (event) => {
    const { counted, undecided } = await dropSecondCopies(decodeRecords(event.Records ?? [], logger), history, logger);
    const groups = groupByLink(counted);
    const failed = await runLimited(groups, concurrency, async (update) => {
      const outcome = await counters.apply(update);
      if (outcome === 'link-gone') {
        logger.info('clicks for a deleted link dropped', {
          link: update.link,
          created: update.created,
          clicks: update.sequenceNumbers.length,
        });
      }
    });
    const failures = failed.map(({ item, error }) => {
      logger.error('counter write failed', {
        link: item.link,
        shardId: item.shardId,
        clicks: item.sequenceNumbers.length,
        error: error instanceof Error ? error.message : String(error),
      });
      return { shardId: item.shardId, first: item.sequenceNumbers[0] ?? '' };
    });
    const unsettled = [...failures, ...undecided.map(({ shardId, padded }) => ({ shardId, first: padded }))];
    return { batchItemFailures: lowestPerShard(unsettled).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

interface DecodedRecord {
  shardId: string;
  /** As Kinesis wrote it. */
  sequenceNumber: string;
  padded: string;
  click: ClickEvent;
  arrivedAt: Date;
  stream: string;
}

function decodeRecords(records: KinesisStreamRecord[], logger: Logger): DecodedRecord[] {
  const decoded: DecodedRecord[] = [];
  for (const record of records) {
    const shardId = shardOf(record);
    const sequenceNumber = record.kinesis?.sequenceNumber ?? '';
    const padded = padSequenceNumber(sequenceNumber);
    const click = decodeData(record.kinesis?.data);
    if (shardId === undefined || padded === undefined || click === undefined) {
      // Never a poison pill: a record nobody can read is logged and passed over.
      logger.warn('malformed click record skipped', {
        eventID: record.eventID,
        sequenceNumber: record.kinesis?.sequenceNumber,
      });
      continue;
    }
    const arrivedAt = new Date(record.kinesis.approximateArrivalTimestamp * 1000);
    decoded.push({ shardId, sequenceNumber, padded, click, arrivedAt, stream: record.eventSourceARN ?? '' });
  }
  return decoded;
}

/**
 * Keeps one record per click. Of two copies the later one in the shard is dropped, whichever batch
 * holds the earlier: only suspect records can be later copies, and the answer depends on the shard
 * alone, so every re-delivery decides the same way. Copies from before attempts were numbered are
 * never suspect; within a batch they count under the last copy, so that the mark passes both.
 * A suspect that cannot be checked (the shard unreadable) ends its shard's share of the batch: it is
 * reported as the failure, and nothing after it is applied before it is decided.
 */
async function dropSecondCopies(
  records: DecodedRecord[],
  history: ClickHistory | undefined,
  logger: Logger,
): Promise<{ counted: DecodedRecord[]; undecided: DecodedRecord[] }> {
  const firstOfShard = new Map<string, DecodedRecord>();
  for (const record of records) if (!firstOfShard.has(record.shardId)) firstOfShard.set(record.shardId, record);
  const beforeBatch = await readBeforeBatch(records, firstOfShard, history);
  const kept = new Map<string, DecodedRecord>();
  const dropped = new Set<DecodedRecord>();
  const undecided = new Map<string, DecodedRecord>();
  let inBatch = 0;
  let fromEarlierBatches = 0;
  for (const record of records) {
    const { shardId, click } = record;
    if (undecided.has(shardId)) {
      dropped.add(record);
      continue;
    }
    if (click.id === undefined) continue;
    const key = `${shardId}\n${click.id}`;
    const suspect = isSuspect(click, record.arrivedAt);
    const earlier = kept.get(key);
    if (earlier) {
      inBatch++;
      if (suspect) {
        dropped.add(record);
        continue;
      }
      dropped.add(earlier);
    } else if (suspect && needsHistory(record, firstOfShard)) {
      const found = beforeBatch.get(shardId);
      if (found instanceof Error) {
        logger.error('earlier copy of a click could not be looked up', {
          shardId,
          sequenceNumber: record.sequenceNumber,
          error: found.message,
        });
        undecided.set(shardId, record);
        dropped.add(record);
        continue;
      }
      const arrived = found?.get(click.id);
      if (arrived !== undefined && arrived >= earliestCopyArrival(click)) {
        fromEarlierBatches++;
        dropped.add(record);
        continue;
      }
    }
    kept.set(key, record);
  }
  if (inBatch > 0) logger.info('duplicate click records counted once', { duplicates: inBatch });
  if (fromEarlierBatches > 0) {
    logger.info('second copies of clicks counted in an earlier batch dropped', { duplicates: fromEarlierBatches });
  }
  return { counted: records.filter((record) => !dropped.has(record)), undecided: [...undecided.values()] };
}

/**
 * Whether a suspect's earlier copy could lie before the batch. Arrival times rise with sequence
 * numbers: when the batch starts before the earliest possible copy, the batch holds them all.
 */
function needsHistory(record: DecodedRecord, firstOfShard: Map<string, DecodedRecord>): boolean {
  const first = firstOfShard.get(record.shardId) ?? record;
  return record.click.id !== undefined && first.arrivedAt >= earliestCopyArrival(record.click);
}

/**
 * One read per shard at most: the suspects of a shard whose earlier copy could lie before the batch
 * (and that have no earlier copy in the batch) are answered together, from the earliest time any of
 * their copies can have arrived up to the batch's first record. A shard that cannot be read maps to
 * the error, which leaves those suspects undecided.
 */
async function readBeforeBatch(
  records: DecodedRecord[],
  firstOfShard: Map<string, DecodedRecord>,
  history: ClickHistory | undefined,
): Promise<Map<string, Map<string, Date> | Error>> {
  const wanted = new Map<string, { stream: string; clickIds: Set<string>; since: Date }>();
  const seen = new Set<string>();
  for (const record of records) {
    const { shardId, click } = record;
    if (click.id === undefined) continue;
    const key = `${shardId}\n${click.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!isSuspect(click, record.arrivedAt) || !needsHistory(record, firstOfShard)) continue;
    const since = earliestCopyArrival(click);
    const shard = wanted.get(shardId);
    if (!shard) {
      wanted.set(shardId, { stream: record.stream, clickIds: new Set([click.id]), since });
      continue;
    }
    shard.clickIds.add(click.id);
    if (since < shard.since) shard.since = since;
  }
  const answers = new Map<string, Map<string, Date> | Error>();
  if (history === undefined) return answers;
  await Promise.all(
    [...wanted].map(async ([shardId, { stream, clickIds, since }]) => {
      const beforeSequence = firstOfShard.get(shardId)?.sequenceNumber ?? '';
      try {
        answers.set(shardId, await history.earlierCopies({ stream, shardId, clickIds, since, beforeSequence }));
      } catch (error) {
        answers.set(shardId, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  return answers;
}

/**
 * Splits a batch into one update per (shard, link, incarnation), keeping each shard's order: clicks
 * on a code that was deleted and created again within one batch window name different `created`s,
 * and each group's write applies only to its own incarnation.
 */
function groupByLink(records: DecodedRecord[]): CounterUpdate[] {
  const groups = new Map<string, Group>();
  for (const { shardId, padded, click } of records) {
    const key = `${shardId}\n${click.link}\n${click.created ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { link: click.link, shardId, sequenceNumbers: new Set() };
      if (click.created !== undefined) group.created = click.created;
      groups.set(key, group);
    }
    group.sequenceNumbers.add(padded);
  }
  // Padded, so string order is numeric order.
  return foldUnnamed([...groups.values()]).map(({ sequenceNumbers, ...group }) => ({
    ...group,
    sequenceNumbers: [...sequenceNumbers].sort(),
  }));
}

interface Group {
  link: string;
  shardId: string;
  created?: string;
  sequenceNumbers: Set<string>;
}

/**
 * Records from before clicks carried `created` name no incarnation. Two groups writing one item's
 * mark for one shard would each hide the other's clicks behind the mark, so when the batch also
 * holds clicks that name an incarnation of the link, the unnamed ones join the newest of those (the
 * only one that can still exist). Alone, they apply to whatever link exists, as they always did.
 */
function foldUnnamed(groups: Group[]): Group[] {
  const newest = new Map<string, Group>();
  const itemKey = (group: Group) => `${group.shardId}\n${group.link}`;
  for (const group of groups) {
    if (group.created === undefined) continue;
    const current = newest.get(itemKey(group));
    // ISO-8601 times in one format: string order is time order.
    if (current?.created === undefined || current.created < group.created) newest.set(itemKey(group), group);
  }
  return groups.filter((group) => {
    const target = group.created === undefined ? newest.get(itemKey(group)) : undefined;
    if (target === undefined) return true;
    for (const sequenceNumber of group.sequenceNumbers) target.sequenceNumbers.add(sequenceNumber);
    return false;
  });
}

/** `eventID` is `<shardId>:<sequenceNumber>`; shard ids contain no colon. */
function shardOf(record: KinesisStreamRecord): string | undefined {
  const eventId = record.eventID;
  if (typeof eventId !== 'string') return undefined;
  const colon = eventId.indexOf(':');
  return colon > 0 ? eventId.slice(0, colon) : undefined;
}

function decodeData(data: unknown) {
  if (typeof data !== 'string') return undefined;
  return decodeClick(Buffer.from(data, 'base64'));
}

/**
 * The event source mapping re-delivers a shard from the lowest failure reported for it; one
 * identifier per shard (the lowest of its failed groups) says exactly that.
 */
function lowestPerShard(failures: { shardId: string; first: string }[]): string[] {
  const lowest = new Map<string, string>();
  for (const { shardId, first } of failures) {
    const current = lowest.get(shardId);
    if (first !== '' && (current === undefined || first < current)) lowest.set(shardId, first);
  }
  return [...lowest.values()].map(unpadSequenceNumber);
}

/** Runs `work` over `items` with at most `limit` at a time; returns the items that failed. */
async function runLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<{ item: T; error: unknown }[]> {
  const failed: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failed;
}
