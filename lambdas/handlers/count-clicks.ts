import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeClick, padSequenceNumber, unpadSequenceNumber } from '../domain/click.ts';
import type { CounterStore, CounterUpdate, Logger } from '../ports.ts';
import type { StreamHandler } from './types.ts';

export interface CountClicksDependencies {
  counters: CounterStore;
  logger: Logger;
  /** Counter writes in flight at once: enough to hide latency, few enough not to burst a table's capacity. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 16;

/**
 * The stream consumer: one counter write per link per batch, exactly once per click (the store keeps
 * a per-shard high-water mark), reporting the lowest record whose effect is not yet durable so that
 * the event source mapping re-delivers from there and nothing before it.
 */
export function countClicksHandler({
  counters,
  logger,
  concurrency = DEFAULT_CONCURRENCY,
}: CountClicksDependencies): StreamHandler {
  return async (event) => {
    const groups = groupByLink(event.Records ?? [], logger);
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
      return item;
    });
    return { batchItemFailures: lowestPerShard(failures).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/**
 * Splits a batch into one update per (shard, link, incarnation), keeping each shard's order: clicks
 * on a code that was deleted and created again within one batch window name different `created`s,
 * and each group's write applies only to its own incarnation. A click written twice
 * (same id, same shard: an attempt that timed out but landed, and its retry) counts once, under its
 * last record: the mark then passes both, so a later delivery of either adds nothing.
 */
function groupByLink(records: KinesisStreamRecord[], logger: Logger): CounterUpdate[] {
  const groups = new Map<string, Group>();
  const byClickId = new Map<string, { group: string; sequenceNumber: string }>();
  let duplicates = 0;
  for (const record of records) {
    const shardId = shardOf(record);
    const padded = padSequenceNumber(record.kinesis?.sequenceNumber ?? '');
    const click = decodeData(record.kinesis?.data);
    if (shardId === undefined || padded === undefined || click === undefined) {
      // Never a poison pill: a record nobody can read is logged and passed over.
      logger.warn('malformed click record skipped', {
        eventID: record.eventID,
        sequenceNumber: record.kinesis?.sequenceNumber,
      });
      continue;
    }
    const key = `${shardId}\n${click.link}\n${click.created ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { link: click.link, shardId, sequenceNumbers: new Set() };
      if (click.created !== undefined) group.created = click.created;
      groups.set(key, group);
    }
    if (click.id !== undefined) {
      const clickKey = `${shardId}\n${click.id}`;
      const earlier = byClickId.get(clickKey);
      if (earlier) {
        groups.get(earlier.group)?.sequenceNumbers.delete(earlier.sequenceNumber);
        duplicates++;
      }
      byClickId.set(clickKey, { group: key, sequenceNumber: padded });
    }
    group.sequenceNumbers.add(padded);
  }
  if (duplicates > 0) logger.info('duplicate click records counted once', { duplicates });
  // Padded, so string order is numeric order.
  return foldUnnamed([...groups.values()])
    .filter((group) => group.sequenceNumbers.size > 0)
    .map(({ sequenceNumbers, ...group }) => ({ ...group, sequenceNumbers: [...sequenceNumbers].sort() }));
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
function lowestPerShard(failures: CounterUpdate[]): string[] {
  const lowest = new Map<string, string>();
  for (const { shardId, sequenceNumbers } of failures) {
    const first = sequenceNumbers[0];
    const current = lowest.get(shardId);
    if (first !== undefined && (current === undefined || first < current)) lowest.set(shardId, first);
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
