// Deployment options: read from CDK context (`cdk deploy -c key=value` or `cdk.json`), validated once here,
// so every construct receives plain, checked values. Every option is listed in the README's one table.
import type { Node } from 'constructs';
import { CLICK_STREAM } from '../../lambdas/declarations/stream.ts';
import { FUNCTION_ENTRIES } from './shortener-function.ts';

export type KinesisMode = 'provisioned' | 'on-demand';
export type DataRemovalPolicy = 'retain' | 'destroy';

/** Every Lambda function of the stack, by entry name: what `reservedConcurrency` may name. */
const FUNCTION_NAMES: readonly string[] = FUNCTION_ENTRIES;

/** The stage whose data is kept and whose stack is protected unless told otherwise. */
export const PRODUCTION_STAGE = 'prod';

/** Per-user limits of the signed-in API, handed to the functions as environment variables. */
export interface Quotas {
  readonly linksPerDay: number;
  readonly bulkRowsPerDay: number;
  readonly requestsPerMinute: number;
}

export interface SesSender {
  /** The From address; verified in SES itself, or on the verified domain below. */
  readonly fromEmail: string;
  /** Set when the verified SES identity is the address's domain rather than the address. */
  readonly verifiedDomain?: string;
  /** The SES region, when it is not the stack's (Cognito supports a few alternatives). */
  readonly region?: string;
}

export interface ShortenerConfig {
  /** Suffix of the stack name and of resource names, e.g. `prod`, `dev-alice`. */
  readonly stage: string;
  /** Optional custom domain served by CloudFront; needs `certificateArn` (an ACM certificate in us-east-1). */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** Route 53 hosted zone holding `domainName`: the stack then creates the alias records. */
  readonly hostedZoneId?: string;
  readonly kinesisMode: KinesisMode;
  /** Shards of a provisioned stream (1,000 clicks/s each). */
  readonly shardCount: number;
  readonly streamRetentionHours: number;
  readonly logRetentionDays: number;
  /** `retain` keeps the table (and its deletion protection), the user pool and the failed-batch bucket on `cdk destroy`. */
  readonly removalPolicy: DataRemovalPolicy;
  readonly terminationProtection: boolean;
  readonly quotas: Quotas;
  /** Destination hosts refused on creation: `example.com` (that host) or `.example.com` (any host under it). */
  readonly blockedHosts: readonly string[];
  readonly ses?: SesSender;
  /** An AWS WAF web ACL with per-IP rate rules on the distribution (billed monthly, off by default). */
  readonly waf: boolean;
  /** Subscribed to the alarm topic by e-mail (the address must confirm the subscription). */
  readonly alarmEmail?: string;
  /** Reserved concurrency per function name; functions not named reserve none. */
  readonly reservedConcurrency: Readonly<Record<string, number>>;
  /** Secrets Manager version of the origin-verification secret to deploy (after a rotation). */
  readonly originSecretVersion?: string;
}

export const CONTEXT_KEYS = {
  stage: 'stage',
  domainName: 'domainName',
  certificateArn: 'certificateArn',
  hostedZoneId: 'hostedZoneId',
  kinesisMode: 'kinesisMode',
  shardCount: 'shardCount',
  streamRetentionHours: 'streamRetentionHours',
  logRetentionDays: 'logRetentionDays',
  removalPolicy: 'removalPolicy',
  terminationProtection: 'terminationProtection',
  linksPerDay: 'linksPerDay',
  bulkRowsPerDay: 'bulkRowsPerDay',
  requestsPerMinute: 'requestsPerMinute',
  blockedHosts: 'blockedHosts',
  sesFromEmail: 'sesFromEmail',
  sesVerifiedDomain: 'sesVerifiedDomain',
  sesRegion: 'sesRegion',
  waf: 'waf',
  alarmEmail: 'alarmEmail',
  reservedConcurrency: 'reservedConcurrency',
  originSecretVersion: 'originSecretVersion',
} as const;

export type ContextKey = keyof typeof CONTEXT_KEYS;
export type RawConfig = Partial<Record<ContextKey, string | undefined>>;

export const DEFAULT_QUOTAS: Quotas = { linksPerDay: 1000, bulkRowsPerDay: 10_000, requestsPerMinute: 600 };

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULTS = {
  stage: PRODUCTION_STAGE,
  kinesisMode: 'provisioned',
  shardCount: CLICK_STREAM.shardCount,
  streamRetentionHours: CLICK_STREAM.retentionHours,
  logRetentionDays: 30,
  waf: false,
} as const;

