// The consumer's exactly-once effect under the event source mapping's failure modes, against the
// in-memory CounterStore and against real dynalite through the real DynamoCounterStore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICK_PUT, type ClickEvent } from '../../lambdas/domain/click.ts';
import { countClicksHandler } from '../../lambdas/handlers/count-clicks.ts';
import type { CounterStore } from '../../lambdas/ports.ts';
import { type SeededRandom, seededRandom } from '../unit/clicks/seeded-random.ts';
import { capturingLogger, click, MemoryCounterStore } from '../unit/clicks/support.ts';
import { type DynaliteTable, startDynaliteTable } from './dynalite.ts';
import {
  CrashableCounterStore,
  FakeStream,
  FakeStreamHistory,
  type MappingFaults,
  runEventSourceMapping,
} from './event-source-mapping.ts';

/** Two incarnations of one code: the link deleted, then created again. */
const OLD = '2026-11-22T05:00:00.000Z';
const NEW = '2026-11-22T05:00:02.000Z';

/** What a scenario needs from a store, whichever one it is. */
interface Backend {
  name: string;
  counters: CounterStore;
  addLink(link: string, created?: string): Promise<void>;
  deleteLink(link: string): Promise<void>;
  count(link: string): Promise<number | undefined>;
  exists(link: string): Promise<boolean>;
}

function memoryBackend(): Backend {
  const store = new MemoryCounterStore();
  return {
    name: 'in-memory store',
    counters: store,
    addLink: async (link, created) => store.addLink(link, created),
    deleteLink: async (link) => store.deleteLink(link),
    count: async (link) => store.count(link),
    exists: async (link) => store.items.has(link),
  };
}

let table: DynaliteTable;
let tableRuns = 0;
function dynaliteBackend(): Backend {
  // One table for the file; every scenario uses its own link names.
  const prefix = `run${++tableRuns}-`;
  return {
    name: 'dynalite',
    counters: {
      apply: (update) => table.counters.apply({ ...update, link: prefix + update.link }),
    },
    addLink: (link, created) => table.addLink(prefix + link, created),
    deleteLink: (link) => table.deleteLink(prefix + link),
    count: (link) => table.count(prefix + link),
    exists: async (link) => (await table.item(prefix + link)) !== undefined,
  };
}

beforeAll(async () => {
  table = await startDynaliteTable();
});
afterAll(async () => {
  await table?.close();
});

/** A one-shard stream holding the first `count` records of `stream`'s only shard: what was delivered so far. */
function firstRecords(stream: FakeStream, count: number): FakeStream {
  const records = [...stream.shards.values()][0] ?? [];
  const prefix = new FakeStream(1);
  prefix.shards.set([...prefix.shards.keys()][0] as string, records.slice(0, count));
  return prefix;
}

interface Scenario {
  links: number;
  shards: number;
  clicks: number;
  batchSize: number;
  malformed?: number;
  failBefore?: number;
  failAfter?: number;
  /** Chance that a click's first attempt times out but lands, so its retry writes it again. */
  writtenTwice?: number;
  faults: Omit<MappingFaults, 'random'>;
}

/**
 * Sends random clicks (a few hot links, a long tail) over random shards, runs them through the
 * consumer with the given faults, and returns what was sent per link.
 */
