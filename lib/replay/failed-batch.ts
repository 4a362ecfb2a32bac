// The failed invocation record Lambda writes to the click consumer's S3 on-failure destination, and
// local mode writes to `.local/failed-batches/` in the same shape (`FailedBatchRecord`).
import type { KinesisStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers, isSequenceNumber } from '../../lambdas/domain/click.ts';
import type { FailedBatchRecord } from '../local/stream-poller.ts';

export type { FailedBatchRecord } from '../local/stream-poller.ts';

/** One stored failed batch: where it came from and what it holds. */
export interface FailedBatch {
  /** File path or S3 key. */
  id: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  payload: KinesisStreamEvent;
}

/**
 * Reads a stored record; undefined for anything that is not a Kinesis failed-batch record with its
 * payload (for example one written without the payload, which cannot be replayed).
 */
export function parseFailedBatch(id: string, text: string): FailedBatch | undefined {
  let parsed: Partial<FailedBatchRecord>;
  try {
    parsed = JSON.parse(text) as Partial<FailedBatchRecord>;
  } catch {
    return undefined;
  }
  const info = parsed?.KinesisBatchInfo;
  const records = payloadOf(parsed?.payload)?.Records;
  if (!info || typeof info.shardId !== 'string' || !Array.isArray(records)) return undefined;
  if (typeof info.startSequenceNumber !== 'string' || typeof info.endSequenceNumber !== 'string') return undefined;
  if (!isSequenceNumber(info.startSequenceNumber) || !isSequenceNumber(info.endSequenceNumber)) return undefined;
  return {
    id,
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
    payload: { Records: records },
  };
}

/** The payload as an object; accepted as a JSON string too, in case the destination serialises it that way. */
function payloadOf(payload: unknown): Partial<KinesisStreamEvent> | undefined {
  if (typeof payload !== 'string') return payload as Partial<KinesisStreamEvent> | undefined;
  try {
    return JSON.parse(payload) as Partial<KinesisStreamEvent>;
  } catch {
    return undefined;
  }
}

/**
 * Oldest first within a shard: a later batch replayed first would raise the shard's high-water mark
 * above the earlier one, which would then look already counted.
 */
export function replayOrder(batches: FailedBatch[]): FailedBatch[] {
  return [...batches].sort(
    (a, b) =>
      (a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0) ||
      compareSequenceNumbers(a.startSequenceNumber, b.startSequenceNumber),
  );
}
