// The consumer's exactly-once effect under the event source mapping's failure modes, against the
// in-memory stores and against real dynalite through the real DynamoCounterStore and DynamoDayStore:
// totals (people and bots apart) and per-day items with their lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLICK_PUT, type ClickEvent, clickDay } from '../../lambdas/domain/click.ts';
import { BROWSERS, DEVICES } from '../../lambdas/domain/visit.ts';
import { countClicksHandler } from '../../lambdas/handlers/count-clicks.ts';
import type { CounterStore, DayCounterStore, DayCounts } from '../../lambdas/ports.ts';
import { type SeededRandom, seededRandom } from '../support/seeded.ts';
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
const OLD = '4f0d9a7e-old';
const NEW = 'a1c2e3f4-new';
/** Clicks of the scenarios start ten seconds before midnight UTC, so their batches cross a day. */
const START = Date.parse('2026-11-22T23:59:58.000Z');
const incarnationOf = (link: string) => `inc-${link}`;

/** What a scenario needs from a store, whichever one it is. */
interface Backend {
  name: string;
  counters: CounterStore;
  days: DayCounterStore;
  addLink(link: string, incarnation?: string): Promise<void>;
  deleteLink(link: string): Promise<void>;
  count(link: string): Promise<number | undefined>;
  bots(link: string): Promise<number | undefined>;
  /** The stored days of the link's incarnation among `days`. */
  dayCounts(link: string, incarnation: string, days: string[]): Promise<DayCounts[]>;
  exists(link: string): Promise<boolean>;
}

function memoryBackend(): Backend {
  const store = new MemoryCounterStore();
  return {
    name: 'in-memory store',
    counters: store,
    days: store.days,
    addLink: async (link, incarnation) => store.addLink(link, incarnation),
    deleteLink: async (link) => store.deleteLink(link),
    count: async (link) => store.count(link),
    bots: async (link) => store.bots(link),
    dayCounts: (link, incarnation, days) => store.days.read(link, incarnation, days),
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
      apply: (update, ledger) => table.counters.apply({ ...update, link: prefix + update.link }, ledger),
    },
    days: {
      apply: (update, ledger) => table.days.apply({ ...update, link: prefix + update.link }, ledger),
      subject: (link) => table.days.subject(prefix + link),
      read: (link, incarnation, days) => table.days.read(prefix + link, incarnation, days),
    },
    addLink: (link, incarnation) => table.addLink(prefix + link, incarnation),
    deleteLink: (link) => table.deleteLink(prefix + link),
    count: (link) => table.count(prefix + link),
    bots: async (link) => (await table.item(prefix + link))?.bots as number | undefined,
    dayCounts: (link, incarnation, days) => table.days.read(prefix + link, incarnation, days),
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
  /**
   * Chance that a put is sent twice by the SDK (the answer lost, the request retried): an identical
   * record right behind the first. The Kinesis client makes one attempt per put, so such copies
   * only come from the network path within one request, and land side by side in a batch.
   */
  sdkCopies?: number;
  /** Chance that a visit is a bot's. */
  bots?: number;
  faults: Omit<MappingFaults, 'random'>;
}

/**
 * Sends random clicks (a few hot links, a long tail) over random shards, runs them through the
 * consumer with the given faults, and returns what was sent per link.
 */
