// End-to-end faults through the whole local system (gateway, kinesalite, stream poller, dynalite),
// injected at the composition root's decorator seams. One system serves the file; each test sets
// the faults it needs and uses its own links.
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCounterStore } from '../../lambdas/adapters/dynamo-counter-store.ts';
import { DynamoDayStore } from '../../lambdas/adapters/dynamo-day-store.ts';
import { kinesisClient } from '../../lambdas/composition.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { CLICK_PUT } from '../../lambdas/domain/click.ts';
import type { ClickSink, CounterStore } from '../../lambdas/ports.ts';
import { type LocalSystem, startLocalSystem } from '../../lib/local/system.ts';
import { replayFailedBatches } from '../../lib/replay/replay.ts';
import { localFailedBatches } from '../../lib/replay/sources.ts';
import { createUser, type TestUser } from '../support/cognito.ts';
import { BROWSER_USER_AGENT } from '../support/local-system.ts';
import { seededRandom } from '../support/seeded.ts';
import { capturingLogger, deferred, eventually } from '../unit/clicks/support.ts';

/**
 * `landed-then-timed-out`: a first attempt is written but reports its deadline, so the retry writes
 * the click again; `first-lands-late`: a first attempt is written only after its retry.
 */
type SinkFault = 'none' | 'slow' | 'failing' | 'held' | 'landed-then-timed-out' | 'first-lands-late';
type CounterFault = 'none' | 'flaky' | 'down' | 'held';

const faults = { sink: 'none' as SinkFault, counters: 'none' as CounterFault };
let heldPuts = deferred();
let heldWrites = deferred();
const random = seededRandom(2026);
const logger = capturingLogger();

/** Puts by an attempt after the first, whatever the fault. */
let retriedPuts = 0;
/** Puts started and not yet settled, including those whose attempt was given up but still lands. */
let putsInFlight = 0;

const faultySink = (inner: ClickSink): ClickSink => ({
  put: async (click) => {
    putsInFlight++;
    try {
      await faultyPut(inner, click);
    } finally {
      putsInFlight--;
    }
  },
});

const faultyPut = async (inner: ClickSink, click: Parameters<ClickSink['put']>[0]) => {
  if ((click.attempt ?? 1) > 1) retriedPuts++;
  if (faults.sink === 'slow') await new Promise((resolve) => setTimeout(resolve, 500));
  if (faults.sink === 'failing') throw new Error('injected: Kinesis unavailable');
  if (faults.sink === 'held') await heldPuts.promise;
  // Past the deadline, so PendingClicks retries; the abort signal is ignored, as by a request already sent.
  const pastDeadline = () => new Promise((resolve) => setTimeout(resolve, CLICK_PUT.attemptDeadlineMs + 500));
  if (click.attempt === 1 && faults.sink === 'landed-then-timed-out') {
    await inner.put(click);
    await pastDeadline();
    return;
  }
  if (click.attempt === 1 && faults.sink === 'first-lands-late') await pastDeadline();
  return inner.put(click);
};

const faultyCounters = (inner: CounterStore): CounterStore => ({
  apply: async (update) => {
    if (faults.counters === 'down') throw new Error('injected: DynamoDB unavailable');
    if (faults.counters === 'held') await heldWrites.promise;
    if (faults.counters === 'flaky' && random.chance(0.2)) throw new Error('injected: throttled before the write');
    const outcome = await inner.apply(update);
    if (faults.counters === 'flaky' && random.chance(0.2)) throw new Error('injected: timed out after the write');
    return outcome;
  },
});

let system: LocalSystem;
let user: TestUser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'click-faults-'));
  system = await startLocalSystem({
    port: 0,
    dataDir,
    log: () => {},
    decorators: { clickSink: faultySink, counterStore: faultyCounters, logger },
    // A short window keeps the test quick; the semantics are those of the definitions.
    consumer: { maxBatchingWindowSeconds: 0.2, pollIntervalMs: 100 },
  });
  user = await createUser(system.pageConfig.cognito);
});

afterAll(async () => {
  await system?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  faults.sink = 'none';
  faults.counters = 'none';
  heldPuts.resolve();
  heldWrites.resolve();
  heldPuts = deferred();
  heldWrites = deferred();
});

