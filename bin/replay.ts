// `npm run replay`: re-applies click batches the consumer gave up on, without counting anything twice.
//   npm run replay                                   local mode: .local/failed-batches (stop `npm start` first)
//   npm run replay -- --data-dir <dir>               another local data folder
//   npm run replay -- --bucket <name> [--prefix <p>] [--table <name>] [--region <r>]
//                                                    AWS: the consumer's S3 on-failure bucket and the links table
//   ... --add-overtaken                              also add clicks the report lists as overtaken (only when you
//                                                    know the failed batches were never counted, e.g. a table outage);
//                                                    running it again adds them no second time
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCounterStore } from '../lambdas/adapters/dynamo-counter-store.ts';
import { DynamoDayStore } from '../lambdas/adapters/dynamo-day-store.ts';
import { jsonLogger } from '../lambdas/adapters/json-logger.ts';
import { ENV, LOCAL_NAMES } from '../lambdas/declarations/runtime.ts';
import { type RunningEmulator, startDynalite } from '../lib/local/emulators.ts';
import { formatReport, type ReplayReport, replayFailedBatches } from '../lib/replay/replay.ts';
import { localFailedBatches, s3FailedBatches } from '../lib/replay/sources.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '.local' },
    bucket: { type: 'string' },
    prefix: { type: 'string', default: '' },
    table: { type: 'string' },
    region: { type: 'string' },
    'add-overtaken': { type: 'boolean', default: false },
  },
});

// Warnings only: one line per record that cannot be read, rather than a line per link.
const logger = jsonLogger({ source: 'replay' }, (line) => {
  if (!line.startsWith('{"level":"info"')) console.error(line);
});

const stores = (doc: DynamoDBDocumentClient, tableName: string) => ({
  counters: new DynamoCounterStore(doc, tableName),
  days: new DynamoDayStore(doc, tableName),
  logger,
});

async function replayOnAws(bucket: string): Promise<ReplayReport> {
  const tableName = values.table ?? process.env[ENV.tableName];
  if (!tableName) throw new Error(`name the links table with --table or ${ENV.tableName}`);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: values.region }));
  return replayFailedBatches({
    source: s3FailedBatches(new S3Client({ region: values.region }), bucket, values.prefix),
    deps: stores(doc, tableName),
    addOvertaken: values['add-overtaken'],
  });
}

async function replayLocally(dataDir: string): Promise<ReplayReport> {
  let dynamodb: RunningEmulator | undefined;
  try {
    dynamodb = await startDynalite(dataDir);
    const client = new DynamoDBClient({
      region: LOCAL_NAMES.region,
      endpoint: dynamodb.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await client.send(new DescribeTableCommand({ TableName: LOCAL_NAMES.table }));
    } catch (error) {
      // dynalite cannot open a data folder that a running local mode holds (LevelDB lock).
      throw new Error(
        `cannot open the local table in ${dataDir} (${error instanceof Error ? error.message : String(error)}): stop local mode (npm start) and run the replay again`,
      );
    }
    const doc = DynamoDBDocumentClient.from(client);
    return await replayFailedBatches({
      source: localFailedBatches(dataDir),
      deps: stores(doc, LOCAL_NAMES.table),
      addOvertaken: values['add-overtaken'],
    });
  } finally {
    await dynamodb?.close();
  }
}

try {
  const report = values.bucket
    ? await replayOnAws(values.bucket)
    : await replayLocally(path.resolve(values['data-dir']));
  console.log(formatReport(report));
  process.exit(report.stillFailing.length > 0 ? 1 : 0);
} catch (error) {
  console.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
