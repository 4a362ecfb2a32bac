// Redirect latency through the local gateway, with normal Kinesis and with 500 ms added to every
// click put. Blocks of the two modes alternate so that drift (GC, JIT, disk) hits both alike.
// Requests go one at a time, back to back (BENCH_PAUSE_MS adds a pause between them). Gateway,
// emulators, poller and consumer share one Node process on two cores, so the tail (p99) includes
// the moments a batch is being consumed; interleaving the modes spreads those over both alike.
import { BROWSER_USER_AGENT } from '../test/support/local-system.ts';
import type { BenchSystem } from './local.ts';
import { quantile } from './stats.ts';

export interface LatencyResult {
  link: string;
  clicks: number;
  normal: { p50: number; p99: number; n: number };
  delayed: { p50: number; p99: number; n: number };
}

const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 0);

export async function measureRedirectLatency(bench: BenchSystem, perMode = 1000, block = 100): Promise<LatencyResult> {
  const link = await bench.createLink();
  const url = `${bench.system.url}/${link}`;
  const once = async () => {
    const started = performance.now();
    const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': BROWSER_USER_AGENT } });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 301) throw new Error(`redirect answered ${response.status}`);
    if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    return elapsed;
  };
  for (let i = 0; i < 50; i++) await once(); // warm-up: JIT, connections, table caches

  const samples = { normal: [] as number[], delayed: [] as number[] };
  for (let done = 0; done < perMode; done += block) {
    for (const mode of ['normal', 'delayed'] as const) {
      bench.setKinesisDelay(mode === 'delayed' ? 500 : 0);
      for (let i = 0; i < block; i++) samples[mode].push(await once());
    }
  }
  bench.setKinesisDelay(0);
  const summary = (values: number[]) => ({ p50: quantile(values, 0.5), p99: quantile(values, 0.99), n: values.length });
  return {
    link,
    clicks: 50 + samples.normal.length + samples.delayed.length,
    normal: summary(samples.normal),
    delayed: summary(samples.delayed),
  };
}
