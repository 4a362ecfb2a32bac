// CloudWatch metrics of the click consumer, as Embedded Metric Format lines on stdout (Lambda ships
// stdout to CloudWatch Logs, which turns each line into metric values; no SDK call, no extra latency).
import type { StreamHandler } from '../handlers/types.ts';
import type { CounterStore, CounterUpdate, DayCounterStore, Ledger, Logger } from '../ports.ts';

export const CONSUMER_METRICS = {
  namespace: 'Shortener',
  service: 'count-clicks',
  /** Second copies of clicks dropped (in the batch or counted in an earlier one). */
  duplicates: 'DuplicateClicksDropped',
  /** Clicks on links deleted (or re-created) since, dropped. */
  deletedLinks: 'DeletedLinkClicksDropped',
  /** Counter writes that failed; their records are delivered again. */
  writeFailures: 'CounterWriteFailures',
} as const;

type Counts = Record<'duplicates' | 'deletedLinks' | 'writeFailures', number>;

/**
 * Counts what one invocation dropped or failed, through the ports the consumer is built from: the counter
 * store's outcomes, and the duplicate counts the consumer logs. Then writes one EMF line per invocation.
 */
export class ConsumerMetrics {
  private counts: Counts = { duplicates: 0, deletedLinks: 0, writeFailures: 0 };

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  counters(store: CounterStore): CounterStore {
    return {
      apply: async (update: CounterUpdate, ledger?: Ledger) => {
        const outcome = await this.counting(() => store.apply(update, ledger));
        if (outcome.kind === 'link-gone') this.counts.deletedLinks += update.clicks.length;
        return outcome;
      },
    };
  }

  /** Day writes that fail count as counter-write failures too. */
  days(store: DayCounterStore): DayCounterStore {
    return {
      apply: (update, ledger) => this.counting(() => store.apply(update, ledger)),
      subject: (link) => store.subject(link),
      read: (link, incarnation, days) => store.read(link, incarnation, days),
    };
  }

  private async counting<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      this.counts.writeFailures++;
      throw error;
    }
  }

  /** The consumer reports each drop of second copies with a `duplicates` count. */
  logger(logger: Logger): Logger {
    return {
      ...logger,
      info: (message, fields) => {
        if (typeof fields?.duplicates === 'number') this.counts.duplicates += fields.duplicates;
        logger.info(message, fields);
      },
    };
  }

  /** Wraps the handler: one metrics line after each invocation, whatever its outcome. */
  around(handler: StreamHandler): StreamHandler {
    return async (event) => {
      try {
        return await handler(event);
      } finally {
        this.publish();
      }
    };
  }

  private publish(): void {
    const counts = this.counts;
    this.counts = { duplicates: 0, deletedLinks: 0, writeFailures: 0 };
    try {
      this.write(consumerMetricsLine(counts));
    } catch {
      // A metric that cannot be written must not fail the batch.
    }
  }
}

export function consumerMetricsLine(counts: Counts, at: Date = new Date()): string {
  const { namespace, service, duplicates, deletedLinks, writeFailures } = CONSUMER_METRICS;
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [['Service']],
          Metrics: [duplicates, deletedLinks, writeFailures].map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    Service: service,
    [duplicates]: counts.duplicates,
    [deletedLinks]: counts.deletedLinks,
    [writeFailures]: counts.writeFailures,
  });
}
