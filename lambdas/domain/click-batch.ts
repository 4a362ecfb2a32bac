// A delivered batch of clicks, as pure data: which records are second copies of a click, which link
// incarnation each click counts on, and the one write per link and per (link, day) that a batch
// becomes. No I/O: the count-clicks use case feeds it what the stream history answered.
import type { ClickHistoryQuery, CountedClick, CounterUpdate, DayUpdate } from '../ports.ts';
import { type ClickEvent, clickDay, compareSequenceNumbers } from './click.ts';
import { earliestEarlierCopy, mayBeLaterCopy } from './click-duplicates.ts';
import { UNDESCRIBED_VISIT } from './visit.ts';

/** One decoded record of a batch. */
export interface StreamClick {
  shardId: string;
  /** As Kinesis wrote it. */
  sequenceNumber: string;
  arrivedAt: Date;
  /** The stream, as the event source names it (its ARN). */
  stream: string;
  click: ClickEvent;
}

/** A point in a shard: where the event source mapping re-delivers from. */
export interface ShardPosition {
  shardId: string;
  sequenceNumber: string;
}

const copyKey = (record: StreamClick) => `${record.shardId}\n${record.click.id}`;

function firstOfEachShard(records: readonly StreamClick[]): Map<string, StreamClick> {
  const first = new Map<string, StreamClick>();
  for (const record of records) if (!first.has(record.shardId)) first.set(record.shardId, record);
  return first;
}

/**
 * Whether a possible later copy's earlier copy could lie before the batch. Arrival times rise with
 * sequence numbers: when the batch starts before the earliest possible copy, the batch holds them all.
 * So only the records near the head of a batch (sent within about a deadline of it) are looked up.
 */
function needsHistory(record: StreamClick, first: StreamClick): boolean {
  return mayBeLaterCopy(record.click, record.arrivedAt) && first.arrivedAt >= earliestEarlierCopy(record.click);
}

/**
 * One look-up per shard at most: the records of a shard whose earlier copy could lie before the batch
 * (and that have no earlier copy in the batch), from the earliest time any of their copies can have
 * arrived up to the batch's first record.
 */
export function historyQueries(records: readonly StreamClick[]): ClickHistoryQuery[] {
  const firsts = firstOfEachShard(records);
  const wanted = new Map<string, ClickHistoryQuery & { clickIds: Set<string> }>();
  const seen = new Set<string>();
  for (const record of records) {
    if (record.click.id === undefined || seen.has(copyKey(record))) continue;
    seen.add(copyKey(record));
    const first = firsts.get(record.shardId) ?? record;
    if (!needsHistory(record, first)) continue;
    const since = earliestEarlierCopy(record.click);
    const query = wanted.get(record.shardId);
    if (!query) {
      wanted.set(record.shardId, {
        stream: record.stream,
        shardId: record.shardId,
        clickIds: new Set([record.click.id]),
        since,
        beforeSequence: first.sequenceNumber,
      });
      continue;
    }
    query.clickIds.add(record.click.id);
    if (since < query.since) query.since = since;
  }
  return [...wanted.values()];
}

export interface FirstCopies {
  /** The records to count, in batch order. */
  counted: StreamClick[];
  /** Per shard, the suspect whose history could not be read: the shard's share of the batch ends there. */
  undecided: StreamClick[];
  /** Second copies found in the batch itself. */
  duplicatesInBatch: number;
  /** Second copies whose first copy lies before the batch (counted then). */
  duplicatesOfEarlierBatches: number;
}

/**
 * Keeps one record per click. Of two copies the later one in the shard is dropped, whichever batch
 * holds the earlier: the answer depends on the shard alone, so every re-delivery decides the same way.
 * Copies from before attempts were numbered are never later copies (unless late); within a batch they
 * count under the last copy, so that the mark passes both.
 * A record that cannot be checked (its shard's history is an error) ends its shard's share of the
 * batch: nothing from it on is counted before it is decided. Without history (replay of stored
 * batches, whose stream data may be gone) the batch alone decides.
 */
export function keepFirstCopies(
  records: readonly StreamClick[],
  history: ReadonlyMap<string, ReadonlyMap<string, Date> | Error>,
): FirstCopies {
  const firsts = firstOfEachShard(records);
  const kept = new Map<string, StreamClick>();
  const dropped = new Set<StreamClick>();
  const undecided = new Map<string, StreamClick>();
  let duplicatesInBatch = 0;
  let duplicatesOfEarlierBatches = 0;
  for (const record of records) {
    const { shardId, click } = record;
    if (undecided.has(shardId)) {
      dropped.add(record);
      continue;
    }
    if (click.id === undefined) continue;
    const later = mayBeLaterCopy(click, record.arrivedAt);
    const earlier = kept.get(copyKey(record));
    if (earlier) {
      duplicatesInBatch++;
      if (later) {
        dropped.add(record);
        continue;
      }
      dropped.add(earlier);
    } else if (needsHistory(record, firsts.get(shardId) ?? record)) {
      // No answer at all: no history to ask (replay), so the batch alone decides.
      const found = history.get(shardId);
      if (found instanceof Error) {
        undecided.set(shardId, record);
        dropped.add(record);
        continue;
      }
      const arrived = found?.get(click.id);
      if (arrived !== undefined && arrived >= earliestEarlierCopy(click)) {
        duplicatesOfEarlierBatches++;
        dropped.add(record);
        continue;
      }
    }
    kept.set(copyKey(record), record);
  }
  return {
    counted: records.filter((record) => !dropped.has(record)),
    undecided: [...undecided.values()],
    duplicatesInBatch,
    duplicatesOfEarlierBatches,
  };
}

