// Analytics figures measured in-process against dynalite (loopback): the redirect with the richer
// click against the redirect as it was (same handler, no classification), and the stats read of a link
// with a year of history.
import { DynamoLinkStore } from '../lambdas/adapters/dynamo-link-store.ts';
import type { ClickEvent } from '../lambdas/domain/click.ts';
import { linkStats } from '../lambdas/domain/stats.ts';
import { redirectHandler } from '../lambdas/handlers/redirect.ts';
import type { ClickRecorder } from '../lambdas/ports.ts';
import { startDynaliteTable } from '../test/faults/dynalite.ts';
import { apiEvent } from '../test/handlers/links/fakes.ts';
import { BROWSER_USER_AGENT } from '../test/support/local-system.ts';
import { median, quantile } from './stats.ts';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

export interface ClassificationResult {
  before: { p50: number; p99: number; n: number };
  after: { p50: number; p99: number; n: number };
}

/**
 * The whole redirect handler (its GetItem on dynalite included), with and without classifying the
 * visitor, in alternating blocks so that drift hits both alike. The recorder only keeps the click.
 */
export async function measureRedirectClassification(perMode = 3000, block = 250): Promise<ClassificationResult> {
  const table = await startDynaliteTable('bench-links');
  try {
    const links = new DynamoLinkStore(table.doc, table.tableName);
    await links.create({
      link: 'bench01',
      url: 'https://example.com/bench',
      creator: 'u',
      created: new Date().toISOString(),
      count: 0,
      bots: 0,
    });
    const recorded: ClickEvent[] = [];
    const clicks: ClickRecorder = { record: (click) => void recorded.push(click), flush: async () => {} };
    const handlers = {
      before: redirectHandler({ links, clicks, logger: silent, classify: () => ({}) }),
      after: redirectHandler({ links, clicks, logger: silent }),
    };
    const event = apiEvent({
      method: 'GET',
      routeKey: 'GET /{link}',
      rawPath: '/bench01',
      link: 'bench01',
      sub: null,
      headers: {
        'user-agent': BROWSER_USER_AGENT,
        referer: 'https://news.example.com/story',
        'cloudfront-viewer-country': 'DE',
      },
    });
    const once = async (mode: keyof typeof handlers) => {
      const started = performance.now();
      const response = await handlers[mode](event);
      if (response.statusCode !== 301) throw new Error(`redirect answered ${response.statusCode}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 300; i++) await once(i % 2 === 0 ? 'before' : 'after'); // warm-up
    const samples = { before: [] as number[], after: [] as number[] };
    for (let done = 0; done < perMode; done += block) {
      for (const mode of ['before', 'after'] as const) {
        for (let i = 0; i < block; i++) samples[mode].push(await once(mode));
      }
    }
    const summary = (values: number[]) => ({
      p50: quantile(values, 0.5),
      p99: quantile(values, 0.99),
      n: values.length,
    });
    return { before: summary(samples.before), after: summary(samples.after) };
  } finally {
    await table.close();
  }
}

export interface StatsReadResult {
  days: number;
  storedDays: number;
  medianMs: number;
  p95Ms: number;
  n: number;
}

/** GET-stats' reads and summing for a link with 365 days of history (every day clicked), asked for 366 days. */
export async function measureStatsRead(runs = 30): Promise<StatsReadResult> {
  const table = await startDynaliteTable('bench-stats');
  try {
    await table.addLink('year01', 'inc-year');
    const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`);
    let sequence = 1;
    for (let back = 0; back < 365; back++) {
      const at = new Date(today - back * 86_400_000);
      const clicks = Array.from({ length: 12 }, (_, i) => ({
        sequenceNumber: String(sequence++),
        bot: i % 4 === 3,
        visit: {
          referrer: `r${(back + i) % 30}.example`,
          country: ['DE', 'US', 'FR', 'GB'][i % 4] as string,
          device: 'mobile' as const,
          browser: 'Firefox' as const,
        },
      }));
      await table.days.apply({
        link: 'year01',
        incarnation: 'inc-year',
        day: at.toISOString().slice(0, 10),
        shardId: 'shardId-000000000000',
        clicks,
      });
    }
    const deps = { days: table.days };
    const read = () =>
      linkStats(deps, { creator: 'u', link: 'year01', from: dayBefore(today, 365), to: dayBefore(today, 0) });
    await read(); // warm-up
    const times: number[] = [];
    let stats = await read();
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      stats = await read();
      times.push(performance.now() - started);
    }
    return {
      days: stats.days.length,
      storedDays: stats.days.filter((day) => day.count > 0).length,
      medianMs: median(times),
      p95Ms: quantile(times, 0.95),
      n: runs,
    };
  } finally {
    await table.close();
  }
}

const dayBefore = (time: number, days: number) => new Date(time - days * 86_400_000).toISOString().slice(0, 10);
