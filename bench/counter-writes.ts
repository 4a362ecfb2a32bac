// DynamoDB counter writes per delivered batch, SIMULATED: click arrivals are generated (starting 15
// minutes before midnight UTC, so batches cross a day), cut into batches by the event source mapping's
// rules (one shard, batch size 1,000, 7 s window, as in CLICK_STREAM), and each batch goes through the
// real count-clicks use case into stores that count their writes. The floor is the number of distinct
// links plus distinct (link, UTC day) pairs per batch: no design that keeps a total per link and
// counters per link and day, and writes per batch rather than per click, can do fewer.

import { CLICK_STREAM } from '../lambdas/declarations/stream.ts';
import { type ClickEvent, clickDay } from '../lambdas/domain/click.ts';
import type { StreamClick } from '../lambdas/domain/click-batch.ts';
import { countClicks } from '../lambdas/domain/count-clicks.ts';
import type { CounterStore, DayCounterStore } from '../lambdas/ports.ts';
import { type SeededRandom, seededRandom } from '../test/support/seeded.ts';

export interface WriteResult {
  label: string;
  clicks: number;
  batches: number;
  writes: number;
  floor: number;
  clicksPerWrite: number;
  /** Clicks per write of a link's total (the per-day writes left out). */
  clicksPerLinkWrite: number;
  peakPerItemWritesPerSecond: number;
  crossesMidnight: boolean;
}

interface Workload {
  label: string;
  clicksPerMinute: number;
  minutes: number;
  link: (random: SeededRandom) => string;
}

const SHARD = 'shardId-000000000000';
const START = Date.parse('2026-11-28T23:45:00.000Z');
const silent = { info: () => {}, warn: () => {}, error: () => {} };

export async function simulateCounterWrites(workload: Workload, seed = 1): Promise<WriteResult> {
  const random = seededRandom(seed);
  const { batchSize, maxBatchingWindowSeconds } = CLICK_STREAM.consumer;
  // Poisson arrivals.
  const arrivals: { at: number; link: string; bot: boolean }[] = [];
  const meanGapMs = 60_000 / workload.clicksPerMinute;
  for (let t = 0; ; ) {
    t += -Math.log(1 - random.next()) * meanGapMs;
    if (t > workload.minutes * 60_000) break;
    // About one visit in five by a bot, as link previewers and crawlers make up on a shared link.
    arrivals.push({ at: START + t, link: workload.link(random), bot: random.next() < 0.2 });
  }

  let writes = 0;
  const writesPerLinkSecond = new Map<string, number>();
  let now = 0;
  const perItemSecond = (item: string) => {
    const key = `${item}@${Math.floor(now / 1000)}`;
    writesPerLinkSecond.set(key, (writesPerLinkSecond.get(key) ?? 0) + 1);
  };
  let linkWrites = 0;
  const counters: CounterStore = {
    apply: async (update) => {
      linkWrites++;
      perItemSecond(update.link);
      return { kind: 'applied' };
    },
  };
  const days: DayCounterStore = {
    apply: async (update) => {
      perItemSecond(`${update.link}#${update.day}`);
      return { kind: 'applied' };
    },
    subject: async () => undefined,
    read: async () => [],
  };

  let floor = 0;
  let batches = 0;
  let sequence = 10n ** 55n;
  for (let start = 0; start < arrivals.length; ) {
    // A batch closes when it is full or when the window since its first record has passed.
    const closesAt = (arrivals[start]?.at ?? 0) + maxBatchingWindowSeconds * 1000;
    let end = start;
    while (end < arrivals.length && end - start < batchSize && (arrivals[end]?.at ?? 0) <= closesAt) end++;
    const batch = arrivals.slice(start, end);
    now = end - start === batchSize ? (batch.at(-1)?.at ?? closesAt) : closesAt;
    const records: StreamClick[] = batch.map((a) => {
      sequence += 1n;
      const click: ClickEvent = {
        v: 1,
        link: a.link,
        at: new Date(a.at).toISOString(),
        incarnation: `i-${a.link}`,
        ...(a.bot
          ? { bot: true }
          : { visit: { referrer: 'example.com', country: 'DE', device: 'mobile', browser: 'Firefox' } }),
      };
      return {
        shardId: SHARD,
        sequenceNumber: sequence.toString(),
        arrivedAt: new Date(a.at),
        stream: 'clicks',
        click,
      };
    });
    floor += new Set(records.map((r) => r.click.link)).size;
    floor += new Set(records.map((r) => `${r.click.link}#${clickDay(r.click)}`)).size;
    batches++;
    const outcome = await countClicks({ counters, days, logger: silent }, records);
    writes += outcome.writes;
    start = end;
  }
  return {
    label: workload.label,
    clicks: arrivals.length,
    batches,
    writes,
    floor,
    clicksPerWrite: arrivals.length / Math.max(1, writes),
    clicksPerLinkWrite: arrivals.length / Math.max(1, linkWrites),
    crossesMidnight: new Set(arrivals.map((a) => new Date(a.at).toISOString().slice(0, 10))).size > 1,
    peakPerItemWritesPerSecond: [...writesPerLinkSecond.values()].reduce((peak, n) => Math.max(peak, n), 0),
  };
}

/** Zipf (s = 1) over `n` links: link k is clicked in proportion to 1/k. */
export function zipfLinks(n: number): (random: SeededRandom) => string {
  const cdf: number[] = [];
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k;
    cdf.push(total);
  }
  return (random) => {
    const target = random.next() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cdf[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return `z${low + 1}`;
  };
}