/** The clicks of one link incarnation on one shard: one write on the link item. */
export interface ClickGroup {
  link: string;
  shardId: string;
  incarnation?: string;
  /** Ascending by sequence number. */
  records: StreamClick[];
}

/**
 * Splits a batch into one group per (shard, link, incarnation), each in shard order: clicks on a code
 * that was deleted and created again within one batch window name different incarnations, and each
 * group's write applies only to its own.
 */
export function groupByLink(records: readonly StreamClick[]): ClickGroup[] {
  const groups = new Map<string, ClickGroup>();
  for (const record of records) {
    const { shardId, click } = record;
    const key = `${shardId}\n${click.link}\n${click.incarnation ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { link: click.link, shardId, records: [] };
      if (click.incarnation !== undefined) group.incarnation = click.incarnation;
      groups.set(key, group);
    }
    group.records.push(record);
  }
  return foldUnnamed([...groups.values()]).map((group) => ({
    ...group,
    records: [...group.records].sort((a, b) => compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber)),
  }));
}

const lastSequence = (group: ClickGroup) =>
  group.records.reduce(
    (last, record) => (compareSequenceNumbers(record.sequenceNumber, last) > 0 ? record.sequenceNumber : last),
    '0',
  );

/**
 * Records from before clicks named an incarnation. Two groups writing one item's mark for one shard
 * would each hide the other's clicks behind the mark, so when the batch also holds clicks that name an
 * incarnation of the link, the unnamed ones join the one clicked last in the shard (the only one that
 * can still exist). Alone, they apply to whatever link exists, as they always did.
 */
function foldUnnamed(groups: ClickGroup[]): ClickGroup[] {
  const latest = new Map<string, ClickGroup>();
  const itemKey = (group: ClickGroup) => `${group.shardId}\n${group.link}`;
  for (const group of groups) {
    if (group.incarnation === undefined) continue;
    const current = latest.get(itemKey(group));
    if (current === undefined || compareSequenceNumbers(lastSequence(group), lastSequence(current)) > 0) {
      latest.set(itemKey(group), group);
    }
  }
  return groups.filter((group) => {
    const target = group.incarnation === undefined ? latest.get(itemKey(group)) : undefined;
    if (target === undefined) return true;
    target.records.push(...group.records);
    return false;
  });
}

function countedClick({ sequenceNumber, click }: StreamClick): CountedClick {
  if (click.bot) return { sequenceNumber, bot: true };
  return { sequenceNumber, bot: false, visit: click.visit ?? UNDESCRIBED_VISIT };
}

/** The group's write on the link item. */
export function counterUpdate(group: ClickGroup): CounterUpdate {
  const update: CounterUpdate = { link: group.link, shardId: group.shardId, clicks: group.records.map(countedClick) };
  return group.incarnation === undefined ? update : { ...update, incarnation: group.incarnation };
}

/**
 * The group's writes on its day items, one per UTC day its clicks were made on, in day order. A group
 * that names no incarnation has no day items: it comes from before per-day counting.
 */
export function dayUpdates(group: ClickGroup): DayUpdate[] {
  const { incarnation } = group;
  if (incarnation === undefined) return [];
  const days = new Map<string, CountedClick[]>();
  for (const record of group.records) {
    const day = clickDay(record.click);
    let clicks = days.get(day);
    if (!clicks) {
      clicks = [];
      days.set(day, clicks);
    }
    clicks.push(countedClick(record));
  }
  return [...days.keys()].sort().map((day) => ({
    link: group.link,
    incarnation,
    day,
    shardId: group.shardId,
    clicks: days.get(day) ?? [],
  }));
}

/**
 * The event source mapping re-delivers a shard from the lowest failure reported for it; one position
 * per shard (the lowest of its failures) says exactly that.
 */
export function lowestPerShard(positions: readonly ShardPosition[]): ShardPosition[] {
  const lowest = new Map<string, ShardPosition>();
  for (const position of positions) {
    const current = lowest.get(position.shardId);
    if (current === undefined || compareSequenceNumbers(position.sequenceNumber, current.sequenceNumber) < 0) {
      lowest.set(position.shardId, position);
    }
  }
  return [...lowest.values()];
}
