// The click stream and the event source mapping that feeds the consumer. The CDK stack configures
// Kinesis and the mapping from it; local mode's poller imitates the same mapping.

export const CLICK_STREAM = {
  /** One provisioned shard is the cheapest always-on option; on-demand is selectable at deploy. */
  shardCount: 1,
  retentionHours: 24,
  consumer: {
    batchSize: 1000,
    /** Long enough that a hot link gets >100 clicks per counter write, short enough for fresh counts. */
    maxBatchingWindowSeconds: 7,
    /** Must stay 1: the exactly-once argument relies on one in-order consumer per shard. */
    parallelizationFactor: 1,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    maxRetryAttempts: 10,
    maxRecordAgeSeconds: 6 * 60 * 60,
    startingPosition: 'TRIM_HORIZON',
    /** How often the event source mapping polls a shard. */
    pollIntervalMs: 1000,
  },
} as const;