const auth = () => ({ authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' });

async function createLink(): Promise<string> {
  const response = await fetch(`${system.url}/links`, {
    method: 'POST',
    headers: auth(),
    body: JSON.stringify({ url: 'https://example.com/landing' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { link: string }).link;
}

const visit = (link: string) =>
  fetch(`${system.url}/${link}`, { redirect: 'manual', headers: { 'user-agent': BROWSER_USER_AGENT } });

async function countOf(link: string): Promise<number | undefined> {
  let cursor: string | undefined;
  do {
    const response = await fetch(`${system.url}/links?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: auth(),
    });
    const page = (await response.json()) as { items: { link: string; count: number }[]; nextCursor?: string };
    const found = page.items.find((item) => item.link === link);
    if (found) return found.count;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/**
 * The count reaches `expected`, and is still exactly that once every put has settled and the poller
 * has checkpointed every record of every shard: a late over-count cannot pass.
 */
async function countSettles(link: string, expected: number): Promise<void> {
  await eventually(async () => (await countOf(link)) === expected, `count of ${link} to reach ${expected}`, 30_000);
  await eventually(async () => putsInFlight === 0 && (await streamDrained()), 'the stream to be drained', 30_000);
  expect(await countOf(link)).toBe(expected);
}

/** Whether the poller's checkpoint of every shard is at the shard's last record. */
async function streamDrained(): Promise<boolean> {
  const kinesis = streamClient();
  try {
    const text = await readFile(path.join(dataDir, 'stream-checkpoints.json'), 'utf8').catch(() => '{}');
    const checkpoints = (JSON.parse(text) as Record<string, Record<string, string>>)[LOCAL_NAMES.stream] ?? {};
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: LOCAL_NAMES.stream }));
    for (const { ShardId } of Shards) {
      if (!ShardId) continue;
      const last = await lastSequence(kinesis, ShardId);
      const checkpoint = checkpoints[ShardId];
      if (last !== undefined && (checkpoint === undefined || BigInt(checkpoint) < BigInt(last))) return false;
    }
    return true;
  } finally {
    kinesis.destroy();
  }
}

async function lastSequence(kinesis: KinesisClient, shardId: string): Promise<string | undefined> {
  let { ShardIterator: iterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: LOCAL_NAMES.stream,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  let last: string | undefined;
  while (iterator) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    last = page.Records?.at(-1)?.SequenceNumber ?? last;
    if ((page.Records ?? []).length === 0 || !page.NextShardIterator) break;
    iterator = page.NextShardIterator;
  }
  return last;
}

function streamClient() {
  return kinesisClient({
    region: LOCAL_NAMES.region,
    tableName: LOCAL_NAMES.table,
    streamName: LOCAL_NAMES.stream,
    endpoints: { kinesis: system.endpoints.kinesis },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    selfOrigins: [],
  });
}

function tableClient() {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: LOCAL_NAMES.region,
      endpoint: system.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

describe('click-pipeline', () => {
  it('R1.1 R1.5 a redirect is answered while its click put is still held, and the click counts once it goes through', async () => {
    const link = await createLink();
    faults.sink = 'held';
    const response = await visit(link);
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('https://example.com/landing');
    expect(await countOf(link)).toBe(0);
    heldPuts.resolve();
    await countSettles(link, 1);
  });

  it('R1.5 with Kinesis slowed by 500 ms per put, every redirect is a 301 and every click is counted exactly', async () => {
    const link = await createLink();
    faults.sink = 'slow';
    const statuses = await Promise.all(Array.from({ length: 20 }, () => visit(link).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(301));
    await countSettles(link, 20);
  });

  it('R3.8 R4.12 with Kinesis slowed and far more clicks than put slots, queued clicks are neither retried nor doubted, and count once', async () => {
    const link = await createLink();
    faults.sink = 'slow';
    const retriesBefore = retriedPuts;
    const problems = () =>
      logger.lines.filter(
        (l) =>
          l.message === 'click lost' ||
          l.message === 'earlier copy of a click could not be looked up' ||
          l.message.startsWith('second copies of clicks'),
      ).length;
    const problemsBefore = problems();
    // 48 clicks over 8 put slots at 500 ms each: the last ones wait about 2.5 s, beyond the 1 s deadline.
    const statuses = await Promise.all(Array.from({ length: 48 }, () => visit(link).then((r) => r.status)));
    expect(statuses).toEqual(Array(48).fill(301));
    await countSettles(link, 48);
    // The deadline runs from the send, so the wait caused no retry, and no record looked late enough to be checked.
    expect(retriedPuts - retriesBefore).toBe(0);
    expect(problems() - problemsBefore).toBe(0);
  });

  for (const fault of ['landed-then-timed-out', 'first-lands-late'] as const) {
    it(`R4.13 with every click written twice (${fault}), a batch apart, each is counted once`, async () => {
      const link = await createLink();
      const duplicatesLogged = () =>
        logger.lines
          .filter((l) => l.message.startsWith('second copies of clicks') || l.message.startsWith('duplicate click'))
          .reduce((sum, l) => sum + Number(l.fields?.duplicates ?? 0), 0);
      const before = duplicatesLogged();
      faults.sink = fault;
      const visits = 4;
      for (let i = 0; i < visits; i++) expect((await visit(link)).status).toBe(301);
      // Every second copy has been seen (and dropped) once the consumer logged as many as there were clicks.
      await eventually(() => duplicatesLogged() - before === visits, 'every second copy to be dropped', 30_000);
      await countSettles(link, visits);
      expect(
        logger.lines.some((l) => l.message === 'second copies of clicks counted in an earlier batch dropped'),
      ).toBe(true);
    });
  }

  it('R1.3 R1.5 with Kinesis failing, redirects are still 301 and the log says how many clicks were lost', async () => {
    const link = await createLink();
    faults.sink = 'failing';
    const before = logger.lines.filter((l) => l.message === 'click lost').length;
    for (let i = 0; i < 5; i++) expect((await visit(link)).status).toBe(301);
    const lost = await eventually(() => {
      const lines = logger.lines.filter((l) => l.message === 'click lost' && l.fields?.link === link);
      return lines.length === 5 && lines;
    }, 'five lost-click log lines');
    expect(lost.every((line) => line.level === 'error')).toBe(true);
    expect(logger.lines.filter((l) => l.message === 'click lost').length - before).toBe(5);
    expect(await countOf(link)).toBe(0);
  });

  it('R4.3 R4.4 with counter writes failing at random before and after landing, the counts end exact', async () => {
    const links = [await createLink(), await createLink(), await createLink()];
    faults.counters = 'flaky';
    const clicks = [12, 5, 1];
    for (const [i, link] of links.entries()) {
      await Promise.all(Array.from({ length: clicks[i] ?? 0 }, () => visit(link)));
    }
    for (const [i, link] of links.entries()) await countSettles(link, clicks[i] ?? 0);
  });

  it('R4.6 a link deleted while its clicks wait in the stream is not brought back', async () => {
    const link = await createLink();
    faults.counters = 'held';
    for (let i = 0; i < 3; i++) expect((await visit(link)).status).toBe(301);
    const deleted = await fetch(`${system.url}/links/${link}`, { method: 'DELETE', headers: auth() });
    expect(deleted.status).toBe(204);
    const dropped = () =>
      logger.lines.some((l) => l.message === 'clicks for a deleted link dropped' && l.fields?.link === link);
    heldWrites.resolve();
    await eventually(dropped, "the consumer to drop the deleted link's clicks", 30_000);
    const doc = tableClient();
    const { Item } = await doc.send(
      new GetCommand({ TableName: LOCAL_NAMES.table, Key: { link }, ConsistentRead: true }),
    );
    // Deletion leaves only the retired code's tombstone (so nobody else can take it): no destination, no counts.
    expect(Item?.url).toBeUndefined();
    expect(Item?.count).toBeUndefined();
    expect((await visit(link)).status).toBe(404);
    doc.destroy();
  });

  it('R4.5 a malformed record put straight on the stream is skipped and the clicks behind it are counted', async () => {
    const link = await createLink();
    const kinesis = streamClient();
    await kinesis.send(
      new PutRecordCommand({
        StreamName: LOCAL_NAMES.stream,
        PartitionKey: 'x',
        Data: new TextEncoder().encode('garbage'),
      }),
    );
    kinesis.destroy();
    for (let i = 0; i < 4; i++) await visit(link);
    await countSettles(link, 4);
    expect(logger.lines.some((l) => l.message === 'malformed click record skipped')).toBe(true);
  });

  it('R5.1 R5.3 clicks of batches given up on are counted by the replay, once, however often it runs', async () => {
    const link = await createLink();
    faults.counters = 'down';
    for (let i = 0; i < 6; i++) expect((await visit(link)).status).toBe(301);
    const folder = path.join(dataDir, 'failed-batches');
    const failedFiles = async () => (await readdir(folder).catch(() => [])).filter((f) => f.endsWith('.json'));
    await eventually(async () => (await failedFiles()).length > 0, 'a failed batch file', 30_000);
    // Everything recorded so far has been given up on; the counter is untouched.
    await eventually(async () => {
      const doc = tableClient();
      const { Item } = await doc.send(
        new GetCommand({ TableName: LOCAL_NAMES.table, Key: { link }, ConsistentRead: true }),
      );
      doc.destroy();
      return Item !== undefined && Item['applied:shardId-000000000000'] === undefined;
    }, 'no mark');
    faults.counters = 'none';
    expect(await countOf(link)).toBe(0);

    const doc = tableClient();
    const replay = () =>
      replayFailedBatches({
        source: localFailedBatches(dataDir),
        deps: {
          counters: new DynamoCounterStore(doc, LOCAL_NAMES.table),
          days: new DynamoDayStore(doc, LOCAL_NAMES.table),
          logger: capturingLogger(),
        },
      });
    await eventually(
      async () => {
        await replay();
        return (await countOf(link)) === 6;
      },
      'the replay to count every given-up click',
      30_000,
    );
    expect(await failedFiles()).toEqual([]);
    // Replaying the same batches again, moved back into place, adds nothing.
    const replayed = path.join(folder, 'replayed');
    for (const name of await readdir(replayed)) {
      await rename(path.join(replayed, name), path.join(folder, name));
    }
    const again = await replay();
    expect(again.clicks.applied).toBe(0);
    expect(await countOf(link)).toBe(6);
    doc.destroy();
  });
});
