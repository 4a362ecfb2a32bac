import { describe, expect, it } from 'vitest';
import type { ClickEvent } from '../../../lambdas/domain/click.ts';
import { lostClicksMetricLine, PendingClicks } from '../../../lambdas/domain/pending-clicks.ts';
import type { ClickSink } from '../../../lambdas/ports.ts';
import { capturingLogger, click, type Deferred, deferred, eventually } from './support.ts';

/** A sink whose every put waits for the test, so nothing here depends on timing. */
function manualSink() {
  const calls: { click: ClickEvent; done: Deferred }[] = [];
  const sink: ClickSink = {
    put: (c) => {
      const done = deferred();
      calls.push({ click: c, done });
      return done.promise;
    },
  };
  return { sink, calls };
}

const neverSettles: ClickSink = { put: () => new Promise(() => {}) };

describe('click-pipeline', () => {
  it('R1.1 starts the put the moment a click is recorded and returns without waiting for it', () => {
    const { sink, calls } = manualSink();
    const clicks = new PendingClicks(sink, capturingLogger());
    clicks.record(click('abc'));
    expect(calls.map((call) => call.click)).toEqual([
      { ...click('abc'), id: expect.stringMatching(/^[0-9a-f-]{36}$/), attempt: 1, sent: expect.any(String) },
    ]);
    expect(clicks.inFlight).toBe(1);
  });

  it('R1.6 runs at most the configured number of puts at once; the next starts when one finishes', async () => {
    const { sink, calls } = manualSink();
    const clicks = new PendingClicks(sink, capturingLogger(), { maxConcurrentPuts: 2 });
    clicks.record(click('a'));
    clicks.record(click('b'));
    clicks.record(click('c'));
    expect(calls.map((call) => call.click.link)).toEqual(['a', 'b']);
    calls[0]?.done.resolve();
    await eventually(() => calls.length === 3, 'the third put to start');
    expect(calls[2]?.click.link).toBe('c');
    calls[1]?.done.resolve();
    calls[2]?.done.resolve();
    await clicks.flush();
  });

  it('R1.4 flush resolves only after every recorded put, including one recorded while flushing, has finished', async () => {
    const { sink, calls } = manualSink();
    const clicks = new PendingClicks(sink, capturingLogger());
    clicks.record(click('a'));
    let flushed = false;
    const flushing = clicks.flush().then(() => {
      flushed = true;
    });
    clicks.record(click('b'));
    calls[0]?.done.resolve();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed).toBe(false);
    calls[1]?.done.resolve();
    await flushing;
    expect(clicks.inFlight).toBe(0);
  });

  it('R1.2 R3.5 retries a failed put once, with the same click id, and does not report a click the retry delivered', async () => {
    const logger = capturingLogger();
    const metrics: string[] = [];
    let attempts = 0;
    const ids: (string | undefined)[] = [];
    const clicks = new PendingClicks(
      {
        put: async (c) => {
          attempts++;
          ids.push(c.id);
          if (attempts === 1) throw new Error('ProvisionedThroughputExceededException');
        },
      },
      logger,
      { writeMetric: (line) => metrics.push(line) },
    );
    clicks.record(click('a'));
    await clicks.flush();
    expect(attempts).toBe(2);
    expect(new Set(ids).size).toBe(1);
    expect(logger.lines).toEqual([]);
    expect(metrics).toEqual([]);
  });

  it('R1.2 R1.3 gives a put that never answers two bounded attempts, then logs the click as lost and emits LostClicks', async () => {
    const logger = capturingLogger();
    const metrics: string[] = [];
    const clicks = new PendingClicks(neverSettles, logger, {
      attemptDeadlineMs: 5,
      writeMetric: (l) => metrics.push(l),
    });
    clicks.record(click('a'));
    clicks.record(click('b'));
    await clicks.flush();
    expect(logger.lines.map((line) => [line.level, line.message, line.fields?.link, line.fields?.attempts])).toEqual([
      ['error', 'click lost', 'a', 2],
      ['error', 'click lost', 'b', 2],
    ]);
    expect(metrics.map((line) => JSON.parse(line).LostClicks)).toEqual([1, 1]);
  });

  it('R1.2 aborts an attempt at its deadline, so a put given up on cannot land after its retry', async () => {
    const signals: AbortSignal[] = [];
    const clicks = new PendingClicks(
      {
        put: (_click, signal) => {
          if (signal) signals.push(signal);
          return new Promise(() => {});
        },
      },
      capturingLogger(),
      { attemptDeadlineMs: 5, writeMetric: () => {} },
    );
    clicks.record(click('a'));
    await clicks.flush();
    expect(signals).toHaveLength(2);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
    expect(String(signals[0]?.reason)).toContain('did not finish within 5 ms');
  });

  it('R1.4 flush never rejects, even when the sink throws synchronously', async () => {
    const logger = capturingLogger();
    const clicks = new PendingClicks(
      {
        put: () => {
          throw new Error('boom');
        },
      },
      logger,
      { writeMetric: () => {} },
    );
    clicks.record(click('a'));
    await expect(clicks.flush()).resolves.toBeUndefined();
    expect(logger.lines[0]?.fields?.errors).toEqual(['boom', 'boom']);
  });

  it('R1.3 the metric line is CloudWatch Embedded Metric Format: namespace Shortener, LostClicks by Service=redirect', () => {
    expect(JSON.parse(lostClicksMetricLine(3, new Date('2026-11-22T05:00:00Z')))).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-11-22T05:00:00Z'),
        CloudWatchMetrics: [
          { Namespace: 'Shortener', Dimensions: [['Service']], Metrics: [{ Name: 'LostClicks', Unit: 'Count' }] },
        ],
      },
      Service: 'redirect',
      LostClicks: 3,
    });
  });
});
