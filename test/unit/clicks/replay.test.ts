import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { padSequenceNumber } from '../../../lambdas/domain/click.ts';
import { parseFailedBatch, replayOrder } from '../../../lib/replay/failed-batch.ts';
import { type FailedBatchSource, formatReport, replayFailedBatches } from '../../../lib/replay/replay.ts';
import { localFailedBatches } from '../../../lib/replay/sources.ts';
import { capturingLogger, click, kinesisEvent, kinesisRecord, MemoryCounterStore } from './support.ts';

const SHARD = 'shardId-000000000000';

function failedRecord(start: number, links: string[]) {
  const records = links.map((link, i) => kinesisRecord(SHARD, String(start + i), click(link)));
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
    const report = await replayFailedBatches({ source: first, counters, logger: capturingLogger() });
    expect(report).toMatchObject({ batches: 1, replayed: 1, unreadable: ['broken'], stillFailing: [] });
    expect(report.clicks).toEqual({ applied: 3, 'already-applied': 0, 'link-gone': 0 });
    expect(first.replayed).toEqual(['one']);
    const again = await replayFailedBatches({
      source: memorySource({ one: text }),
      counters,
      logger: capturingLogger(),
    });
    expect(again.clicks).toEqual({ applied: 0, 'already-applied': 3, 'link-gone': 0 });
    expect([counters.count('a'), counters.count('b')]).toEqual([2, 1]);
  });

  it('R5.5 lists, without adding them, clicks whose link has counted newer clicks of the same shard since', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    // Newer clicks of `a` on this shard were counted after the batch was given up on.
    await counters.apply({ link: 'a', shardId: SHARD, sequenceNumbers: [padSequenceNumber('500') ?? ''] });
    const report = await replayFailedBatches({
      source: memorySource({ old: JSON.stringify(failedRecord(100, ['a', 'a'])) }),
      counters,
      readMark: async (link, shardId) => counters.items.get(link)?.marks.get(shardId),
      logger: capturingLogger(),
    });
    expect(report.overtaken).toEqual([{ batch: 'old', link: 'a', shardId: SHARD, clicks: 2 }]);
    expect(counters.count('a')).toBe(1);
    expect(formatReport(report)).toContain('overtaken: 2 click(s) of a on shardId-000000000000 in old');
  });

  it('R5.6 adds overtaken clicks, marks untouched, only when the operator asks for it', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    await counters.apply({ link: 'a', shardId: SHARD, sequenceNumbers: [padSequenceNumber('500') ?? ''] });
    const forced: [string, number][] = [];
    const report = await replayFailedBatches({
      source: memorySource({ old: JSON.stringify(failedRecord(100, ['a', 'a'])) }),
      counters,
      readMark: async (link, shardId) => counters.items.get(link)?.marks.get(shardId),
      addOvertaken: async (link, clicks) => {
        forced.push([link, clicks]);
        return 'added';
      },
      logger: capturingLogger(),
    });
    expect(forced).toEqual([['a', 2]]);
    expect(report.overtaken).toEqual([{ batch: 'old', link: 'a', shardId: SHARD, clicks: 2, added: true }]);
    expect(formatReport(report)).toContain('overtaken, added as asked (--add-overtaken): 2 click(s) of a');
  });

  it('R5.4 keeps a batch whose writes still fail for the next run', async () => {
    const counters = new MemoryCounterStore();
    counters.addLink('a');
    counters.failWhen = () => 'before';
    const source = memorySource({ one: JSON.stringify(failedRecord(100, ['a'])) });
    const report = await replayFailedBatches({ source, counters, logger: capturingLogger() });
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
