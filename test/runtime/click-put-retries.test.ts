// The recorder owns retries: through the real SDK client the redirect is composed with, against
// kinesalite, a put whose record was written but whose answer was lost is retried by the recorder
// alone (a numbered, recognisable second attempt), never re-sent as an identical copy by the SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../lambdas/adapters/json-logger.ts';
import { clickSink } from '../../lambdas/composition.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { PendingClicks } from '../../lambdas/domain/pending-clicks.ts';
import { startWorld, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('lambda-runtime', () => {
  it('R5.1 a put whose answer is lost after the record was written is retried once, by the recorder, as attempt 2', async () => {
    const sink = clickSink({
      region: LOCAL_NAMES.region,
      tableName: LOCAL_NAMES.table,
      streamName: LOCAL_NAMES.stream,
      endpoints: { kinesis: world.proxy.endpoint },
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      selfOrigins: [],
    });
    const lines: string[] = [];
    const clicks = new PendingClicks(
      sink,
      jsonLogger({}, (line) => lines.push(line)),
      { writeMetric: (line) => lines.push(line) },
    );
    world.proxy.fault = { kind: 'lose-answer', times: 1 };

    clicks.record({ v: 1, link: 'lost0001', at: new Date().toISOString() });
    await clicks.flush();

    expect(world.proxy.puts.map((put) => put.outcome)).toEqual(['answer-lost', 'written']);
    const records = (await world.streamRecords())
      .map((record) => JSON.parse(record.data))
      .filter((click) => click.link === 'lost0001');
    // Both records are in the stream: the first attempt (written, answer lost) and the recorder's retry.
    expect(records.map((click) => click.attempt)).toEqual([1, 2]);
    expect(new Set(records.map((click) => click.id)).size).toBe(1);
    expect(lines).toEqual([]);
  });
});