async function run(backend: Backend, random: SeededRandom, scenario: Scenario) {
  const links = Array.from({ length: scenario.links }, (_, i) => `L${i}`);
  for (const link of links) await backend.addLink(link);
  const stream = new FakeStream(scenario.shards);
  const sent = new Map<string, number>();
  const puts: { shard: number; data: ClickEvent | Uint8Array; arrivedAtMs: number }[] = [];
  let now = Date.parse(click('L0').at);
  for (let i = 0; i < scenario.clicks; i++) {
    // One click every 10 ms: a copy one deadline later lands about a hundred records further on.
    now += 10;
    // Some clicks wait for a put slot (a busy process) before their first attempt is sent.
    const sentMs = now + (random.chance(0.3) ? random.int(0, 3_000) : 0);
    const arrivedAtMs = sentMs + 20;
    if (random.chance(scenario.malformed ?? 0)) {
      const shard = random.int(0, scenario.shards - 1);
      puts.push({ shard, data: new TextEncoder().encode(random.chance(0.5) ? '{"v":1' : '[]'), arrivedAtMs });
    }
    // Skewed: half the clicks go to the first two links.
    const link = random.chance(0.5) ? (links[random.int(0, 1)] as string) : random.pick(links);
    sent.set(link, (sent.get(link) ?? 0) + 1);
    const shard = random.int(0, scenario.shards - 1);
    const made: ClickEvent = {
      ...click(link),
      at: new Date(now).toISOString(),
      id: `click-${i}`,
      attempt: 1,
      sent: new Date(sentMs).toISOString(),
    };
    puts.push({ shard, data: made, arrivedAtMs });
    if (scenario.writtenTwice && random.chance(scenario.writtenTwice)) {
      // The retry goes out when the first attempt's deadline fires, a little late on a busy event loop.
      const retrySentMs = sentMs + CLICK_PUT.attemptDeadlineMs + random.int(0, 50);
      const retryArrival = retrySentMs + random.int(5, 200);
      puts.push({
        shard,
        data: { ...made, attempt: 2, sent: new Date(retrySentMs).toISOString() },
        arrivedAtMs: retryArrival,
      });
      // Half the time the first attempt is the one that lands late, after its retry.
      if (random.chance(0.5)) (puts.at(-2) as { arrivedAtMs: number }).arrivedAtMs = retryArrival + random.int(1, 800);
    }
  }
  // A shard's sequence numbers follow arrival order; ties keep the order of the puts.
  for (const put of puts.sort((a, b) => a.arrivedAtMs - b.arrivedAtMs))
    stream.put(put.shard, put.data, put.arrivedAtMs);
  const crashable = new CrashableCounterStore(
    backend.counters,
    random,
    scenario.failBefore ?? 0,
    scenario.failAfter ?? 0,
  );
  const history = new FakeStreamHistory(stream);
  const handler = countClicksHandler({ counters: crashable, history, logger: capturingLogger() });
  const stats = await runEventSourceMapping(stream, handler, crashable, scenario.batchSize, {
    random,
    ...scenario.faults,
  });
  const counts = Object.fromEntries(await Promise.all(links.map(async (l) => [l, (await backend.count(l)) ?? 0])));
  const expected = Object.fromEntries(links.map((l) => [l, sent.get(l) ?? 0]));
  return { counts, expected, stats, lookups: history.lookups };
}

