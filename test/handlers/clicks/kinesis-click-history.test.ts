import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KinesisClickHistory } from '../../../lambdas/adapters/kinesis-click-history.ts';
import { encodeClick } from '../../../lambdas/domain/click.ts';
import { click } from '../../unit/clicks/support.ts';

const kinesis = mockClient(KinesisClient);
const SHARD = 'shardId-000000000001';
const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks-prod';
const SINCE = new Date('2026-11-22T04:59:59.750Z');
const query = (...clickIds: string[]) => ({
  stream: STREAM_ARN,
  shardId: SHARD,
  clickIds: new Set(clickIds),
  since: SINCE,
  beforeSequence: '500',
});
const arrival = (sequence: string) => new Date(SINCE.getTime() + Number(sequence));
const record = (sequence: string, id: string) => ({
  SequenceNumber: sequence,
  PartitionKey: id,
  ApproximateArrivalTimestamp: arrival(sequence),
  Data: encodeClick({ ...click('a'), id, attempt: 1 }),
});

const history = (maxReads?: number) => new KinesisClickHistory(new KinesisClient({ region: 'eu-west-1' }), maxReads);

describe('click-pipeline', () => {
  afterEach(() => kinesis.reset());

  it('R4.14 reads the shard once from the earliest possible arrival (AT_TIMESTAMP, stream by name) up to the batch and finds the earlier copies of all suspects', async () => {
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    kinesis
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [record('100', 'other')], NextShardIterator: 'it-2' })
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({
        Records: [record('200', 'c1'), record('300', 'other'), record('400', 'c3'), record('450', 'c1')],
        NextShardIterator: 'it-3',
      })
      .on(GetRecordsCommand, { ShardIterator: 'it-3' })
      .resolves({ Records: [record('500', 'c2')], NextShardIterator: 'it-4' });
    // c2 lies at the batch start, so it is no earlier copy; c1's first record is the one reported.
    expect(await history().earlierCopies(query('c1', 'c2', 'c3'))).toEqual(
      new Map([
        ['c1', arrival('200')],
        ['c3', arrival('400')],
      ]),
    );
    expect(kinesis.commandCalls(GetShardIteratorCommand).map((call) => call.args[0].input)).toEqual([
      { StreamName: 'clicks-prod', ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: SINCE },
    ]);
    expect(kinesis.commandCalls(GetRecordsCommand).map((call) => call.args[0].input)).toEqual([
      { ShardIterator: 'it-1' },
      { ShardIterator: 'it-2' },
      { ShardIterator: 'it-3' },
    ]);
  });

  it('R4.14 stops at the batch start: a copy at or after it is not an earlier one', async () => {
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    kinesis
      .on(GetRecordsCommand, { ShardIterator: 'it-1' })
      .resolves({ Records: [record('99', 'other')], NextShardIterator: 'it-2' })
      // Sequence numbers compare as numbers: 1000 is after 500.
      .on(GetRecordsCommand, { ShardIterator: 'it-2' })
      .resolves({ Records: [record('1000', 'other'), record('1001', 'c1')], NextShardIterator: 'it-3' });
    expect(await history().earlierCopies(query('c1'))).toEqual(new Map());
    expect(kinesis.commandCalls(GetRecordsCommand)).toHaveLength(2);
  });

  it('R4.15 gives up (rejects) after its cap of reads rather than guess', async () => {
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it' });
    kinesis.on(GetRecordsCommand).resolves({ Records: [], NextShardIterator: 'it' });
    await expect(history(3).earlierCopies(query('c1'))).rejects.toThrow(/within 3 reads/);
    expect(kinesis.commandCalls(GetRecordsCommand)).toHaveLength(3);
  });

  it('R4.15 rejects a stream that is not named by a Kinesis stream ARN, without calling Kinesis', async () => {
    await expect(history().earlierCopies({ ...query('c1'), stream: '' })).rejects.toThrow(/not a Kinesis stream ARN/);
    expect(kinesis.calls()).toHaveLength(0);
  });

  it("R4.17 after a reshard reads the child shard's parent from the same time to its end, and remembers where the closed parent ends", async () => {
    const PARENT = 'shardId-000000000000';
    const shard = (ShardId: string, ParentShardId?: string) => ({
      ShardId,
      ...(ParentShardId ? { ParentShardId } : {}),
      HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
      SequenceNumberRange: { StartingSequenceNumber: '1' },
    });
    kinesis.on(ListShardsCommand).resolves({ Shards: [shard(PARENT), shard(SHARD, PARENT)] });
    kinesis.on(GetShardIteratorCommand, { ShardId: PARENT }).resolves({ ShardIterator: 'parent-1' });
    kinesis.on(GetShardIteratorCommand, { ShardId: SHARD }).resolves({ ShardIterator: 'child-1' });
    kinesis
      .on(GetRecordsCommand, { ShardIterator: 'parent-1' })
      .resolves({ Records: [record('150', 'c1'), record('160', 'other')], NextShardIterator: 'parent-2' })
      // The parent is closed: its last page has no next iterator.
      .on(GetRecordsCommand, { ShardIterator: 'parent-2' })
      .resolves({ Records: [] })
      .on(GetRecordsCommand, { ShardIterator: 'child-1' })
      .resolves({ Records: [record('200', 'c1'), record('500', 'c2')], NextShardIterator: 'child-2' });
    const reader = history();
    // c1's first copy lies in the parent, before the reshard.
    expect(await reader.earlierCopies(query('c1', 'c2'))).toEqual(new Map([['c1', arrival('150')]]));
    expect(kinesis.commandCalls(ListShardsCommand).map((call) => call.args[0].input)).toEqual([
      { StreamName: 'clicks-prod' },
    ]);
    // A later batch whose look-back starts after the parent's last record reads only its own shard.
    await reader.earlierCopies({ ...query('c9'), since: arrival('161') });
    expect(kinesis.commandCalls(GetShardIteratorCommand).map((call) => call.args[0].input.ShardId)).toEqual([
      PARENT,
      SHARD,
      SHARD,
    ]);
    expect(kinesis.commandCalls(ListShardsCommand)).toHaveLength(1);
  });
});
