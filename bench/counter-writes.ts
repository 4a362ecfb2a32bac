// DynamoDB counter writes per delivered batch, SIMULATED: click arrivals are generated, cut into
// batches by the event source mapping's rules (one shard, batch size 1,000, 7 s window, as in
// CLICK_STREAM), and each batch goes through the real countClicksHandler into a CounterStore that
// counts `apply` calls. The floor is the number of distinct links per batch: no design that writes
// per link per batch can do fewer.

import { CLICK_STREAM } from '../lambdas/declarations/stream.ts';
import { encodeClick } from '../lambdas/domain/click.ts';
import { countClicksHandler } from '../lambdas/handlers/count-clicks.ts';
import type { CounterStore } from '../lambdas/ports.ts';
import { type SeededRandom, seededRandom } from '../test/unit/clicks/seeded-random.ts';

export interface WriteResult {
  label: string;
  clicks: number;
  batches: number;
  writes: number;
  floor: number;
  clicksPerWrite: number;
  peakPerItemWritesPerSecond: number;
}

interface Workload {
  label: string;
  clicksPerMinute: number;
  minutes: number;
  link: (random: SeededRandom) => string;
}

const SHARD = 'shardId-000000000000';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

export async function simulateCounterWrites(workload: Workload, seed = 1): Promise<WriteResult> {
  const random = seededRandom(seed);
  const { batchSize, maxBatchingWindowSeconds } = CLICK_STREAM.consumer;
  // Poisson arrivals.
  const arrivals: { at: number; link: string }[] = [];
  const meanGapMs = 60_000 / workload.clicksPerMinute;
  for (let t = 0; ; ) {
    t += -Math.log(1 - random.next()) * meanGapMs;
    if (t > workload.minutes * 60_000) break;
    arrivals.push({ at: t, link: workload.link(random) });
  }

  let writes = 0;
  const writesPerLinkSecond = new Map<string, number>();
  let now = 0;
  const counting: CounterStore = {
    apply: async (update) => {
      writes++;
      const key = `${update.link}@${Math.floor(now / 1000)}`;
      writesPerLinkSecond.set(key, (writesPerLinkSecond.get(key) ?? 0) + 1);
      return 'applied';
    },
  };
  const handler = countClicksHandler({ counters: counting, logger: silent });

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
    floor += new Set(batch.map((a) => a.link)).size;
    batches++;
    await handler({
      Records: batch.map((a) => {
        sequence += 1n;
        return {
          eventID: `${SHARD}:${sequence}`,
          eventName: 'aws:kinesis:record',
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/count-clicks',
          awsRegion: 'us-east-1',
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'p',
            sequenceNumber: sequence.toString(),
            data: Buffer.from(encodeClick({ v: 1, link: a.link, at: new Date(a.at).toISOString() })).toString('base64'),
            approximateArrivalTimestamp: a.at / 1000,
          },
        };
      }),
    });
    start = end;
  }
  return {
    label: workload.label,
    clicks: arrivals.length,
    batches,
    writes,
    floor,
    clicksPerWrite: arrivals.length / Math.max(1, writes),
    peakPerItemWritesPerSecond: Math.max(0, ...writesPerLinkSecond.values()),
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
