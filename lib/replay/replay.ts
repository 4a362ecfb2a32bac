// Re-applies failed click batches through the same consumer the stream feeds. The per-shard
// high-water mark makes it safe to run any number of times: what was counted is not counted again.
import { padSequenceNumber } from '../../lambdas/domain/click.ts';
import { countClicksHandler } from '../../lambdas/handlers/count-clicks.ts';
import type { CounterOutcome, CounterStore, CounterUpdate, Logger } from '../../lambdas/ports.ts';
import { type FailedBatch, replayOrder } from './failed-batch.ts';

export interface FailedBatchSource {
  /** Human-readable location, for the report. */
  readonly location: string;
  /** Every stored batch; `unreadable` lists the ids of ones that could not be parsed. */
  load(): Promise<{ batches: FailedBatch[]; unreadable: string[] }>;
  /** Moves a fully replayed batch out of the way, so the next run does not pick it up again. */
  markReplayed(batch: FailedBatch): Promise<void>;
}

/** Reads a link's current high-water mark for a shard (padded), to tell "counted" from "overtaken". */
export type MarkReader = (link: string, shardId: string) => Promise<string | undefined>;

export interface Overtaken {
  batch: string;
  link: string;
  shardId: string;
  clicks: number;
  /** Set when the operator chose to add overtaken clicks (`--add-overtaken`). */
  added?: boolean;
}

/**
 * Adds clicks without looking at (or moving) the Mark: for an operator who knows that the failed
 * batch was never counted, e.g. because the table was unavailable for the whole time.
 */
export type ForcedAdd = (link: string, clicks: number, created?: string) => Promise<'added' | 'link-gone'>;

export interface ReplayReport {
  location: string;
  batches: number;
  replayed: number;
  stillFailing: string[];
  unreadable: string[];
  clicks: Record<CounterOutcome, number>;
  /**
   * Groups whose link has since counted newer clicks of the same shard: their mark is past the end
   * of the failed batch, so the mark cannot tell whether these clicks were counted before the batch
   * was given up on. They are not added (that could count twice) but listed for a decision.
   */
  overtaken: Overtaken[];
}

export interface ReplayOptions {
  source: FailedBatchSource;
  counters: CounterStore;
  readMark?: MarkReader;
  /** Given, overtaken groups are added with it instead of only being listed. */
  addOvertaken?: ForcedAdd;
  logger: Logger;
}

export async function replayFailedBatches({
  source,
  counters,
  readMark,
  addOvertaken,
  logger,
}: ReplayOptions): Promise<ReplayReport> {
  const { batches, unreadable } = await source.load();
  const report: ReplayReport = {
    location: source.location,
    batches: batches.length,
    replayed: 0,
    stillFailing: [],
    unreadable,
    clicks: { applied: 0, 'already-applied': 0, 'link-gone': 0 },
    overtaken: [],
  };
  for (const batch of replayOrder(batches)) {
    const end = padSequenceNumber(batch.endSequenceNumber) ?? '';
    const tally: CounterStore = {
      apply: async (update: CounterUpdate) => {
        const outcome = await counters.apply(update);
        report.clicks[outcome] += update.sequenceNumbers.length;
        if (outcome === 'already-applied' && readMark) {
          const mark = await readMark(update.link, update.shardId);
          if (mark !== undefined && mark > end) {
            const overtaken: Overtaken = {
              batch: batch.id,
              link: update.link,
              shardId: update.shardId,
              clicks: update.sequenceNumbers.length,
            };
            if (addOvertaken) {
              // Only to the incarnation the clicks were made on, like every counter write.
              overtaken.added = (await addOvertaken(update.link, overtaken.clicks, update.created)) === 'added';
            }
            report.overtaken.push(overtaken);
          }
        }
        return outcome;
      },
    };
    const response = await countClicksHandler({ counters: tally, logger })(batch.payload);
    if ((response.batchItemFailures ?? []).length > 0) {
      report.stillFailing.push(batch.id);
      continue;
    }
    await source.markReplayed(batch);
    report.replayed++;
  }
  return report;
}

export function formatReport(report: ReplayReport): string {
  const lines = [
    `Replayed ${report.replayed} of ${report.batches} failed batch(es) from ${report.location}.`,
    `  clicks of groups written: ${report.clicks.applied} (any counted before were skipped by the mark), already counted: ${report.clicks['already-applied']}, for deleted links: ${report.clicks['link-gone']}`,
  ];
  for (const id of report.stillFailing) lines.push(`  still failing (kept for the next run): ${id}`);
  for (const id of report.unreadable) lines.push(`  not a replayable failed-batch record (left in place): ${id}`);
  for (const o of report.overtaken) {
    lines.push(
      o.added
        ? `  overtaken, added as asked (--add-overtaken): ${o.clicks} click(s) of ${o.link} on ${o.shardId} in ${o.batch}`
        : `  overtaken: ${o.clicks} click(s) of ${o.link} on ${o.shardId} in ${o.batch}; newer clicks were counted since, so these may or may not have been counted before the batch failed (--add-overtaken adds them)`,
    );
  }
  return lines.join('\n');
}
