import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { decodeClick, padSequenceNumber } from '../domain/click.ts';
import type { ClickHistory, ClickHistoryQuery } from '../ports.ts';

/**
 * A few seconds of one shard is one or two reads (a read returns up to 10,000 records); the cap
 * keeps a shard that cannot be read to the end from holding the consumer, and an undecided record
 * fails its batch instead of being guessed at.
 */
const DEFAULT_MAX_READS = 10;

/**
 * Reads a shard from the earliest time a copy of a click can have arrived up to the batch being
 * processed. Only suspect records (slow puts and retries) need it, so the shard's read limit of
 * 5 calls per second, shared with the event source mapping, is rarely touched.
 */
export class KinesisClickHistory implements ClickHistory {
  constructor(
    private readonly client: KinesisClient,
    private readonly maxReads = DEFAULT_MAX_READS,
  ) {}

  async seenEarlier({ stream, shardId, clickId, since, beforeSequence }: ClickHistoryQuery): Promise<boolean> {
    const before = padSequenceNumber(beforeSequence);
    if (before === undefined) throw new Error(`not a sequence number: ${beforeSequence}`);
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
        const sequence = padSequenceNumber(record.SequenceNumber ?? '');
        if (sequence === undefined) continue;
        if (sequence >= before) return false;
        if (record.Data && decodeClick(record.Data)?.id === clickId) return true;
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