/** Kinesis keeps records 24 hours to 365 days. */
const STREAM_RETENTION_HOURS = { min: 24, max: 8760 } as const;
/** Lambda's environment is limited to 4 KB in all; the blocklist must leave room for the rest. */
const MAX_BLOCKED_HOSTS_CHARS = 2048;

export function configFromContext(node: Node): ShortenerConfig {
  const raw: RawConfig = {};
  for (const [key, contextKey] of Object.entries(CONTEXT_KEYS) as [ContextKey, string][]) {
    const value: unknown = node.tryGetContext(contextKey);
    if (value === undefined || value === null || value === '') continue;
    // cdk.json may hold an object for the per-function map; the command line always gives strings.
    raw[key] =
      typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>)
            .map(([name, count]) => `${name}=${String(count)}`)
            .join(',')
        : String(value);
  }
  return parseConfig(raw);
}

export function parseConfig(raw: RawConfig): ShortenerConfig {
  const stage = raw.stage ?? DEFAULTS.stage;
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) {
    throw new Error(`stage "${stage}" must be 1-21 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const kinesisMode = oneOf('kinesisMode', raw.kinesisMode ?? DEFAULTS.kinesisMode, [
    'provisioned',
    'on-demand',
  ] as const);
  if (kinesisMode === 'on-demand' && raw.shardCount !== undefined) {
    throw new Error('shardCount applies only to kinesisMode=provisioned (on-demand streams size themselves)');
  }
  // Data is kept for production by default; any other stage tears down completely.
  const removalPolicy = oneOf(
    'removalPolicy',
    raw.removalPolicy ?? (stage === PRODUCTION_STAGE ? 'retain' : 'destroy'),
    ['retain', 'destroy'] as const,
  );
  const logRetentionDays = integer('logRetentionDays', raw.logRetentionDays, DEFAULTS.logRetentionDays, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}; got ${logRetentionDays}`);
  }

  if (Boolean(raw.domainName) !== Boolean(raw.certificateArn)) {
    throw new Error('domainName and certificateArn must be given together');
  }
  if (raw.domainName && !isHostName(raw.domainName)) {
    throw new Error(`domainName "${raw.domainName}" is not a host name`);
  }
  if (raw.certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(raw.certificateArn)) {
    throw new Error('certificateArn must be an ACM certificate in us-east-1 (CloudFront only uses that region)');
  }
  if (raw.hostedZoneId && !raw.domainName) {
    throw new Error('hostedZoneId needs domainName (and certificateArn): it is where the alias for domainName goes');
  }
  if (raw.hostedZoneId && !/^Z[A-Z0-9]{1,31}$/.test(raw.hostedZoneId)) {
    throw new Error(
      `hostedZoneId "${raw.hostedZoneId}" is not a Route 53 hosted zone id (Z followed by letters and digits)`,
    );
  }

  const ses = parseSes(raw);
  if (raw.alarmEmail && !isEmail(raw.alarmEmail))
    throw new Error(`alarmEmail "${raw.alarmEmail}" is not an e-mail address`);
  if (raw.originSecretVersion && !/^[A-Za-z0-9-]{32,64}$/.test(raw.originSecretVersion)) {
    throw new Error('originSecretVersion must be a Secrets Manager VersionId (as printed by put-secret-value)');
  }

  return {
    stage,
    kinesisMode,
    shardCount: integer('shardCount', raw.shardCount, DEFAULTS.shardCount, 1, 500),
    streamRetentionHours: integer(
      'streamRetentionHours',
      raw.streamRetentionHours,
      DEFAULTS.streamRetentionHours,
      STREAM_RETENTION_HOURS.min,
      STREAM_RETENTION_HOURS.max,
    ),
    logRetentionDays,
    removalPolicy,
    terminationProtection: flag('terminationProtection', raw.terminationProtection, removalPolicy === 'retain'),
    quotas: {
      linksPerDay: integer('linksPerDay', raw.linksPerDay, DEFAULT_QUOTAS.linksPerDay, 1, 1_000_000),
      bulkRowsPerDay: integer('bulkRowsPerDay', raw.bulkRowsPerDay, DEFAULT_QUOTAS.bulkRowsPerDay, 1, 10_000_000),
      requestsPerMinute: integer(
        'requestsPerMinute',
        raw.requestsPerMinute,
        DEFAULT_QUOTAS.requestsPerMinute,
        1,
        100_000,
      ),
    },
    blockedHosts: parseBlockedHosts(raw.blockedHosts),
    waf: flag('waf', raw.waf, DEFAULTS.waf),
    reservedConcurrency: parseReservedConcurrency(raw.reservedConcurrency),
    ...(raw.domainName ? { domainName: raw.domainName.toLowerCase(), certificateArn: raw.certificateArn } : {}),
    ...(raw.hostedZoneId ? { hostedZoneId: raw.hostedZoneId } : {}),
    ...(ses ? { ses } : {}),
    ...(raw.alarmEmail ? { alarmEmail: raw.alarmEmail } : {}),
    ...(raw.originSecretVersion ? { originSecretVersion: raw.originSecretVersion } : {}),
  };
}