async function run(backend: Backend, random: SeededRandom, scenario: Scenario) {
  const links = Array.from({ length: scenario.links }, (_, i) => `L${i}`);
  for (const link of links) await backend.addLink(link, incarnationOf(link));
  const stream = new FakeStream(scenario.shards);
  const sent = new Map<string, number>();
  const sentBots = new Map<string, number>();
  /** People per link and day, and per link, day, list and entry. */
  const sentDays = new Map<string, number>();
  const dayNames = new Set<string>();
  const puts: { shard: number; data: ClickEvent | Uint8Array; arrivedAtMs: number }[] = [];
  let now = START;
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
    const bot = random.chance(scenario.bots ?? 0.25);
    const shard = random.int(0, scenario.shards - 1);
    const made: ClickEvent = {
      ...click(link, incarnationOf(link)),
      at: new Date(now).toISOString(),
      id: `click-${i}`,
      attempt: 1,
      sent: new Date(sentMs).toISOString(),
      ...(bot
        ? { bot: true }
        : {
            visit: {
              // Many referrers, so that a day's list has to fold its tail into `other`.
              referrer: random.chance(0.5) ? 'direct' : `r${random.int(0, 40)}.example`,
              country: random.pick(['DE', 'US', 'FR', 'unknown']),
              device: random.pick(DEVICES),
              browser: random.pick(BROWSERS),
            },
          }),
    };
    if (bot) sentBots.set(link, (sentBots.get(link) ?? 0) + 1);
    else {
      sent.set(link, (sent.get(link) ?? 0) + 1);
      const day = clickDay(made);
      dayNames.add(day);
      sentDays.set(`${link}@${day}`, (sentDays.get(`${link}@${day}`) ?? 0) + 1);
    }
    puts.push({ shard, data: made, arrivedAtMs });
    if (scenario.sdkCopies && random.chance(scenario.sdkCopies)) puts.push({ shard, data: made, arrivedAtMs });
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
    backend.days,
  );
  const history = new FakeStreamHistory(stream);
  const handler = countClicksHandler({
    counters: crashable,
    days: crashable.days,
    history,
    logger: capturingLogger(),
  });
  const stats = await runEventSourceMapping(stream, handler, crashable, scenario.batchSize, {
    random,
    ...scenario.faults,
  });
  // Once the stream is drained: totals, bots, and every day of every link.
  const days = [...dayNames].sort();
  const observed = async (link: string) => {
    const stored = await backend.dayCounts(link, incarnationOf(link), days);
    return {
      count: (await backend.count(link)) ?? 0,
      bots: (await backend.bots(link)) ?? 0,
      days: Object.fromEntries(stored.filter((d) => d.count > 0).map((d) => [d.day, d.count])),
      // Each stored list sums to its day's people, and holds at most the kept entries plus `other`.
      listsSumToDay: stored.every((d) =>
        [d.referrers, d.countries, d.devices, d.browsers].every(
          (list) => Object.values(list).reduce((a, b) => a + b, 0) === d.count && Object.keys(list).length <= 26,
        ),
      ),
    };
  };
  const counts = Object.fromEntries(await Promise.all(links.map(async (l) => [l, await observed(l)])));
  const expected = Object.fromEntries(
    links.map((l) => [
      l,
      {
        count: sent.get(l) ?? 0,
        bots: sentBots.get(l) ?? 0,
        days: Object.fromEntries(
          days.flatMap((d) => (sentDays.has(`${l}@${d}`) ? [[d, sentDays.get(`${l}@${d}`)]] : [])),
        ),
        listsSumToDay: true,
      },
    ]),
  );
  return { counts, expected, stats, lookups: history.lookups, crossedMidnight: days.length > 1 };
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
      const { counts, expected, stats } = await run(backend, seededRandom(12), {
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
      const handler = countClicksHandler({ counters: backend.counters, days: backend.days, logger: capturingLogger() });
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
        const handler = countClicksHandler({
          counters: backend.counters,
          days: backend.days,
          logger: capturingLogger(),
        });
        const crashable = new CrashableCounterStore(backend.counters, seededRandom(4));
        await runEventSourceMapping(stream, handler, crashable, batchSize, { random: seededRandom(4), redeliver: 0.5 });
        expect(await backend.count('reX')).toBe(3);
        // analytics R3.4: the re-created code's days start from nothing too.
        const [day] = await backend.dayCounts('reX', NEW, ['2026-11-22']);
        expect(day?.count).toBe(3);
      },
    );

    it('R4.10 R4.3 the re-created link starts with fresh marks: clicks counted on the old one neither count nor block', async () => {
      const backend = makeBackend();
      await backend.addLink('reX', OLD);
      const stream = new FakeStream(1);
      for (const created of [OLD, OLD, OLD, OLD, NEW, NEW]) stream.put(0, click('reX', created));
      const handler = countClicksHandler({ counters: backend.counters, days: backend.days, logger: capturingLogger() });
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

  it('R4.7 analytics R3.1 R3.2 for any seeded click stream (bots, midnight UTC, copies) with random failures, crashes, bisections and re-deliveries, totals and days equal clicks sent', async () => {
    let crossings = 0;
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
        sdkCopies: random.pick([0, 0.05]),
        bots: random.pick([0, 0.3]),
        faults: { crash: random.pick([0, 0.1, 0.4]), redeliver: random.pick([0, 0.2]) },
      };
      const { counts, expected, crossedMidnight } = await run(memoryBackend(), random, scenario);
      expect({ seed, counts }).toEqual({ seed, counts: expected });
      if (crossedMidnight) crossings++;
    }
    // Most streams run past midnight UTC, so their clicks split over two day items.
    expect(crossings).toBeGreaterThan(10);
  });

  it('R4.7 analytics R3.1 R3.2 the same property holds through the real DynamoCounterStore and DynamoDayStore on dynalite', async () => {
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
        sdkCopies: 0.05,
        faults: { crash: 0.2, redeliver: 0.2 },
      };
      const { counts, expected } = await run(dynaliteBackend(), random, scenario);
      expect({ seed, counts }).toEqual({ seed, counts: expected });
    }
  });
});
