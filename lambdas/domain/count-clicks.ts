// The count-clicks use case: a delivered batch becomes one counter write per link incarnation and
// shard, and one per (link incarnation, UTC day) and shard, each exactly once. The Kinesis handler,
// replay and the benchmark all call this, and learn from its outcome what happened to every group.
import type { ClickHistory, CounterOutcome, CounterStore, DayCounterStore, Ledger, Logger } from '../ports.ts';
import {
  type ClickGroup,
  counterUpdate,
  dayUpdates,
  groupByLink,
  historyQueries,
  keepFirstCopies,
  lowestPerShard,
  type ShardPosition,
  type StreamClick,
} from './click-batch.ts';

export interface CountClicksDeps {
  counters: CounterStore;
  days: DayCounterStore;
  /**
   * Where the earlier copy of a suspect record is looked for when it would lie before the batch.
   * Without it only the batch is searched: replay of failed batches, whose stream data may be gone.
   */
  history?: ClickHistory;
  logger: Logger;
  /** Groups written at once: enough to hide latency, few enough not to burst a table's capacity. */
  concurrency?: number;
}

const DEFAULT_CONCURRENCY = 16;

export type GroupResult = 'applied' | 'already-applied' | 'link-gone' | 'failed';

/** What happened to one group of the batch. */
export interface GroupOutcome {
  link: string;
  shardId: string;
  incarnation?: string;
  /** Clicks of the group (after second copies were dropped). */
  clicks: number;
  /** Its first and last sequence numbers. */
  first: string;
  last: string;
  /** The link item's write: `applied` when it added anything, `failed` when the link or a day write failed. */
  result: GroupResult;
  /** When the link item's write found everything counted: the item's mark for the shard. */
  mark?: string;
  /** The group's day items, in day order (none when the link is gone or the write failed). */
  days: DayOutcome[];
}

/** What happened to one day item of a group. */
export interface DayOutcome {
  day: string;
  clicks: number;
  result: 'applied' | 'already-applied';
  /** When everything was counted already: the day item's mark for the shard. */
  mark?: string;
}

/** One counter item a group writes: its link item, or (with `day`) one of its day items. */
export interface CounterItem {
  link: string;
  shardId: string;
  incarnation?: string;
  day?: string;
}

export interface CountOutcome {
  groups: GroupOutcome[];
  /**
   * Per shard, the lowest record whose effect is not yet durable: the event source mapping must
   * re-deliver from there (and may skip everything before it). Empty when the whole batch is counted.
   */
  retryFrom: ShardPosition[];
  /** Counter writes sent (link items plus day items). */
  writes: number;
}

export interface CountOptions {
  /** `forced` re-adds clicks under separate marks: replay's `--add-overtaken`. */
  ledger?: Ledger;
  /** Writes only the items this accepts (replay forces exactly the items that were overtaken). */
  only?: (item: CounterItem) => boolean;
}

export async function countClicks(
  deps: CountClicksDeps,
  records: readonly StreamClick[],
  options: CountOptions = {},
): Promise<CountOutcome> {
  const { counters, days, history, logger, concurrency = DEFAULT_CONCURRENCY } = deps;
  const ledger = options.ledger ?? 'stream';
  const only = options.only ?? (() => true);

  const answers = new Map<string, Map<string, Date> | Error>();
  if (history) {
    await Promise.all(
      historyQueries(records).map(async (query) => {
        try {
          answers.set(query.shardId, await history.earlierCopies(query));
        } catch (error) {
          logger.error('earlier copy of a click could not be looked up', {
            shardId: query.shardId,
            error: messageOf(error),
          });
          answers.set(query.shardId, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  }
  const copies = keepFirstCopies(records, answers);
  if (copies.duplicatesInBatch > 0) {
    logger.info('duplicate click records counted once', { duplicates: copies.duplicatesInBatch });
  }
  if (copies.duplicatesOfEarlierBatches > 0) {
    logger.info('second copies of clicks counted in an earlier batch dropped', {
      duplicates: copies.duplicatesOfEarlierBatches,
    });
  }

  let writes = 0;
  const groups = await mapLimited(groupByLink(copies.counted), concurrency, async (group) => {
    const outcome = describe(group);
    const item: CounterItem = { link: group.link, shardId: group.shardId, incarnation: group.incarnation };
    try {
      const writesLink = only(item);
      if (writesLink) writes++;
      const written: CounterOutcome = writesLink
        ? await counters.apply(counterUpdate(group), ledger)
        : { kind: 'already-applied', mark: '' };
      if (written.kind === 'link-gone') {
        logger.info('clicks for a deleted link dropped', {
          link: group.link,
          incarnation: group.incarnation,
          clicks: outcome.clicks,
        });
        return { ...outcome, result: 'link-gone' as const };
      }
      const daily = dayUpdates(group).filter((update) => only({ ...item, day: update.day }));
      writes += daily.length;
      // Each day item has its own marks, so a day written before a failure is skipped on re-delivery.
      const dayResults = await Promise.allSettled(daily.map((update) => days.apply(update, ledger)));
      const failedDay = dayResults.find((result) => result.status === 'rejected');
      if (failedDay) throw failedDay.reason;
      const dayOutcomes: DayOutcome[] = daily.map(({ day, clicks }, index) => {
        const result = dayResults[index] as PromiseFulfilledResult<Awaited<ReturnType<DayCounterStore['apply']>>>;
        return result.value.kind === 'applied'
          ? { day, clicks: clicks.length, result: 'applied' }
          : { day, clicks: clicks.length, result: 'already-applied', mark: result.value.mark };
      });
      return written.kind === 'applied'
        ? { ...outcome, result: 'applied' as const, days: dayOutcomes }
        : { ...outcome, result: 'already-applied' as const, mark: written.mark, days: dayOutcomes };
    } catch (error) {
      logger.error('counter write failed', {
        link: group.link,
        shardId: group.shardId,
        clicks: outcome.clicks,
        error: messageOf(error),
      });
      return { ...outcome, result: 'failed' as const };
    }
  });

  const unsettled: ShardPosition[] = [
    ...groups
      .filter((group) => group.result === 'failed')
      .map(({ shardId, first }) => ({ shardId, sequenceNumber: first })),
    ...copies.undecided.map(({ shardId, sequenceNumber }) => ({ shardId, sequenceNumber })),
  ];
  return { groups, retryFrom: lowestPerShard(unsettled), writes };
}

function describe(group: ClickGroup): GroupOutcome {
  const outcome: GroupOutcome = {
    link: group.link,
    shardId: group.shardId,
    clicks: group.records.length,
    first: group.records[0]?.sequenceNumber ?? '',
    last: group.records.at(-1)?.sequenceNumber ?? '',
    result: 'failed',
    days: [],
  };
  return group.incarnation === undefined ? outcome : { ...outcome, incarnation: group.incarnation };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `work` over `items` with at most `limit` at a time, keeping their order in the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
