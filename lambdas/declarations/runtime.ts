// How the functions are found and configured at run time: resource names and environment variables,
// set by the CDK stack on AWS and by local mode on one machine.

/** Default resource names, used as-is by local mode and as prefixes by the CDK stack. */
export const LOCAL_NAMES = {
  table: 'links',
  stream: 'clicks',
  region: 'us-east-1',
  userPool: 'shortener-local',
  appClient: 'shortener-web',
} as const;

/** Environment variables the Lambda entry points read. */
export const ENV = {
  tableName: 'LINKS_TABLE',
  streamName: 'CLICK_STREAM',
  /** Comma-separated extra origins that count as "self" (custom domain). */
  selfOrigins: 'SELF_ORIGINS',
  /** Comma-separated destination hosts refused on creation: `example.com` exactly, `.example.com` and below. */
  blockedHosts: 'BLOCKED_HOSTS',
  /** Per-user quotas and rate of the signed-in API (whole numbers). */
  linksPerDay: 'QUOTA_LINKS_PER_DAY',
  bulkRowsPerDay: 'QUOTA_BULK_ROWS_PER_DAY',
  requestsPerMinute: 'RATE_LIMIT_PER_MINUTE',
  /** `true` accepts other URL shorteners (bit.ly, t.co, …) as destinations; refused by default. */
  allowOtherShorteners: 'ALLOW_OTHER_SHORTENERS',
  /**
   * The value CloudFront sends in the origin-verification header, and the one before the last rotation.
   * Unset in local mode, where the local gateway is the only way in.
   */
  originSecret: 'ORIGIN_VERIFY_SECRET',
  originSecretPrevious: 'ORIGIN_VERIFY_SECRET_PREVIOUS',
} as const;
