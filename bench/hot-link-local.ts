// The hot-link case measured end to end in local mode (not simulated): one link clicked at 1,000
// clicks per minute for a minute, through gateway, kinesalite, the stream poller with the default
// settings (batch 1,000, window 7 s) and the real consumer; counts the counter writes it made.
import { BROWSER_USER_AGENT } from '../test/support/local-system.ts';
import type { BenchSystem } from './local.ts';

export interface HotLinkResult {
  clicks: number;
  writes: number;
  counted: number;
  seconds: number;
}

export async function measureHotLinkLocally(
  bench: BenchSystem,
  clicksPerMinute = 1000,
  seconds = 60,
): Promise<HotLinkResult> {
  const link = await bench.createLink();
  const gapMs = 60_000 / clicksPerMinute;
  const started = performance.now();
  let clicks = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = started + clicks * gapMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const response = await fetch(`${bench.system.url}/${link}`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_USER_AGENT },
    });
    await response.arrayBuffer();
    clicks++;
  }
  let counted = await bench.countOf(link);
  for (const deadline = Date.now() + 20_000; counted !== clicks && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    counted = await bench.countOf(link);
  }
  const writes = bench.counterWrites.filter((update) => update.link === link).length;
  return { clicks, writes, counted, seconds };
}
