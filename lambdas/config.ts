// What a function is configured with: resource names from its environment (set by the CDK stack),
// emulator endpoints and keys in local mode. Imports nothing from AWS, so every entry can read it.
import { ENV } from './declarations/runtime.ts';

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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return {
    tableName: required(env, ENV.tableName),
    streamName: env[ENV.streamName] ?? '',
    selfOrigins: (env[ENV.selfOrigins] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
