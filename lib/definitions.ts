// The one place where routes, table keys and stream settings are declared.
// The CDK stack, the local mode and the Lambda adapters all read them from here,
// so the deployed system and the local one cannot drift apart. Plain data only: no AWS imports.

export type HandlerName = 'create-link' | 'list-links' | 'delete-link' | 'redirect' | 'not-allowed';

export interface RouteDefinition {
  /** HTTP method, or ANY for the catch-all that answers 405 on a known path. */
  readonly method: 'GET' | 'HEAD' | 'POST' | 'DELETE' | 'ANY';
  /** API Gateway route path; `{link}` is a single path segment. */
  readonly path: '/links' | '/links/{link}' | '/{link}';
  readonly handler: HandlerName;
  /** Whether the route sits behind the Cognito JWT authorizer. */
  readonly authorized: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/links', handler: 'create-link', authorized: true },
  { method: 'GET', path: '/links', handler: 'list-links', authorized: true },
  { method: 'DELETE', path: '/links/{link}', handler: 'delete-link', authorized: true },
  { method: 'GET', path: '/{link}', handler: 'redirect', authorized: false },
  // HTTP APIs do not route HEAD to a GET route, so it is declared on its own.
  { method: 'HEAD', path: '/{link}', handler: 'redirect', authorized: false },
  // More specific method routes win over ANY, so these only catch methods a path does not serve.
  { method: 'ANY', path: '/links', handler: 'not-allowed', authorized: false },
  { method: 'ANY', path: '/links/{link}', handler: 'not-allowed', authorized: false },
  { method: 'ANY', path: '/{link}', handler: 'not-allowed', authorized: false },
];

/** Paths the page is served under; the CDK sends them to S3, the local gateway to `frontend/`. */
export const STATIC_PATHS = {
  root: '/',
  config: '/config.json',
  assetsPrefix: '/assets/',
} as const;

/**
 * Aliases that would shadow a path the shortener serves, or that users would take for one.
 * Compared without regard to case.
 */
export const RESERVED_ALIASES: readonly string[] = [
  'links',
  'api',
  'assets',
  'static',
  'health',
  'admin',
  'login',
  'logout',
  'signup',
  'signin',
  'register',
  'config',
  'index',
  'favicon',
  'robots',
  'sitemap',
  'well-known',
  'auth',
  'oauth',
  'callback',
  'account',
  'settings',
  'dashboard',
  'www',
];

export const LINKS_TABLE = {
  partitionKey: { name: 'link', type: 'S' },
  creatorIndex: {
    name: 'byCreator',
    partitionKey: { name: 'creator', type: 'S' },
    sortKey: { name: 'created', type: 'S' },
    // Only what a list page shows; the per-shard high-water marks stay out of the index.
    nonKeyAttributes: ['url', 'count'],
  },
  attributes: {
    link: 'link',
    url: 'url',
    count: 'count',
    creator: 'creator',
    created: 'created',
  },
  /** Prefix of the per-shard attributes holding the highest applied click sequence number. */
  appliedSequencePrefix: 'applied:',
} as const;

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

/** Limits from the public contract. */
export const LIMITS = {
  maxBodyBytes: 64 * 1024,
  maxUrlLength: 2048,
  defaultPageSize: 20,
  maxPageSize: 100,
  randomCodeLength: 8,
  aliasMinLength: 3,
  aliasMaxLength: 64,
} as const;

/** The user pool's password policy: the deployed pool and the local one accept exactly the same passwords. */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 3,
} as const;

/** Default resource names, used as-is by local mode and as prefixes by the CDK stack. */
export const LOCAL_NAMES = {
  table: 'links',
  stream: 'clicks',
  region: 'us-east-1',
  userPool: 'shortener-local',
  appClient: 'shortener-web',
} as const;

/** Environment variables the Lambda entry points read (set by the CDK stack and by local mode). */
export const ENV = {
  tableName: 'LINKS_TABLE',
  streamName: 'CLICK_STREAM',
  /** Comma-separated extra origins that count as "self" (custom domain). */
  selfOrigins: 'SELF_ORIGINS',
} as const;

/** Header the CloudFront viewer function and the local gateway set to the viewer-facing host. */
export const FORWARDED_HOST_HEADER = 'x-forwarded-host';
