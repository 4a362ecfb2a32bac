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
  /**
   * Comma-separated origins (or host names) the deployment answers on besides the request's own: the
   * CloudFront domain, custom domains, the execute-api domain. A destination on any of their hosts
   * (any scheme, any port) is refused as a loop.
   */
  selfOrigins: 'SELF_ORIGINS',
  /** Comma-separated refused destination hosts: `host` exactly, `*.host` it and every name under it. Default none. */
  blockedHosts: 'BLOCKED_HOSTS',
  /** `true` accepts other URL shorteners (bit.ly, t.co, …) as destinations. Default: refused. */
  allowOtherShorteners: 'ALLOW_OTHER_SHORTENERS',
  /** Per-user limits, whole numbers; defaults in `DEFAULT_LIMITS` (lambdas/domain/rules.ts). */
  limits: {
    linksPerDay: 'QUOTA_LINKS_PER_DAY',
    bulkRowsPerDay: 'QUOTA_BULK_ROWS_PER_DAY',
    requestsPerMinute: 'RATE_LIMIT_REQUESTS_PER_MINUTE',
  },
} as const;
