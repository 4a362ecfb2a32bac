import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { compareSequenceNumbers, decodeClick, isSequenceNumber } from '../domain/click.ts';
import type { ClickHistory, ClickHistoryQuery } from '../ports.ts';

/**
 * The look-back spans about two put deadlines of one shard, one or two reads (a read returns up to
 * 10,000 records); the cap keeps a shard that cannot be read to the end from holding the consumer,
 * and an undecided record fails its batch instead of being guessed at.
 */
const DEFAULT_MAX_READS = 10;

/**
 * Reads a shard once per batch, from the earliest time a copy of any of the batch's suspects can have
 * arrived up to the batch, and answers all of them. Only suspect records (puts in flight near their
 * deadline, and retries) need it, so the shard's read limit of 5 calls per second, shared with the
 * event source mapping, is rarely touched.
 */
export class KinesisClickHistory implements ClickHistory {
  constructor(
    private readonly client: KinesisClient,
    private readonly maxReads = DEFAULT_MAX_READS,
  ) {}

  async earlierCopies({
    stream,
    shardId,
    clickIds,
    since,
    beforeSequence,
  }: ClickHistoryQuery): Promise<Map<string, Date>> {
    if (!isSequenceNumber(beforeSequence)) throw new Error(`not a sequence number: ${beforeSequence}`);
    const found = new Map<string, Date>();
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        // kinesalite rejects calls that name the stream only by ARN.
        StreamName: streamNameOf(stream),
        ShardId: shardId,
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: since,
      }),
    );
    let iterator = ShardIterator;
    for (let read = 0; read < this.maxReads && iterator; read++) {
      const { Records = [], NextShardIterator } = await this.client.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      for (const record of Records) {
        const sequence = record.SequenceNumber ?? '';
        if (!isSequenceNumber(sequence)) continue;
        if (compareSequenceNumbers(sequence, beforeSequence) >= 0) return found;
        const id = record.Data ? decodeClick(record.Data)?.id : undefined;
        if (id === undefined || !clickIds.has(id) || found.has(id)) continue;
        // Kinesis stamps every record; without the stamp the copy's window cannot be checked.
        if (!record.ApproximateArrivalTimestamp) throw new Error(`record ${record.SequenceNumber} has no arrival time`);
        found.set(id, record.ApproximateArrivalTimestamp);
      }
      iterator = NextShardIterator;
    }
    throw new Error(`shard ${shardId} not read up to ${beforeSequence} within ${this.maxReads} reads`);
  }
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` */
function streamNameOf(streamArn: string): string {
  const match = /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/(.+)$/.exec(streamArn);
  if (!match?.[1]) throw new Error(`not a Kinesis stream ARN: ${streamArn}`);
  return match[1];
}
