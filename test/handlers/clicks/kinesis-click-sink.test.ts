import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KinesisClickSink } from '../../../lambdas/adapters/kinesis-click-sink.ts';
import { decodeClick } from '../../../lambdas/domain/click.ts';
import { click } from '../../unit/clicks/support.ts';

const kinesis = mockClient(KinesisClient);

describe('click-pipeline', () => {
  afterEach(() => kinesis.reset());

  it('R3.4 puts one record naming the stream by name, with the encoded click as data', async () => {
    kinesis.on(PutRecordCommand).resolves({ ShardId: 'shardId-000000000000', SequenceNumber: '1' });
    const sink = new KinesisClickSink(new KinesisClient({ region: 'us-east-1' }), 'clicks', () => 'fixed-key');
    await sink.put(click('abc'));
    const calls = kinesis.commandCalls(PutRecordCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toEqual({ StreamName: 'clicks', PartitionKey: 'fixed-key', Data: expect.any(Uint8Array) });
    expect(decodeClick(input?.Data as Uint8Array)).toEqual(click('abc'));
  });

  it("R1.2 hands the recorder's abort signal to the SDK, so a put past its deadline is cancelled", async () => {
    kinesis.on(PutRecordCommand).resolves({});
    const controller = new AbortController();
    await new KinesisClickSink(new KinesisClient({ region: 'us-east-1' }), 'clicks').put(
      click('abc'),
      controller.signal,
    );
    const args = kinesis.commandCalls(PutRecordCommand)[0]?.args as unknown[] | undefined;
    expect(args?.[1]).toEqual({ abortSignal: controller.signal });
  });

  it('R6.1 gives every click of the same link its own random partition key, so a hot link spreads over shards', async () => {
    kinesis.on(PutRecordCommand).resolves({});
    const sink = new KinesisClickSink(new KinesisClient({ region: 'us-east-1' }), 'clicks');
    for (let i = 0; i < 50; i++) await sink.put(click('hot'));
    const keys = kinesis.commandCalls(PutRecordCommand).map((call) => call.args[0].input.PartitionKey);
    expect(new Set(keys).size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('R3.5 R6.1 uses the click id as partition key, so both attempts of one click land on the same shard', async () => {
    kinesis.on(PutRecordCommand).resolves({});
    const sink = new KinesisClickSink(new KinesisClient({ region: 'us-east-1' }), 'clicks');
    await sink.put({ ...click('hot'), id: 'id-1' });
    await sink.put({ ...click('hot'), id: 'id-1' });
    await sink.put({ ...click('hot'), id: 'id-2' });
    const keys = kinesis.commandCalls(PutRecordCommand).map((call) => call.args[0].input.PartitionKey);
    expect(keys).toEqual(['id-1', 'id-1', 'id-2']);
  });

  it('R1.2 lets a Kinesis error reach the recorder, which owns the retry', async () => {
    kinesis.on(PutRecordCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const sink = new KinesisClickSink(new KinesisClient({ region: 'us-east-1' }), 'clicks');
    await expect(sink.put(click('abc'))).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
