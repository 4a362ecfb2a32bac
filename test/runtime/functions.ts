// The functions as the stack deploys them: the CDK app is synthesized with real bundling (the same
// esbuild step `cdk synth` runs, so this works on a fresh clone before any synth), and each function's
// code folder, handler, memory, timeout, environment and logging settings are read from the template.
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { FUNCTION_ENTRIES, type FunctionEntry } from '../../lib/stack/shortener-function.ts';
import { resourcesOfType, synthesize } from '../cdk/synth.ts';
import type { FunctionConfig } from './lambda-emulator.ts';

/** What the functions get where the stack resolves a Secrets Manager value at deploy time (the origin secret). */
export const HARNESS_SECRET = 'harness-origin-secret';

export interface DeployedFunctions {
  /** Each function's configuration, with resource references resolved to the local table and stream. */
  functions: Record<FunctionEntry, FunctionConfig>;
  /** The asset folder (`asset.<hash>`) each function's code was bundled into. */
  outdir: string;
}

let synthesized: DeployedFunctions | undefined;

/** Synthesizes once per test file (bundling takes a few seconds) and shares the result. */
export function deployedFunctions(): DeployedFunctions {
  if (synthesized) return synthesized;
  // Bundling must work with the local esbuild alone: any attempt to run Docker fails.
  const docker = process.env.CDK_DOCKER;
  process.env.CDK_DOCKER = '/bin/false';
  let result: ReturnType<typeof synthesize>;
  try {
    result = synthesize({}, { bundle: true });
  } finally {
    if (docker === undefined) delete process.env.CDK_DOCKER;
    else process.env.CDK_DOCKER = docker;
  }
  const { app, stack, template } = result;
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const localName = (logicalId: string): string => {
    const type = resources[logicalId]?.Type ?? '';
    if (type.startsWith('AWS::DynamoDB::')) return LOCAL_NAMES.table;
    if (type === 'AWS::Kinesis::Stream') return LOCAL_NAMES.stream;
    throw new Error(`no local stand-in for ${type} (${logicalId})`);
  };
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: string }).Ref;
    if (ref) return localName(ref);
    // A dynamic reference CloudFormation resolves at deploy time ({{resolve:secretsmanager:…}}).
    if (JSON.stringify(value).includes('{{resolve:secretsmanager:')) return HARNESS_SECRET;
    throw new Error(`cannot resolve ${JSON.stringify(value)} locally`);
  };
  const templateFunctions = resourcesOfType(template, 'AWS::Lambda::Function');
  const functions = {} as Record<FunctionEntry, FunctionConfig>;
  for (const entry of FUNCTION_ENTRIES) {
    const logicalId = stack.getLogicalId(
      stack.functions[entry].function.node.defaultChild as Parameters<typeof stack.getLogicalId>[0],
    );
    const properties = templateFunctions[logicalId]?.Properties;
    if (!properties) throw new Error(`no function ${logicalId} for ${entry}`);
    const code = properties.Code as { S3Key: string };
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
      {}) as Record<string, unknown>;
    const environment = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)]));
    const logging = properties.LoggingConfig as { LogFormat?: 'JSON' | 'Text'; ApplicationLogLevel?: string };
    functions[entry] = {
      name: entry,
      codeDir: join(app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`),
      handler: properties.Handler as string,
      memoryMb: properties.MemorySize as number,
      timeoutMs: (properties.Timeout as number) * 1000,
      environment,
      logFormat: logging.LogFormat,
      logLevel: logging.ApplicationLogLevel,
    };
  }
  synthesized = { functions, outdir: app.outdir };
  return synthesized;
}
