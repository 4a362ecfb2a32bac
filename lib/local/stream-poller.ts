// Local stand-in for Lambda's Kinesis event source mapping: polls each shard, batches records by size
// and batching window, invokes the consumer with a real KinesisStreamEvent, honours batchItemFailures,
// bisects and retries on errors, and writes what it finally gives up on where Lambda's S3 on-failure
// destination would. The per-shard checkpoint is persisted, so a restart resumes where it stopped.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type _Record,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';
import type { StreamHandler } from '../../lambdas/handlers/types.ts';
import { writeJsonFile } from './provision.ts';

type Widen<T> = T extends boolean ? boolean : T extends number ? number : T extends string ? string : T;

/** The event source mapping settings of `CLICK_STREAM.consumer`, as plain values tests can override. */
export type ConsumerSettings = {
  -readonly [K in keyof typeof CLICK_STREAM.consumer]: Widen<(typeof CLICK_STREAM.consumer)[K]>;
};

export interface StreamPollerOptions {
  kinesis: KinesisClient;
  streamName: string;
  streamArn: string;
  region: string;
  handler: StreamHandler;
  /** Checkpoints go to `<dataDir>/stream-checkpoints.json`, failed batches to `<dataDir>/failed-batches/`. */
  dataDir: string;
  consumer?: Partial<ConsumerSettings>;
  log: (line: string) => void;
}

export interface StreamPoller {
  /** Stops polling after the current invocation; records not yet checkpointed are delivered again next start. */
  stop(): Promise<void>;
}

/** A failed invocation record in the shape Lambda writes to an S3 on-failure destination. */
export interface FailedBatchRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  payload: KinesisStreamEvent;
}

const FUNCTION_ARN = 'arn:aws:lambda:local:000000000000:function:count-clicks';

type Checkpoints = Record<string, string>;

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const settings: ConsumerSettings = { ...CLICK_STREAM.consumer, ...options.consumer };
  const checkpointFile = path.join(options.dataDir, 'stream-checkpoints.json');
  const allCheckpoints = await readJson<Record<string, Checkpoints>>(checkpointFile, {});
  const checkpoints: Checkpoints = allCheckpoints[options.streamName] ?? {};
  allCheckpoints[options.streamName] = checkpoints;
  const abort = new AbortController();

  // Shards checkpoint concurrently; writes are chained so the file never goes back in time.
  let writing = Promise.resolve();
  const saveCheckpoint = (shardId: string, sequenceNumber: string) => {
    checkpoints[shardId] = sequenceNumber;
    writing = writing.then(() => writeJsonFile(checkpointFile, allCheckpoints));
    return writing;
  };

  const { Shards = [] } = await options.kinesis.send(new ListShardsCommand({ StreamName: options.streamName }));
  const loops = Shards.flatMap((shard) =>
    shard.ShardId
      ? [pollShard({ ...options, settings, shardId: shard.ShardId, checkpoints, saveCheckpoint, signal: abort.signal })]
      : [],
  );

  return {
    stop: async () => {
      abort.abort();
      await Promise.all(loops);
    },
  };
}

interface ShardContext extends StreamPollerOptions {
  settings: ConsumerSettings;
  shardId: string;
  checkpoints: Checkpoints;
  saveCheckpoint(shardId: string, sequenceNumber: string): Promise<void>;
  signal: AbortSignal;
}

async function pollShard(context: ShardContext): Promise<void> {
  const { settings, signal } = context;
  let iterator: string | undefined;
  let buffer: _Record[] = [];
  while (!signal.aborted) {
    try {
      iterator ??= await shardIterator(context);
      const wanted = settings.batchSize - buffer.length;
      const page = await context.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: wanted }));
      iterator = page.NextShardIterator;
      buffer = buffer.concat(page.Records ?? []);
      if (!iterator) return; // The shard was closed and fully read.
      const first = buffer[0];
      const windowEnds = first ? arrivalMs(first) + settings.maxBatchingWindowSeconds * 1000 : Number.POSITIVE_INFINITY;
      if (first && (buffer.length >= settings.batchSize || Date.now() >= windowEnds)) {
        const batch = buffer.slice(0, settings.batchSize);
        buffer = buffer.slice(batch.length);
        await deliver(context, batch, 0);
        continue;
      }
      await sleep(Math.max(0, Math.min(settings.pollIntervalMs, windowEnds - Date.now())), signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ExpiredIteratorException) {
        // Start over from the checkpoint; the buffer would be read again.
        iterator = undefined;
        buffer = [];
        continue;
      }
      context.log(`stream poller (${context.shardId}): ${String(error)}`);
      await sleep(settings.pollIntervalMs, signal);
    }
  }
}

async function shardIterator(context: ShardContext): Promise<string> {
  const after = context.checkpoints[context.shardId];
  const { ShardIterator } = await context.kinesis.send(
    new GetShardIteratorCommand({
      StreamName: context.streamName,
      ShardId: context.shardId,
      ...(after
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after }
        : { ShardIteratorType: context.settings.startingPosition as 'TRIM_HORIZON' | 'LATEST' }),
    }),
  );
  if (!ShardIterator) throw new Error(`no iterator for ${context.shardId}`);
  return ShardIterator;
}

