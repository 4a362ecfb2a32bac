// Kinesis event records as the count-clicks use case reads them. Shared by the stream handler and the
// replay of failed batches, which stores the same records.
import type { KinesisStreamRecord } from 'aws-lambda';
import { decodeClick, isSequenceNumber } from '../domain/click.ts';
import type { StreamClick } from '../domain/click-batch.ts';
import type { Logger } from '../ports.ts';

/** Never a poison pill: a record nobody can read is logged and passed over. */
export function decodeRecords(records: readonly KinesisStreamRecord[], logger: Logger): StreamClick[] {
  const decoded: StreamClick[] = [];
  for (const record of records) {
    // `eventID` is `<shardId>:<sequenceNumber>`; shard ids contain no colon.
    const colon = typeof record.eventID === 'string' ? record.eventID.indexOf(':') : -1;
    const shardId = colon > 0 ? record.eventID.slice(0, colon) : undefined;
    const sequenceNumber = record.kinesis?.sequenceNumber ?? '';
    const data = record.kinesis?.data;
    const click = typeof data === 'string' ? decodeClick(Buffer.from(data, 'base64')) : undefined;
    if (!shardId || !isSequenceNumber(sequenceNumber) || click === undefined) {
      logger.warn('malformed click record skipped', { eventID: record.eventID, sequenceNumber });
      continue;
    }
    const arrivedAt = new Date(record.kinesis.approximateArrivalTimestamp * 1000);
    decoded.push({ shardId, sequenceNumber, arrivedAt, stream: record.eventSourceARN ?? '', click });
  }
  return decoded;
}
