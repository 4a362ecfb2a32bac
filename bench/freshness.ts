// End-to-end freshness in local mode with the default event source mapping settings: the time from a
// redirect's response to the first GET /links that shows the click in `count`.

import { BROWSER_USER_AGENT } from '../test/support/local-system.ts';
import { seededRandom } from '../test/support/seeded.ts';
import type { BenchSystem } from './local.ts';
import { quantile } from './stats.ts';

export interface FreshnessResult {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export async function measureFreshness(bench: BenchSystem, clicks = 24, links = 4): Promise<FreshnessResult> {
  const random = seededRandom(99);
  const codes = await Promise.all(Array.from({ length: links }, () => bench.createLink()));
  const expected = new Map(codes.map((code) => [code, 0]));
  const pending: { link: string; count: number; at: number }[] = [];
  const delays: number[] = [];

  let clicking = true;
  let giveUpAt = Number.POSITIVE_INFINITY;
  const watcher = (async () => {
    while (clicking || pending.length > 0) {
      if (performance.now() > giveUpAt) throw new Error(`${pending.length} click(s) never showed in GET /links`);
      const response = await fetch(`${bench.system.url}/links?limit=100`, { headers: { authorization: bench.bearer } });
      const seenAt = performance.now();
      const page = (await response.json()) as { items: { link: string; count: number }[] };
      const counts = new Map(page.items.map((item) => [item.link, item.count]));
      for (let i = pending.length - 1; i >= 0; i--) {
        const click = pending[i];
        if (click && (counts.get(click.link) ?? 0) >= click.count) {
          delays.push(seenAt - click.at);
          pending.splice(i, 1);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  for (let i = 0; i < clicks; i++) {
    await new Promise((resolve) => setTimeout(resolve, random.int(0, 2500)));
    const link = random.pick(codes);
    const response = await fetch(`${bench.system.url}/${link}`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_USER_AGENT },
    });
    await response.arrayBuffer();
    const count = (expected.get(link) ?? 0) + 1;
    expected.set(link, count);
    pending.push({ link, count, at: performance.now() });
  }
  clicking = false;
  giveUpAt = performance.now() + 60_000;
  await watcher;
  return { p50: quantile(delays, 0.5), p95: quantile(delays, 0.95), max: Math.max(...delays), n: delays.length };
}
