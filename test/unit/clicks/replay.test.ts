import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecords } from '../../../lambdas/adapters/kinesis-records.ts';
import { countClicks } from '../../../lambdas/domain/count-clicks.ts';
import { parseFailedBatch, replayOrder } from '../../../lib/replay/failed-batch.ts';
import { type FailedBatchSource, formatReport, replayFailedBatches } from '../../../lib/replay/replay.ts';
import { localFailedBatches } from '../../../lib/replay/sources.ts';
import {
  capturingLogger,
  click,
  INCARNATION,
  kinesisEvent,
  kinesisRecord,
  MemoryCounterStore,
  memoryDeps,
} from './support.ts';

const SHARD = 'shardId-000000000000';
/** A newer click of `a` on the shard (same day), counted after the failed batch was given up on. */
const newerCounted = (counters: MemoryCounterStore) =>
  countClicks(
    memoryDeps(counters),
    decodeRecords([kinesisRecord(SHARD, '500', click('a', INCARNATION))], capturingLogger()),
  );

function failedRecord(start: number, links: string[]) {
  const records = links.map((link, i) => kinesisRecord(SHARD, String(start + i), click(link, INCARNATION)));
  return {
    requestContext: {
      requestId: 'r',
      functionArn: 'arn:aws:lambda:us-east-1:1:function:count-clicks',
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 11,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-11-22T05:00:00.000Z',
    KinesisBatchInfo: {
      shardId: SHARD,
      startSequenceNumber: String(start),
      endSequenceNumber: String(start + links.length - 1),
      approximateArrivalOfFirstRecord: '2026-11-22T04:59:00.000Z',
      approximateArrivalOfLastRecord: '2026-11-22T04:59:01.000Z',
      batchSize: links.length,
      streamArn: 'arn:aws:kinesis:us-east-1:1:stream/clicks',
    },
    payload: kinesisEvent(records),
  };
}

function memorySource(texts: Record<string, string>): FailedBatchSource & { replayed: string[] } {
  const replayed: string[] = [];
  return {
    location: 'memory',
    replayed,
    load: async () => {
      const entries = Object.entries(texts).map(([id, text]) => [id, parseFailedBatch(id, text)] as const);
      return {
        batches: entries.flatMap(([, batch]) => (batch ? [batch] : [])),
        unreadable: entries.filter(([, batch]) => !batch).map(([id]) => id),
      };
    },
    markReplayed: async (batch) => {
      replayed.push(batch.id);
    },
  };
}

describe('click-pipeline', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('R5.4 reads a failed invocation record only when it carries the batch payload and its position', () => {
    const good = failedRecord(100, ['a']);
    expect(parseFailedBatch('f', JSON.stringify(good))).toMatchObject({
      shardId: SHARD,
      startSequenceNumber: '100',
      endSequenceNumber: '100',
      payload: good.payload,
    });
    expect(parseFailedBatch('f', JSON.stringify({ ...good, payload: JSON.stringify(good.payload) }))?.payload).toEqual(
      good.payload,
    );
    expect(parseFailedBatch('f', 'not json')).toBeUndefined();
    expect(parseFailedBatch('f', JSON.stringify({ ...good, payload: undefined }))).toBeUndefined();
    expect(parseFailedBatch('f', JSON.stringify({ ...good, KinesisBatchInfo: { shardId: SHARD } }))).toBeUndefined();
  });

  it("R5.3 replays a shard's batches oldest first, comparing sequence numbers as numbers", () => {
    const batch = (id: string, start: string) => ({
      id,
      shardId: SHARD,
      startSequenceNumber: start,
      endSequenceNumber: start,
      payload: { Records: [] },
    });
    expect(replayOrder([batch('late', '1000'), batch('early', '999')]).map((b) => b.id)).toEqual(['early', 'late']);
  });

  it('R5.1 R5.3 adds a failed batch once, moves it aside, and adds nothing when the same batch comes again', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    counters.addLink('b');
    const text = JSON.stringify(failedRecord(100, ['a', 'b', 'a']));
    const first = memorySource({ one: text, broken: '{}' });
    const report = await replayFailedBatches({ source: first, deps: memoryDeps(counters) });
    expect(report).toMatchObject({ batches: 1, replayed: 1, unreadable: ['broken'], stillFailing: [] });
    expect(report.clicks).toEqual({ applied: 3, 'already-applied': 0, 'link-gone': 0, failed: 0 });
    expect(first.replayed).toEqual(['one']);
    const again = await replayFailedBatches({ source: memorySource({ one: text }), deps: memoryDeps(counters) });
    expect(again.clicks).toEqual({ applied: 0, 'already-applied': 3, 'link-gone': 0, failed: 0 });
    expect([counters.count('a'), counters.count('b')]).toEqual([2, 1]);
    // analytics R3.3: the day items too.
    expect(counters.days.daysOf('a').map((day) => day.count)).toEqual([2]);
  });

  it('R5.5 lists, without adding them, clicks whose link has counted newer clicks of the same shard since', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    // Newer clicks of `a` on this shard were counted after the batch was given up on.
    await newerCounted(counters);
    const report = await replayFailedBatches({
      source: memorySource({ old: JSON.stringify(failedRecord(100, ['a', 'a'])) }),
      deps: memoryDeps(counters),
    });
    expect(report.overtaken).toEqual([{ batch: 'old', link: 'a', shardId: SHARD, clicks: 2 }]);
    expect(counters.count('a')).toBe(1);
    expect(formatReport(report)).toContain('overtaken: 2 click(s) of a on shardId-000000000000 in old');
  });

  it('R5.6 adds overtaken clicks, stream marks untouched, only when the operator asks for it, and only once however often it runs', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    await newerCounted(counters);
    const text = JSON.stringify(failedRecord(100, ['a', 'a']));
    const replay = () =>
      replayFailedBatches({ source: memorySource({ old: text }), deps: memoryDeps(counters), addOvertaken: true });
    const report = await replay();
    expect(counters.count('a')).toBe(3);
    expect(counters.days.daysOf('a').map((day) => day.count)).toEqual([3]);
    expect(report.overtaken).toEqual([{ batch: 'old', link: 'a', shardId: SHARD, clicks: 2, forced: 'added' }]);
    expect(formatReport(report)).toContain(
      'overtaken, --add-overtaken: 2 click(s) of a on shardId-000000000000 in old: added',
    );
    // The same batch, still in place (say, moving it aside failed): nothing is added again.
    const again = await replay();
    expect(again.overtaken[0]?.forced).toBe('added-before');
    expect(counters.count('a')).toBe(3);
    expect(counters.days.daysOf('a').map((day) => day.count)).toEqual([3]);
    expect(counters.items.get('a')?.marks.get(`stream:${SHARD}`)).toBe('500');
  });

  it('R5.4 keeps a batch whose writes still fail for the next run', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    counters.failWhen = () => 'before';
    const source = memorySource({ one: JSON.stringify(failedRecord(100, ['a'])) });
    const report = await replayFailedBatches({ source, deps: memoryDeps(counters) });
    expect(report.stillFailing).toEqual(['one']);
    expect(source.replayed).toEqual([]);
  });

  it('R5.1 the local source reads .local/failed-batches/*.json and moves replayed files to replayed/', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'replay-'));
    const folder = path.join(dir, 'failed-batches');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, '2026-11-22T05-00-00-000Z-shard-100.json'),
      JSON.stringify(failedRecord(100, ['a'])),
    );
    await writeFile(path.join(folder, 'notes.txt'), 'ignored');
    const source = localFailedBatches(dir);
    const { batches, unreadable } = await source.load();
    expect(batches.map((b) => path.basename(b.id))).toEqual(['2026-11-22T05-00-00-000Z-shard-100.json']);
    expect(unreadable).toEqual([]);
    await source.markReplayed(batches[0] as (typeof batches)[number]);
    expect(await readdir(path.join(folder, 'replayed'))).toEqual(['2026-11-22T05-00-00-000Z-shard-100.json']);
    expect((await source.load()).batches).toEqual([]);
  });

  it('R5.1 a data folder without failed batches replays nothing', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'replay-'));
    expect(await localFailedBatches(dir).load()).toEqual({ batches: [], unreadable: [] });
  });
});
