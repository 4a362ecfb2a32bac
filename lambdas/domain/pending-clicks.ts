import type { ClickRecorder, ClickSink, Logger } from '../ports.ts';
import { CLICK_PUT, type ClickEvent, newClickId } from './click.ts';

export interface PendingClicksOptions {
  /**
   * How long one put may take before it is abandoned (and retried). Only tests shorten it; the
   * consumer's duplicate rule assumes `CLICK_PUT.attemptDeadlineMs`.
   */
  attemptDeadlineMs?: number;
  /** Where the CloudWatch Embedded Metric Format line goes; Lambda ships stdout to CloudWatch Logs. */
  writeMetric?: (line: string) => void;
  /** Puts under way at once; more wait their turn before their deadline starts. */
  maxConcurrentPuts?: number;
}

/**
 * On Lambda an environment has one redirect, so one put, at a time. A process serving many (local mode)
 * must not open dozens of puts at once: the stream serves them one after the other, each waits for
 * all the others, and they miss their deadlines together although the stream is merely busy.
 */
const DEFAULT_MAX_CONCURRENT_PUTS = 8;

export const LOST_CLICKS_METRIC = { namespace: 'Shortener', name: 'LostClicks', service: 'redirect' } as const;

class DeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`click put did not finish within ${ms} ms`);
  }
}

/**
 * Starts each click's put the moment it is recorded and keeps track of it, so that whoever owns the
 * process lifetime (the Lambda extension, the local gateway) can wait for all of them after the
 * response has gone out. Every put is bounded: a deadline per attempt, one retry, then the click is
 * counted as lost in a log line and a `LostClicks` metric. Nothing here ever rejects.
 */
export class PendingClicks implements ClickRecorder {
  private readonly pending = new Set<Promise<void>>();
  private readonly attemptDeadlineMs: number;
  private readonly attempts: number;
  private readonly writeMetric: (line: string) => void;
  private readonly maxConcurrentPuts: number;
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly sink: ClickSink,
    private readonly logger: Logger,
    options: PendingClicksOptions = {},
  ) {
    this.attemptDeadlineMs = options.attemptDeadlineMs ?? CLICK_PUT.attemptDeadlineMs;
    this.attempts = CLICK_PUT.attempts;
    this.writeMetric = options.writeMetric ?? ((line) => process.stdout.write(`${line}\n`));
    this.maxConcurrentPuts = Math.max(1, options.maxConcurrentPuts ?? DEFAULT_MAX_CONCURRENT_PUTS);
  }

  record(click: ClickEvent): void {
    const put = this.deliver(click.id ? click : { ...click, id: newClickId() }).finally(() => this.pending.delete(put));
    this.pending.add(put);
  }

  /** Resolves once every click recorded so far, and any recorded while waiting, is settled. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all(this.pending);
    }
  }

  /** How many puts are still under way; for diagnostics and tests. */
  get inFlight(): number {
    return this.pending.size;
  }

  private async deliver(click: ClickEvent): Promise<void> {
    // Without a wait when a slot is free, so that the put starts within `record()`.
    const turn = this.takeTurn();
    if (turn) await turn;
    try {
      const errors: string[] = [];
      for (let attempt = 1; attempt <= this.attempts; attempt++) {
        try {
          // The attempt number and send time let the consumer recognise a second copy of a click. `sent`
          // is taken in the same tick as the deadline timer starts (after the slot was won), so queueing
          // never counts as time in flight.
          await this.withinDeadline((signal) =>
            this.sink.put({ ...click, attempt, sent: new Date().toISOString() }, signal),
          );
          return;
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
      this.reportLost(click, errors);
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private takeTurn(): Promise<void> | undefined {
    if (this.active < this.maxConcurrentPuts) {
      this.active++;
      return undefined;
    }
    return new Promise((resolve) =>
      this.queue.push(() => {
        this.active++;
        resolve();
      }),
    );
  }

  /**
   * Runs one attempt and aborts it at the deadline, so that it cannot sit frozen in a Lambda environment.
   * An aborted put that Kinesis had already received may still land beside its retry; the consumer
   * recognises that second copy by the click id (`lambdas/domain/click-duplicates.ts`).
   */
  private async withinDeadline(attempt: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const exceeded = new DeadlineExceeded(this.attemptDeadlineMs);
        controller.abort(exceeded);
        reject(exceeded);
      }, this.attemptDeadlineMs);
    });
    try {
      const put = attempt(controller.signal);
      // A put that settles after its deadline must not surface as an unhandled rejection.
      put.catch(() => {});
      await Promise.race([put, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private reportLost(click: ClickEvent, errors: string[]): void {
    try {
      this.logger.error('click lost', { link: click.link, at: click.at, attempts: this.attempts, errors });
      this.writeMetric(lostClicksMetricLine(1));
    } catch {
      // Reporting must not turn a lost click into a failed flush.
    }
  }
}

/** One CloudWatch Embedded Metric Format document: CloudWatch turns the log line into a metric. */
export function lostClicksMetricLine(lost: number, at: Date = new Date()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: LOST_CLICKS_METRIC.namespace,
          Dimensions: [['Service']],
          Metrics: [{ Name: LOST_CLICKS_METRIC.name, Unit: 'Count' }],
        },
      ],
    },
    Service: LOST_CLICKS_METRIC.service,
    [LOST_CLICKS_METRIC.name]: lost,
  });
}