describe('click-pipeline', () => {
  describe.each([
    ['in-memory store', memoryBackend],
    ['dynalite', dynaliteBackend],
  ])('exactly-once effect (%s)', (_, makeBackend) => {
    it('R4.3 a consumer that crashes after part of its writes, then gets the batch again, ends exact', async () => {
      const backend = makeBackend();
      const { counts, expected, stats } = await run(backend, seededRandom(7), {
        links: 6,
        shards: 1,
        clicks: 120,
        batchSize: 30,
        faults: { crash: 0.5 },
      });
      expect(stats.crashes).toBeGreaterThan(0);
      expect(counts).toEqual(expected);
    });

    it('R4.3 bisected batches (every invocation of a big batch crashes until it is split) end exact', async () => {
      const backend = makeBackend();
      const { counts, expected, stats } = await run(backend, seededRandom(11), {
        links: 5,
        shards: 1,
        clicks: 64,
        batchSize: 64,
        faults: { crash: 0.7 },
      });
      expect(stats.bisections).toBeGreaterThan(0);
      expect(counts).toEqual(expected);
    });

    it('R4.4 partially failed batches, re-delivered from the lowest failed record, end exact', async () => {
      const backend = makeBackend();
      const { counts, expected, stats } = await run(backend, seededRandom(3), {
        links: 8,
        shards: 2,
        clicks: 150,
        batchSize: 50,
        failBefore: 0.3,
        faults: {},
      });
      expect(stats.partialFailures).toBeGreaterThan(0);
      expect(counts).toEqual(expected);
    });

    it('R4.3 a write that landed but reported an error (a timeout) is not counted again on re-delivery', async () => {
      const backend = makeBackend();
      const { counts, expected, stats } = await run(backend, seededRandom(5), {
        links: 4,
        shards: 1,
        clicks: 80,
        batchSize: 40,
        failAfter: 0.4,
        faults: { redeliver: 0.5 },
      });
      expect(stats.partialFailures + stats.redeliveries).toBeGreaterThan(0);
      expect(counts).toEqual(expected);
    });

    it('R4.13 clicks written twice, a batch or more apart and in either order, count once through crashes and re-deliveries', async () => {
      const backend = makeBackend();
      const { counts, expected, stats, lookups } = await run(backend, seededRandom(13), {
        links: 4,
        shards: 2,
        clicks: 300,
        batchSize: 20,
        writtenTwice: 0.3,
        failAfter: 0.1,
        faults: { crash: 0.2, redeliver: 0.3 },
      });
      expect(stats.redeliveries).toBeGreaterThan(0);
      expect(lookups).toBeGreaterThan(0);
      expect(counts).toEqual(expected);
    });

    it('R4.5 a malformed record is skipped, the rest is counted, and nothing is stuck', async () => {
      const backend = makeBackend();
      const { counts, expected, stats } = await run(backend, seededRandom(9), {
        links: 3,
        shards: 1,
        clicks: 30,
        batchSize: 100,
        malformed: 0.3,
        faults: {},
      });
      expect(stats.invocations).toBe(1);
      expect(counts).toEqual(expected);
    });

    it('R4.6 clicks on a link deleted mid-stream never bring the item back', async () => {
      const backend = makeBackend();
      await backend.addLink('doomed');
      const handler = countClicksHandler({ counters: backend.counters, logger: capturingLogger() });
      const stream = new FakeStream(1);
      for (let i = 0; i < 10; i++) stream.put(0, click('doomed'));
      const records = [...stream.shards.values()][0] ?? [];
      const crashable = new CrashableCounterStore(backend.counters, seededRandom(1));
      await runEventSourceMapping(firstRecords(stream, 5), handler, crashable, 5, { random: seededRandom(1) });
      expect(await backend.count('doomed')).toBe(5);

      await backend.deleteLink('doomed');
      const rest = new FakeStream(1);
      rest.shards.set([...rest.shards.keys()][0] as string, records);
      // The whole shard again: the first five are re-deliveries, the last five are new.
      await runEventSourceMapping(rest, handler, crashable, 10, { random: seededRandom(1), redeliver: 1 });
      expect(await backend.exists('doomed')).toBe(false);
    });

    it.each([
      ['in one batch', 100],
      ['in separate batches', 1],
    ])(
      'R4.10 clicks on a deleted link never count on its re-created code: old and new clicks %s',
      async (_, batchSize) => {
        const backend = makeBackend();
        await backend.addLink('reX', OLD);
        await backend.deleteLink('reX');
        await backend.addLink('reX', NEW);
        const stream = new FakeStream(2);
        // Old clicks still in flight on both shards, interleaved with clicks on the new link.
        for (const [shard, created] of [
          [0, OLD],
          [1, OLD],
          [0, OLD],
          [0, NEW],
          [1, NEW],
          [0, OLD],
          [1, OLD],
          [0, NEW],
        ] as const) {
          stream.put(shard, click('reX', created));
        }
        const handler = countClicksHandler({ counters: backend.counters, logger: capturingLogger() });
        const crashable = new CrashableCounterStore(backend.counters, seededRandom(4));
        await runEventSourceMapping(stream, handler, crashable, batchSize, { random: seededRandom(4), redeliver: 0.5 });
        expect(await backend.count('reX')).toBe(3);
      },
    );

    it('R4.10 R4.3 the re-created link starts with fresh marks: clicks counted on the old one neither count nor block', async () => {
      const backend = makeBackend();
      await backend.addLink('reX', OLD);
      const stream = new FakeStream(1);
      for (const created of [OLD, OLD, OLD, OLD, NEW, NEW]) stream.put(0, click('reX', created));
      const handler = countClicksHandler({ counters: backend.counters, logger: capturingLogger() });
      const crashable = new CrashableCounterStore(backend.counters, seededRandom(6));
      await runEventSourceMapping(firstRecords(stream, 2), handler, crashable, 2, { random: seededRandom(6) });
      expect(await backend.count('reX')).toBe(2);

      await backend.deleteLink('reX');
      await backend.addLink('reX', NEW);
      // The whole shard again: two re-deliveries and two late clicks of the old link, two of the new one.
      await runEventSourceMapping(stream, handler, crashable, 3, { random: seededRandom(6), redeliver: 1 });
      expect(await backend.count('reX')).toBe(2);
    });
  });

  it('R4.7 for any seeded click stream with random failures, crashes, bisections and re-deliveries, counts equal clicks sent', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const scenario: Scenario = {
        links: random.int(1, 12),
        shards: random.int(1, 4),
        clicks: random.int(0, 400),
        batchSize: random.pick([1, 7, 50, 100, 1000]),
        malformed: random.pick([0, 0.05]),
        failBefore: random.pick([0, 0.1, 0.3]),
        failAfter: random.pick([0, 0.1, 0.3]),
        writtenTwice: random.pick([0, 0.1]),
        faults: { crash: random.pick([0, 0.1, 0.4]), redeliver: random.pick([0, 0.2]) },
      };
      const { counts, expected } = await run(memoryBackend(), random, scenario);
      expect({ seed, counts }).toEqual({ seed, counts: expected });
    }
  });

  it('R4.7 the same property holds through the real DynamoCounterStore on dynalite', async () => {
    for (let seed = 101; seed <= 104; seed++) {
      const random = seededRandom(seed);
      const scenario: Scenario = {
        links: random.int(2, 8),
        shards: random.int(1, 3),
        clicks: random.int(50, 200),
        batchSize: random.pick([10, 50, 100]),
        malformed: 0.05,
        failBefore: 0.15,
        failAfter: 0.15,
        writtenTwice: 0.1,
        faults: { crash: 0.2, redeliver: 0.2 },
      };
      const { counts, expected } = await run(dynaliteBackend(), random, scenario);
      expect({ seed, counts }).toEqual({ seed, counts: expected });
    }
  });
});
