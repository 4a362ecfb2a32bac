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
} as const;