/**
 * Invokes the consumer until `batch` is processed or given up on. Partial failures re-deliver from
 * the lowest reported record; a thrown error splits the batch in two (splitting costs no retry),
 * and once a single record or whole batch is out of retries it goes to the failure folder.
 */
async function deliver(context: ShardContext, batch: _Record[], attempt: number): Promise<void> {
  const { settings, signal } = context;
  if (batch.length === 0 || signal.aborted) return;
  const oldestAllowed = Date.now() - settings.maxRecordAgeSeconds * 1000;
  const expired = batch.filter((record) => arrivalMs(record) < oldestAllowed);
  if (expired.length > 0) {
    await giveUp(context, expired, 'RecordAgeExceeded', attempt, undefined);
    await deliver(context, batch.slice(expired.length), attempt);
    return;
  }
  const event = toKinesisEvent(context, batch);
  let failedFrom: number;
  try {
    const response = await context.handler(event);
    const failures = settings.reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
    if (failures.length === 0) {
      await context.saveCheckpoint(context.shardId, lastSequence(batch));
      return;
    }
    failedFrom = lowestFailure(
      batch,
      failures.map((failure) => failure.itemIdentifier),
    );
  } catch (error) {
    context.log(`count-clicks failed on ${batch.length} record(s) of ${context.shardId}: ${String(error)}`);
    if (settings.bisectBatchOnError && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await deliver(context, batch.slice(0, half), attempt);
      await deliver(context, batch.slice(half), attempt);
      return;
    }
    failedFrom = 0;
  }
  const done = batch.slice(0, failedFrom);
  if (done.length > 0) await context.saveCheckpoint(context.shardId, lastSequence(done));
  const remaining = batch.slice(failedFrom);
  if (attempt >= settings.maxRetryAttempts) {
    await giveUp(context, remaining, 'RetryAttemptsExhausted', attempt + 1, 'Unhandled');
    return;
  }
  await sleep(retryDelayMs(settings, attempt), signal);
  await deliver(context, remaining, attempt + 1);
}

/** Index of the lowest reported record; an identifier not in the batch fails the whole batch, as on Lambda. */
function lowestFailure(batch: _Record[], identifiers: (string | undefined)[]): number {
  let lowest = batch.length;
  for (const identifier of identifiers) {
    const index = batch.findIndex((record) => record.SequenceNumber === identifier);
    if (index < 0) return 0;
    lowest = Math.min(lowest, index);
  }
  return lowest;
}

/** Exponential back-off starting small, never longer than the poll interval. */
function retryDelayMs(settings: ConsumerSettings, attempt: number): number {
  return Math.min(settings.pollIntervalMs, 50 * 2 ** attempt);
}

async function giveUp(
  context: ShardContext,
  records: _Record[],
  condition: FailedBatchRecord['requestContext']['condition'],
  invokeCount: number,
  functionError: string | undefined,
): Promise<void> {
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) return;
  const timestamp = new Date().toISOString();
  const record: FailedBatchRecord = {
    requestContext: {
      requestId: randomUUID(),
      functionArn: FUNCTION_ARN,
      condition,
      approximateInvokeCount: invokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError } : {}) },
    version: '1.0',
    timestamp,
    KinesisBatchInfo: {
      shardId: context.shardId,
      startSequenceNumber: first.SequenceNumber ?? '',
      endSequenceNumber: last.SequenceNumber ?? '',
      approximateArrivalOfFirstRecord: new Date(arrivalMs(first)).toISOString(),
      approximateArrivalOfLastRecord: new Date(arrivalMs(last)).toISOString(),
      batchSize: records.length,
      streamArn: context.streamArn,
    },
    payload: toKinesisEvent(context, records),
  };
  const file = path.join(
    context.dataDir,
    'failed-batches',
    `${timestamp.replace(/[:.]/g, '-')}-${context.shardId}-${first.SequenceNumber}.json`,
  );
  await writeJsonFile(file, record);
  await context.saveCheckpoint(context.shardId, lastSequence(records));
  context.log(`gave up on ${records.length} click record(s) of ${context.shardId} (${condition}): ${file}`);
}

function toKinesisEvent(context: ShardContext, records: _Record[]): KinesisStreamEvent {
  return {
    Records: records.map(
      (record): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: record.PartitionKey ?? '',
          sequenceNumber: record.SequenceNumber ?? '',
          data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: arrivalMs(record) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${context.shardId}:${record.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/count-clicks',
        awsRegion: context.region,
        eventSourceARN: context.streamArn,
      }),
    ),
  };
}

const arrivalMs = (record: _Record) => record.ApproximateArrivalTimestamp?.getTime() ?? Date.now();

const lastSequence = (records: _Record[]) => records[records.length - 1]?.SequenceNumber ?? '';

async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}

/** Resolves after `ms`, or at once when the poller is stopped. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
