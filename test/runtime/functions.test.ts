// Every function's bundle, as synthesized, initialised by AWS's runtime interface client with the
// environment the stack gives it, answering a representative event against dynalite and kinesalite;
// the consumer fed a batch shaped as Lambda's Kinesis event source mapping delivers it.
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { FUNCTION_ENTRIES, type FunctionEntry } from '../../lib/stack/shortener-function.ts';
import { deployedFunctions } from './functions.ts';
import { type InvokeReport, LambdaEmulator } from './lambda-emulator.ts';
import { apiEvent, redirectEvent, startWorld, type World } from './world.ts';

let world: World;
const running: LambdaEmulator[] = [];

beforeAll(async () => {
  deployedFunctions();
  world = await startWorld();
});
afterAll(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
  await world?.close();
});

async function start(entry: FunctionEntry): Promise<LambdaEmulator> {
  const config = deployedFunctions().functions[entry];
  const emulator = await LambdaEmulator.start({
    ...config,
    environment: { ...config.environment, ...world.endpoints },
  });
  running.push(emulator);
  return emulator;
}

/** A Kinesis event as the event source mapping builds it from the records in the stream. */
async function deliveredBatch(): Promise<unknown> {
  const records = await world.streamRecords();
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'p',
        sequenceNumber: record.sequenceNumber,
        data: Buffer.from(record.data).toString('base64'),
        approximateArrivalTimestamp: record.arrived.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${record.shardId}:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/count-clicks',
      awsRegion: LOCAL_NAMES.region,
      eventSourceARN: world.streamArn,
    })),
  };
}

const status = (report: InvokeReport) => (report.response as { statusCode?: number }).statusCode;

