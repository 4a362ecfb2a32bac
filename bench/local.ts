// One local system for the benchmarks that need the whole path (gateway, kinesalite, poller, dynalite),
// with the default event source mapping settings and a click sink whose delay can be switched on.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClickSink, CounterStore, CounterUpdate } from '../lambdas/ports.ts';
import { type LocalSystem, startLocalSystem } from '../lib/local/system.ts';
import { createUser, uniqueEmail } from '../test/support/cognito.ts';

export interface BenchSystem {
  system: LocalSystem;
  /** Milliseconds added before every click put; 0 for normal Kinesis. */
  setKinesisDelay(ms: number): void;
  /** Every counter write the consumer made, in order. */
  counterWrites: CounterUpdate[];
  bearer: string;
  createLink(): Promise<string>;
  countOf(link: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchSystem(): Promise<BenchSystem> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shortener-bench-'));
  let delayMs = 0;
  const delayed = (inner: ClickSink): ClickSink => ({
    put: async (click, signal) => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return inner.put(click, signal);
    },
  });
  const counterWrites: CounterUpdate[] = [];
  const counting = (inner: CounterStore): CounterStore => ({
    apply: (update) => {
      counterWrites.push(update);
      return inner.apply(update);
    },
  });
  const system = await startLocalSystem({
    port: 0,
    dataDir,
    log: () => {},
    decorators: {
      clickSink: delayed,
      counterStore: counting,
      logger: { info: () => {}, warn: () => {}, error: console.error },
    },
  });
  const { accessToken } = await createUser(system.pageConfig.cognito, uniqueEmail('bench'));
  const bearer = `Bearer ${accessToken}`;

  return {
    system,
    bearer,
    counterWrites,
    setKinesisDelay: (ms) => {
      delayMs = ms;
    },
    createLink: async () => {
      const response = await fetch(`${system.url}/links`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://example.com/bench' }),
      });
      if (response.status !== 201) throw new Error(`create link: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { link: string }).link;
    },
    countOf: async (link) => {
      const response = await fetch(`${system.url}/links?limit=100`, { headers: { authorization: bearer } });
      const page = (await response.json()) as { items: { link: string; count: number }[] };
      return page.items.find((item) => item.link === link)?.count ?? 0;
    },
    stop: async () => {
      await system.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
