// The local event source mapping against kinesalite, with a recording consumer in place of count-clicks.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamHandler } from '../../lambdas/handlers/types.ts';
import { type RunningEmulator, startKinesalite } from '../../lib/local/emulators.ts';
import { ensureStream } from '../../lib/local/provision.ts';
import {
  type ConsumerSettings,
  type FailedBatchRecord,
  type StreamPoller,
  startStreamPoller,
} from '../../lib/local/stream-poller.ts';
import { waitFor } from '../support/local-system.ts';

const FAST: Partial<ConsumerSettings> = { pollIntervalMs: 20, maxBatchingWindowSeconds: 0.2 };

describe('local-mode', () => {
  let emulatorDir: string;
  let kinesalite: RunningEmulator;
  let kinesis: KinesisClient;
  let streamName: string;
  let streamArn: string;
  let dataDir: string;
  let poller: StreamPoller | undefined;
  let streamNumber = 0;

  beforeAll(async () => {
    emulatorDir = await mkdtemp(path.join(os.tmpdir(), 'poller-kinesis-'));
    kinesalite = await startKinesalite(emulatorDir);
    kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: kinesalite.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
    });
  });
  afterAll(async () => {
    kinesis?.destroy();
    await kinesalite?.close();
    await rm(emulatorDir, { recursive: true, force: true });
  });
  // A fresh stream and data folder per test, so checkpoints and failures never mix.
  beforeEach(async () => {
    streamNumber += 1;
    streamName = `clicks-${streamNumber}`;
    streamArn = await ensureStream(kinesis, streamName);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'poller-data-'));
  });
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  async function put(data: string, partitionKey = `pk-${data}`): Promise<{ shardId: string; sequenceNumber: string }> {
    const result = await kinesis.send(
      new PutRecordCommand({
        StreamName: streamName,
        Data: new TextEncoder().encode(data),
        PartitionKey: partitionKey,
      }),
    );
    return { shardId: result.ShardId ?? '', sequenceNumber: result.SequenceNumber ?? '' };
  }

  const decode = (event: KinesisStreamEvent) =>
    event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString('utf8'));

  /** Starts a poller whose consumer records every batch it gets and answers with `respond`. */
  async function start(
    respond: (event: KinesisStreamEvent) => KinesisStreamBatchResponse | Promise<KinesisStreamBatchResponse> = () => ({
      batchItemFailures: [],
    }),
    consumer: Partial<ConsumerSettings> = {},
  ) {
    const batches: string[][] = [];
    const events: KinesisStreamEvent[] = [];
    const logs: string[] = [];
    const handler: StreamHandler = async (event) => {
      batches.push(decode(event));
      events.push(event);
      return respond(event);
    };
    poller = await startStreamPoller({
      kinesis,
      streamName,
      streamArn,
      region: 'us-east-1',
      handler,
      dataDir,
      consumer: { ...FAST, ...consumer },
      log: (line) => logs.push(line),
    });
    return { batches, events, logs };
  }

  /** Finished failure records only: a record being written is a `.tmp` file until renamed. */
  const failedBatchFiles = async () =>
    (await readdir(path.join(dataDir, 'failed-batches')).catch(() => [] as string[])).filter((name) =>
      name.endsWith('.json'),
    );

  const delivered = (batches: string[][], count: number) =>
    waitFor(async () => (batches.flat().length >= count ? true : undefined), { what: `${count} records delivered` });

  it('R6.2 invokes the consumer with a Kinesis event as Lambda builds it', async () => {
    const { events } = await start();
    const { shardId, sequenceNumber } = await put('{"hello":1}', 'partition-1');
    await waitFor(async () => events[0]);
    const [record] = events[0]?.Records ?? [];
    expect(record).toEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'partition-1',
        sequenceNumber,
        data: Buffer.from('{"hello":1}').toString('base64'),
        approximateArrivalTimestamp: expect.any(Number),
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::/),
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
    });
    expect(Math.abs((record?.kinesis.approximateArrivalTimestamp ?? 0) * 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('R6.1 delivers at most batchSize records per invocation, in stream order', async () => {
    for (const data of ['a', 'b', 'c', 'd', 'e']) await put(data);
    const { batches } = await start(undefined, { batchSize: 2 });
    await delivered(batches, 5);
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('R6.1 gathers records arriving within the batching window into one invocation', async () => {
    const { batches } = await start(undefined, { maxBatchingWindowSeconds: 2 });
    await Promise.all(['a', 'b', 'c'].map((data) => put(data)));
    await delivered(batches, 3);
    expect(batches).toHaveLength(1);
    expect([...(batches[0] ?? [])].sort()).toEqual(['a', 'b', 'c']);
  });

  it('R6.3 re-delivers from the lowest sequence number reported in batchItemFailures', async () => {
    for (const data of ['a', 'b', 'c', 'd']) await put(data);
    let first = true;
    const { batches } = await start((event) => {
      if (!first) return { batchItemFailures: [] };
      first = false;
      const [, second, third] = event.Records;
      // Reported out of order on purpose: the lowest one counts.
      return {
        batchItemFailures: [
          { itemIdentifier: third?.kinesis.sequenceNumber ?? '' },
          { itemIdentifier: second?.kinesis.sequenceNumber ?? '' },
        ],
      };
    });
    await waitFor(async () => (batches.length >= 2 ? true : undefined));
    expect(batches).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'c', 'd'],
    ]);
  });

  it('R6.4 bisects a failing batch, retries the bad record maxRetryAttempts times, then writes it as a failed batch and moves on', async () => {
    // 'c' and 'd' come after the bad record: they must still be delivered.
    for (const data of ['a', 'b', 'poison', 'c', 'd']) await put(data);
    const { batches, logs } = await start(
      (event) => {
        if (decode(event).includes('poison')) throw new Error('cannot handle poison');
        return { batchItemFailures: [] };
      },
      { maxRetryAttempts: 2 },
    );
    await waitFor(async () => (batches.flat().includes('d') && batches.at(-1)?.includes('d') ? true : undefined));
    const succeeded = batches.filter((batch) => !batch.includes('poison')).flat();
    expect(succeeded.sort()).toEqual(['a', 'b', 'c', 'd']);
    // 1 first try + 2 retries of the single poison record, after the splits.
    expect(batches.filter((batch) => batch.length === 1 && batch[0] === 'poison')).toHaveLength(3);

    const files = await failedBatchFiles();
    expect(files).toHaveLength(1);
    const record = JSON.parse(
      await readFile(path.join(dataDir, 'failed-batches', files[0] as string), 'utf8'),
    ) as FailedBatchRecord;
    const payloadRecord = record.payload.Records[0];
    expect(record).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      KinesisBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: payloadRecord?.kinesis.sequenceNumber,
        endSequenceNumber: payloadRecord?.kinesis.sequenceNumber,
        batchSize: 1,
        streamArn,
      },
    });
    expect(Buffer.from(payloadRecord?.kinesis.data ?? '', 'base64').toString()).toBe('poison');
    expect(Number.isNaN(Date.parse(record.timestamp))).toBe(false);
    expect(Date.parse(record.KinesisBatchInfo.approximateArrivalOfFirstRecord)).toBeLessThanOrEqual(Date.now());
    expect(logs.join('\n')).toMatch(/gave up on 1 click record/);
  });

  it('R6.4 gives up on records still reported as failed after maxRetryAttempts retries', async () => {
    for (const data of ['a', 'b']) await put(data);
    const { batches } = await start(
      (event) => ({
        batchItemFailures: event.Records.filter(
          (record) => Buffer.from(record.kinesis.data, 'base64').toString() === 'b',
        ).map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
      }),
      { maxRetryAttempts: 1 },
    );
    const failedDir = path.join(dataDir, 'failed-batches');
    const files = await waitFor(async () => {
      const names = await failedBatchFiles();
      return names.length > 0 ? names : undefined;
    });
    expect(batches).toEqual([['a', 'b'], ['b']]);
    const record = JSON.parse(await readFile(path.join(failedDir, files[0] as string), 'utf8')) as FailedBatchRecord;
    expect(record.KinesisBatchInfo.batchSize).toBe(1);
    expect(decode(record.payload)).toEqual(['b']);
  });

  it('R6.4 writes records older than maxRecordAgeSeconds to the failure folder without invoking the consumer', async () => {
    await put('stale');
    const { batches } = await start(undefined, { maxRecordAgeSeconds: 0 });
    const files = await waitFor(async () => {
      const names = await failedBatchFiles();
      return names.length > 0 ? names : undefined;
    });
    const record = JSON.parse(
      await readFile(path.join(dataDir, 'failed-batches', files[0] as string), 'utf8'),
    ) as FailedBatchRecord;
    expect(record.requestContext.condition).toBe('RecordAgeExceeded');
    expect(decode(record.payload)).toEqual(['stale']);
    expect(batches).toEqual([]);
  });

  it('R6.5 resumes after a restart from the persisted checkpoint, without re-delivering processed records', async () => {
    for (const data of ['a', 'b']) await put(data);
    const first = await start();
    await delivered(first.batches, 2);
    await poller?.stop();

    for (const data of ['c', 'd']) await put(data);
    const second = await start();
    await delivered(second.batches, 2);
    expect(first.batches.flat()).toEqual(['a', 'b']);
    expect(second.batches.flat()).toEqual(['c', 'd']);
  });

  it('R6.6 stops at once even in the middle of a long poll interval', async () => {
    await start(undefined, { pollIntervalMs: 600_000 });
    await poller?.stop();
    poller = undefined;
  }, 5_000);
});