describe('lambda-runtime', () => {
  it('R1.1 R3.1 every function bundle initialises under the runtime client and answers a representative event', async () => {
    const caller = 'user-runtime-1';
    await world.putLink('mine0001', 'https://example.com/mine', caller);
    const events: Record<FunctionEntry, { event: unknown; expected: number }> = {
      'create-link': {
        event: apiEvent('POST', 'POST /links', '/links', {
          caller,
          body: JSON.stringify({ url: 'https://example.com/created', alias: 'created1' }),
        }),
        expected: 201,
      },
      'bulk-create-links': {
        event: apiEvent('POST', 'POST /links/bulk', '/links/bulk', {
          caller,
          body: JSON.stringify({ links: [{ url: 'https://example.com/bulk' }] }),
        }),
        expected: 200,
      },
      'list-links': { event: apiEvent('GET', 'GET /links', '/links', { caller }), expected: 200 },
      'get-link': {
        event: apiEvent('GET', 'GET /links/{link}', '/links/created1', {
          caller,
          pathParameters: { link: 'created1' },
        }),
        expected: 200,
      },
      'edit-link': {
        event: apiEvent('PATCH', 'PATCH /links/{link}', '/links/created1', {
          caller,
          pathParameters: { link: 'created1' },
          body: JSON.stringify({ url: 'https://example.com/edited' }),
        }),
        expected: 200,
      },
      'moderate-link': {
        event: apiEvent('POST', 'POST /links/{link}/disable', '/links/nothere1/disable', {
          caller,
          groups: '[operators]',
          pathParameters: { link: 'nothere1' },
          body: JSON.stringify({ reason: 'runtime test' }),
        }),
        expected: 404,
      },
      openapi: { event: apiEvent('GET', 'GET /openapi.json', '/openapi.json'), expected: 200 },
      'delete-link': {
        event: apiEvent('DELETE', 'DELETE /links/{link}', '/links/mine0001', {
          caller,
          pathParameters: { link: 'mine0001' },
        }),
        expected: 204,
      },
      redirect: { event: redirectEvent('created1'), expected: 301 },
      'not-allowed': { event: apiEvent('PUT', 'ANY /links', '/links'), expected: 405 },
      'count-clicks': { event: { Records: [] }, expected: 0 },
    };
    for (const entry of FUNCTION_ENTRIES) {
      const fn = await start(entry);
      const report = await fn.invoke(events[entry].event);
      expect({ entry, status: report.status, init: report.initDurationMs !== undefined }).toEqual({
        entry,
        status: 'success',
        init: true,
      });
      if (entry === 'count-clicks') expect(report.response).toEqual({ batchItemFailures: [] });
      else expect({ entry, statusCode: status(report) }).toEqual({ entry, statusCode: events[entry].expected });
      // Nothing a function writes on a healthy request is a warning or an error.
      expect(
        fn.jsonLines().filter((line) => line.level === 'WARN' || line.level === 'ERROR'),
        entry,
      ).toEqual([]);
      await fn.close();
    }
  });

  it('R3.1 every API function bundle refuses, with 403, an event that did not come through CloudFront', async () => {
    const direct = { throughCloudFront: false };
    const events: Partial<Record<FunctionEntry, unknown>> = {
      redirect: apiEvent('GET', 'GET /{link}', '/created1', { ...direct, pathParameters: { link: 'created1' } }),
      'create-link': apiEvent('POST', 'POST /links', '/links', {
        ...direct,
        caller: 'user-runtime-2',
        body: JSON.stringify({ url: 'https://example.com/direct' }),
      }),
      'not-allowed': apiEvent('PUT', 'ANY /links', '/links', direct),
    };
    for (const [entry, event] of Object.entries(events) as [FunctionEntry, unknown][]) {
      const fn = await start(entry);
      const report = await fn.invoke(event);
      expect({ entry, statusCode: status(report) }).toEqual({ entry, statusCode: 403 });
      await fn.close();
    }
  });

  it('R3.2 R4.2 the consumer counts a batch delivered as the event source mapping delivers it, once, and publishes its drops as metrics', async () => {
    const url = 'https://example.com/counted';
    await world.putLink('count001', url);
    const redirect = await start('redirect');
    for (let i = 0; i < 5; i++) {
      const report = await redirect.invoke(redirectEvent('count001'));
      expect(status(report)).toBe(301);
    }
    // A second copy of the first click (a retry that landed beside its first attempt), and a click on a
    // link that no longer exists.
    const [first] = (await world.streamRecords()).map((record) => JSON.parse(record.data));
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    await world.kinesis.send(
      new PutRecordCommand({
        StreamName: LOCAL_NAMES.stream,
        PartitionKey: first.id,
        Data: encode({ ...first, attempt: 2, sent: new Date(Date.parse(first.sent) + 1_000).toISOString() }),
      }),
    );
    await world.kinesis.send(
      new PutRecordCommand({
        StreamName: LOCAL_NAMES.stream,
        PartitionKey: 'gone',
        Data: encode({ v: 1, link: 'gone0001', at: new Date().toISOString(), id: 'gone-click', attempt: 1 }),
      }),
    );

    const consumer = await start('count-clicks');
    const batch = await deliveredBatch();
    const report = await consumer.invoke(batch);
    expect(report.status).toBe('success');
    expect(report.response).toEqual({ batchItemFailures: [] });
    expect(await world.clickCount('count001')).toBe(5);
    expect(consumer.jsonLines().filter((line) => 'DuplicateClicksDropped' in line)).toEqual([
      expect.objectContaining({
        Service: 'count-clicks',
        DuplicateClicksDropped: 1,
        DeletedLinkClicksDropped: 1,
        CounterWriteFailures: 0,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'Shortener', Dimensions: [['Service']] })],
        }),
      }),
    ]);

    // Lambda retries a batch after a timeout or crash: the same records again add nothing.
    const again = await consumer.invoke(batch);
    expect(again.response).toEqual({ batchItemFailures: [] });
    expect(await world.clickCount('count001')).toBe(5);
  });
});
