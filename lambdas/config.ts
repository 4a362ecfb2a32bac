// What a function is configured with: resource names from its environment (set by the CDK stack),
// emulator endpoints and keys in local mode. Imports nothing from AWS, so every entry can read it.
import { ENV } from './declarations/runtime.ts';
import type { DestinationPolicy } from './domain/destination.ts';
import type { Limits } from './domain/limits.ts';
import { DEFAULT_LIMITS } from './domain/rules.ts';

export interface RuntimeConfig {
  region?: string;
  tableName: string;
  streamName: string;
  /** Emulator endpoints in local mode; unset on AWS. */
  endpoints?: { dynamodb?: string; kinesis?: string };
  /** The emulators' fixed keys in local mode; unset on AWS (the function's role is used). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Origins besides the one a request arrives on that count as the shortener itself. */
  selfOrigins: readonly string[];
  /** Refused destination hosts (`host`, `.host`). Default none. */
  blockedHosts?: readonly string[];
  /** Accept other URL shorteners as destinations. Default false. */
  allowOtherShorteners?: boolean;
  /** Local mode only: loopback destinations allowed for development. Never read from the environment. */
  allowLoopbackDestinations?: boolean;
  /** Per-user limits; each one unset takes its default from DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return {
    tableName: required(env, ENV.tableName),
    streamName: env[ENV.streamName] ?? '',
    selfOrigins: list(env[ENV.selfOrigins]),
    ...publicSafetyFromEnv(env),
  };
}

/** Destination policy and limits from the environment: on AWS set by the stack, locally by the developer. */
export function publicSafetyFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<RuntimeConfig, 'blockedHosts' | 'allowOtherShorteners' | 'limits'> {
  const limits: Partial<Limits> = {};
  for (const name of ['linksPerDay', 'bulkRowsPerDay', 'requestsPerMinute'] as const) {
    const variable = ENV[name];
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    if (!/^\d{1,9}$/.test(raw)) throw new Error(`environment variable ${variable} must be a whole number, not ${raw}`);
    limits[name] = Number(raw);
  }
  return {
    blockedHosts: list(env[ENV.blockedHosts]),
    allowOtherShorteners: env[ENV.allowOtherShorteners] === 'true',
    limits,
  };
}

export const limitsOf = (config: RuntimeConfig): Limits => ({ ...DEFAULT_LIMITS, ...config.limits });

export const destinationPolicyOf = (config: RuntimeConfig): DestinationPolicy => ({
  selfOrigins: config.selfOrigins,
  blockedHosts: config.blockedHosts ?? [],
  refuseShorteners: !config.allowOtherShorteners,
  allowLoopback: config.allowLoopbackDestinations ?? false,
});

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
