// Re-applies failed click batches through the count-clicks use case, the one the stream feeds. The
// per-shard high-water marks make it safe to run any number of times, with every option: what was
// counted is not counted again, and what an operator re-added is not re-added again.
import { decodeRecords } from '../../lambdas/adapters/kinesis-records.ts';
import { compareSequenceNumbers } from '../../lambdas/domain/click.ts';
import {
  type CountClicksDeps,
  type CounterItem,
  countClicks,
  type GroupOutcome,
  type GroupResult,
} from '../../lambdas/domain/count-clicks.ts';
import { type FailedBatch, replayOrder } from './failed-batch.ts';

export interface FailedBatchSource {
  /** Human-readable location, for the report. */
  readonly location: string;
  /** Every stored batch; `unreadable` lists the ids of ones that could not be parsed. */
  load(): Promise<{ batches: FailedBatch[]; unreadable: string[] }>;
  /** Moves a fully replayed batch out of the way, so the next run does not pick it up again. */
  markReplayed(batch: FailedBatch): Promise<void>;
}

export interface Overtaken {
  batch: string;
  link: string;
  shardId: string;
  clicks: number;
  /**
   * With `--add-overtaken`: `added` now, `added-before` by an earlier run (the forced marks remember),
   * `link-gone`, or `failed` (tried again on the next run).
   */
  forced?: Exclude<GroupResult, 'applied' | 'already-applied'> | 'added' | 'added-before';
}

export interface ReplayReport {
  location: string;
  batches: number;
  replayed: number;
  stillFailing: string[];
  unreadable: string[];
  /** Clicks by what happened to their group. */
  clicks: Record<GroupResult, number>;
  /**
   * Groups of which an item (the link's total or one of its days) has since counted newer clicks of
   * the same shard: its mark is past the end of the failed batch, so the mark cannot tell whether
   * these clicks were counted there before the batch was given up on. They are not added (that could
   * count twice) unless the operator says so, and then only on the overtaken items.
   */
  overtaken: Overtaken[];
}

export interface ReplayOptions {
  source: FailedBatchSource;
  /** The use case's stores; no stream history, whose data may be gone by now. */
  deps: Omit<CountClicksDeps, 'history'>;
  /**
   * Add overtaken groups anyway, under the `forced` marks: for an operator who knows that the failed
   * batches were never counted (for example, the table was unavailable the whole time).
   */
  addOvertaken?: boolean;
}

export async function replayFailedBatches({
  source,
  deps,
  addOvertaken = false,
}: ReplayOptions): Promise<ReplayReport> {
  const { batches, unreadable } = await source.load();
  const report: ReplayReport = {
    location: source.location,
    batches: batches.length,
    replayed: 0,
    stillFailing: [],
    unreadable,
    clicks: { applied: 0, 'already-applied': 0, 'link-gone': 0, failed: 0 },
    overtaken: [],
  };
  for (const batch of replayOrder(batches)) {
    const records = decodeRecords(batch.payload.Records, deps.logger);
    const outcome = await countClicks(deps, records);
    for (const group of outcome.groups) report.clicks[group.result] += group.clicks;
    let failed = outcome.retryFrom.length > 0;
    const beyond = (mark: string | undefined) =>
      mark !== undefined && mark !== '' && compareSequenceNumbers(mark, batch.endSequenceNumber) > 0;
    const overtakenItems = new Set<string>();
    for (const group of outcome.groups) {
      if (group.result === 'already-applied' && beyond(group.mark)) overtakenItems.add(itemKey(group));
      for (const day of group.days) {
        if (day.result === 'already-applied' && beyond(day.mark))
          overtakenItems.add(itemKey({ ...group, day: day.day }));
      }
    }
    const overtaken = outcome.groups.filter(
      (group) =>
        overtakenItems.has(itemKey(group)) ||
        group.days.some((day) => overtakenItems.has(itemKey({ ...group, day: day.day }))),
    );
    const forced =
      addOvertaken && overtaken.length > 0
        ? await countClicks(deps, records, { ledger: 'forced', only: (item) => overtakenItems.has(itemKey(item)) })
        : undefined;
    if (forced && forced.retryFrom.length > 0) failed = true;
    for (const group of overtaken) {
      const entry: Overtaken = { batch: batch.id, link: group.link, shardId: group.shardId, clicks: group.clicks };
      const again = forced?.groups.find((other) => itemKey(other) === itemKey(group));
      if (again) entry.forced = forcedResult(again);
      report.overtaken.push(entry);
    }
    if (failed) {
      report.stillFailing.push(batch.id);
      continue;
    }
    await source.markReplayed(batch);
    report.replayed++;
  }
  return report;
}

const itemKey = ({ link, shardId, incarnation, day }: CounterItem) =>
  [link, shardId, incarnation ?? '', day ?? ''].join('\n');

function forcedResult(group: GroupOutcome): NonNullable<Overtaken['forced']> {
  if (group.result === 'link-gone' || group.result === 'failed') return group.result;
  const added = group.result === 'applied' || group.days.some((day) => day.result === 'applied');
  return added ? 'added' : 'added-before';
}

export function formatReport(report: ReplayReport): string {
  const lines = [
    `Replayed ${report.replayed} of ${report.batches} failed batch(es) from ${report.location}.`,
    `  clicks of groups written: ${report.clicks.applied} (any counted before were skipped by the mark), already counted: ${report.clicks['already-applied']}, for deleted links: ${report.clicks['link-gone']}, failed: ${report.clicks.failed}`,
  ];
  for (const id of report.stillFailing) lines.push(`  still failing (kept for the next run): ${id}`);
  for (const id of report.unreadable) lines.push(`  not a replayable failed-batch record (left in place): ${id}`);
  for (const o of report.overtaken) {
    const what = `${o.clicks} click(s) of ${o.link} on ${o.shardId} in ${o.batch}`;
    lines.push(
      o.forced === undefined
        ? `  overtaken: ${what}; newer clicks were counted since, so these may or may not have been counted before the batch failed (--add-overtaken adds them)`
        : `  overtaken, --add-overtaken: ${what}: ${o.forced}`,
    );
  }
  return lines.join('\n');
}
