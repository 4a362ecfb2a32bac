// Clicks through the real pipeline of local mode: redirect -> Kinesis (kinesalite) -> stream poller
// -> count-clicks -> DynamoDB (dynalite), with the event source mapping's real settings.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { createUser, type TestUser } from '../support/cognito.ts';
import {
  apiClient,
  type Link,
  type LinkList,
  startTestSystem,
  type TestSystem,
  waitFor,
} from '../support/local-system.ts';

describe('local-mode', () => {
  let system: TestSystem;
  let user: TestUser;

  beforeAll(async () => {
    system = await startTestSystem();
    user = await createUser(system.pageConfig.cognito);
  });
  afterAll(() => system?.dispose());

  const api = () => apiClient(system, user.accessToken);

  async function newLink(url: string): Promise<Link> {
    const response = await api().create({ url });
    expect(response.status).toBe(201);
    return (await response.json()) as Link;
  }

  async function countOf(code: string): Promise<number> {
    const list = (await (await api().list('?limit=100')).json()) as LinkList;
    return list.items.find((item) => item.link === code)?.count ?? -1;
  }

  /** The last sequence number on the stream's shard, read straight from kinesalite. */
  async function lastSequenceOnStream(): Promise<{ shardId: string; sequenceNumber: string }> {
    const kinesis = new KinesisClient({
      region: LOCAL_NAMES.region,
      endpoint: system.endpoints.kinesis,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
    });
    try {
      const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: LOCAL_NAMES.stream }));
      const shardId = Shards[0]?.ShardId ?? '';
      let { ShardIterator: iterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: LOCAL_NAMES.stream,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let sequenceNumber = '';
      for (;;) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        const records = page.Records ?? [];
        sequenceNumber = records[records.length - 1]?.SequenceNumber ?? sequenceNumber;
        iterator = page.NextShardIterator;
        if (records.length === 0) return { shardId, sequenceNumber };
      }
    } finally {
      kinesis.destroy();
    }
  }

  /** Resolves once the poller has checkpointed every record on the stream: no click is still in flight. */
  async function streamConsumed(): Promise<void> {
    const { shardId, sequenceNumber } = await lastSequenceOnStream();
    await waitFor(
      async () => {
        try {
          const file = await readFile(path.join(system.dataDir, 'stream-checkpoints.json'), 'utf8');
          const checkpoints = JSON.parse(file) as Record<string, Record<string, string>>;
          return checkpoints[LOCAL_NAMES.stream]?.[shardId] === sequenceNumber ? true : undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 15_000, what: 'stream fully consumed' },
    );
  }

  it('R7.5 shows a click in the link’s count within 10 s, with the real batching window', async () => {
    const link = await newLink('https://example.com/one-click');
    const clickedAt = Date.now();
    expect((await apiClient(system).visit(link.link)).status).toBe(301);
    await waitFor(async () => ((await countOf(link.link)) === 1 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'click counted',
    });
    expect(Date.now() - clickedAt).toBeLessThan(10_000);
  }, 20_000);

  it('R7.5 counts 100 concurrent clicks on one link exactly 100 times', async () => {
    const link = await newLink('https://example.com/hundred');
    const visitor = apiClient(system);
    const responses = await Promise.all(Array.from({ length: 100 }, () => visitor.visit(link.link)));
    const statuses = responses.map((response) => response.status);
    expect(statuses).toEqual(Array(100).fill(301));
    await waitFor(async () => ((await countOf(link.link)) >= 100 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: '100 clicks counted',
    });
    // Every record on the stream is processed now, so no late duplicate can still arrive.
    await streamConsumed();
    expect(await countOf(link.link)).toBe(100);
  }, 30_000);

  it('R8.2 wraps adapters with the given decorators and applies consumer overrides', async () => {
    const puts: string[] = [];
    const decorated = await startTestSystem({
      decorators: {
        clickSink: (sink) => ({
          put: async (click) => {
            puts.push(click.link);
            await sink.put(click);
          },
        }),
      },
      consumer: { maxBatchingWindowSeconds: 0.2, pollIntervalMs: 50 },
    });
    try {
      const owner = await createUser(decorated.pageConfig.cognito);
      const response = await apiClient(decorated, owner.accessToken).create({ url: 'https://example.com/decorated' });
      const link = (await response.json()) as Link;
      await apiClient(decorated).visit(link.link);
      const list = await waitFor(
        async () => {
          const page = (await (await apiClient(decorated, owner.accessToken).list()).json()) as LinkList;
          return page.items[0]?.count === 1 ? page : undefined;
        },
        { timeoutMs: 5_000, what: 'click counted with the short window' },
      );
      expect(list.items[0]?.link).toBe(link.link);
      expect(puts).toEqual([link.link]);
    } finally {
      await decorated.dispose();
    }
  });
});
