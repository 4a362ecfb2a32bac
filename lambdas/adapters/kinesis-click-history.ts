import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { compareSequenceNumbers, decodeClick, isSequenceNumber } from '../domain/click.ts';
import type { ClickHistory, ClickHistoryQuery } from '../ports.ts';

/**
 * The look-back spans about two put deadlines of one shard, one or two reads (a read returns up to
 * 10,000 records); the cap keeps a shard that cannot be read to the end from holding the consumer,
 * and an undecided record fails its batch instead of being guessed at.
 */
const DEFAULT_MAX_READS = 10;

/**
 * Reads a shard once per batch, from the earliest time an earlier copy of any of the batch's head
 * records can have arrived up to the batch, and answers all of them. After a reshard the two copies of
 * a click can lie in different shards (the first in a parent, the second in its child), so a child's
 * parents are read too, from the same time to their end, until the look-back starts after a parent's
 * last record (remembered: a closed shard never changes).
 */
export class KinesisClickHistory implements ClickHistory {
  /** Per shard, its parents (none for a shard of the stream's first generation); asked once per shard. */
  private readonly parents = new Map<string, Promise<string[]>>();
  /** Per closed parent shard, a time after which it holds no record. */
  private readonly parentEnds = new Map<string, Date>();

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
    // kinesalite rejects calls that name the stream only by ARN.
    const streamName = streamNameOf(stream);
    const found = new Map<string, Date>();
    for (const parent of await this.parentsOf(streamName, shardId)) {
      const end = this.parentEnds.get(parent);
      if (end !== undefined && since >= end) continue;
      const read = await this.read(streamName, parent, since, clickIds, found, undefined);
      this.parentEnds.set(parent, read.lastArrival ?? since);
    }
    await this.read(streamName, shardId, since, clickIds, found, beforeSequence);
    return found;
  }

  /**
   * Adds to `found` the first arrival of each of `clickIds` in the shard from `since`, up to
   * `beforeSequence` (or, without it, to the end of the closed shard).
   */
  private async read(
    streamName: string,
    shardId: string,
    since: Date,
    clickIds: ReadonlySet<string>,
    found: Map<string, Date>,
    beforeSequence: string | undefined,
  ): Promise<{ lastArrival?: Date }> {
    const { ShardIterator } = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: since,
      }),
    );
    let iterator = ShardIterator;
    let lastArrival: Date | undefined;
    for (let read = 0; read < this.maxReads && iterator; read++) {
      const { Records = [], NextShardIterator } = await this.client.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      for (const record of Records) {
        const sequence = record.SequenceNumber ?? '';
        if (!isSequenceNumber(sequence)) continue;
        if (beforeSequence !== undefined && compareSequenceNumbers(sequence, beforeSequence) >= 0) return {};
        lastArrival = record.ApproximateArrivalTimestamp ?? lastArrival;
        const id = clickIdOf(record);
        if (id === undefined || !clickIds.has(id) || found.has(id)) continue;
        // Kinesis stamps every record; without the stamp the copy's window cannot be checked.
        if (!record.ApproximateArrivalTimestamp) throw new Error(`record ${record.SequenceNumber} has no arrival time`);
        found.set(id, record.ApproximateArrivalTimestamp);
      }
      // A closed shard read to its end has no next iterator.
      if (beforeSequence === undefined && !NextShardIterator) return lastArrival ? { lastArrival } : {};
      iterator = NextShardIterator;
    }
    throw new Error(`shard ${shardId} not read up to ${beforeSequence ?? 'its end'} within ${this.maxReads} reads`);
  }

  private parentsOf(streamName: string, shardId: string): Promise<string[]> {
    let parents = this.parents.get(shardId);
    if (!parents) {
      parents = this.listParents(streamName, shardId);
      this.parents.set(shardId, parents);
      // A failed listing is asked again next time.
      parents.catch(() => this.parents.delete(shardId));
    }
    return parents;
  }

  private async listParents(streamName: string, shardId: string): Promise<string[]> {
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
      );
      const shard = page?.Shards?.find((candidate) => candidate.ShardId === shardId);
      if (shard) return [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => !!id);
      nextToken = page?.NextToken;
    } while (nextToken);
    return [];
  }
}

function clickIdOf(record: _Record): string | undefined {
  return record.Data ? decodeClick(record.Data)?.id : undefined;
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` */
function streamNameOf(streamArn: string): string {
  const match = /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/(.+)$/.exec(streamArn);
  if (!match?.[1]) throw new Error(`not a Kinesis stream ARN: ${streamArn}`);
  return match[1];
}