function parseSes(raw: RawConfig): SesSender | undefined {
  if (!raw.sesFromEmail) {
    if (raw.sesVerifiedDomain || raw.sesRegion) throw new Error('sesVerifiedDomain and sesRegion need sesFromEmail');
    return undefined;
  }
  if (!isEmail(raw.sesFromEmail)) throw new Error(`sesFromEmail "${raw.sesFromEmail}" is not an e-mail address`);
  const domain = raw.sesVerifiedDomain?.toLowerCase();
  if (domain !== undefined) {
    if (!isHostName(domain)) throw new Error(`sesVerifiedDomain "${domain}" is not a domain name`);
    if (!raw.sesFromEmail.toLowerCase().endsWith(`@${domain}`)) {
      throw new Error(`sesFromEmail must be an address at sesVerifiedDomain (${domain})`);
    }
  }
  if (raw.sesRegion && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(raw.sesRegion)) {
    throw new Error(`sesRegion "${raw.sesRegion}" is not an AWS region name`);
  }
  return {
    fromEmail: raw.sesFromEmail,
    ...(domain ? { verifiedDomain: domain } : {}),
    ...(raw.sesRegion ? { region: raw.sesRegion } : {}),
  };
}

function parseBlockedHosts(value: string | undefined): string[] {
  if (value === undefined) return [];
  const hosts = value
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    if (!isHostName(host.startsWith('.') ? host.slice(1) : host, { allowSingleLabel: true })) {
      throw new Error(
        `blockedHosts: "${host}" is not a host name (use example.com, or .example.com for every host under it)`,
      );
    }
  }
  if (hosts.join(',').length > MAX_BLOCKED_HOSTS_CHARS) {
    throw new Error(
      `blockedHosts is longer than ${MAX_BLOCKED_HOSTS_CHARS} characters (Lambda environments hold 4 KB in all)`,
    );
  }
  return hosts;
}

function parseReservedConcurrency(value: string | undefined): Record<string, number> {
  const reserved: Record<string, number> = {};
  if (value === undefined) return reserved;
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry);
    if (!match) throw new Error(`reservedConcurrency: "${entry}" is not <function>=<count>`);
    const [, name = '', count = ''] = match;
    if (!FUNCTION_NAMES.includes(name)) {
      throw new Error(`reservedConcurrency: unknown function "${name}"; functions: ${FUNCTION_NAMES.join(', ')}`);
    }
    if (name in reserved) throw new Error(`reservedConcurrency: "${name}" is given twice`);
    reserved[name] = integer(`reservedConcurrency for ${name}`, count, 0, 0, 10_000);
  }
  return reserved;
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new Error(`${name} must be a whole number; got "${value}"`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new Error(`${name} must be between ${min} and ${max}; got ${parsed}`);
  return parsed;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return oneOf(name, value.toLowerCase(), ['true', 'false'] as const) === 'true';
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (!match) throw new Error(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return match;
}

function isHostName(value: string, options: { allowSingleLabel?: boolean } = {}): boolean {
  if (options.allowSingleLabel && /^[a-z0-9-]{1,63}$/i.test(value)) return true;
  return /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(value);
}

function isEmail(value: string): boolean {
  const [local, domain, ...rest] = value.split('@');
  return rest.length === 0 && Boolean(local) && /^[^\s@]+$/.test(local ?? '') && isHostName(domain ?? '');
}
