// One construct that holds every function default, so the six functions differ only in what they are
// (entry, memory, environment) and what they may touch (their grants).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_FUNCTION_NAMES, type ApiFunctionName } from '../../lambdas/declarations/routes.ts';

/** The Lambda entry points in `lambdas/entry/`; the CDK bundles exactly these. */
export const FUNCTION_ENTRIES = [...API_FUNCTION_NAMES, 'count-clicks'] as const;
export type FunctionEntry = ApiFunctionName | 'count-clicks';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime this aws-cdk-lib knows. Picked from `Runtime.ALL` rather than hard-coded,
 * so upgrading the CDK upgrades the functions (cdk-nag L1 checks against the same list).
 */
export function latestNodeRuntime(): lambda.Runtime {
  const version = (runtime: lambda.Runtime) => Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1] ?? -1);
  const newest = lambda.Runtime.ALL.filter((runtime) => version(runtime) > 0).sort(
    (a, b) => version(b) - version(a),
  )[0];
  if (!newest) throw new Error('aws-cdk-lib knows no Node.js runtime');
  return newest;
}

/**
 * ESM output lets the redirect entry use top-level await; bundled CommonJS dependencies still call
 * `require`, which ESM lacks, so the banner recreates it.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Every Node.js built-in a bundle uses, taken through its CommonJS object (`lambdas/builtins/<name>.cjs`) instead of
 * being imported. Importing a built-in from ESM makes Node build its ESM wrapper, which reads every export: for
 * node:http that runs the WebSocket, CloseEvent and MessageEvent getters, which load undici (about 30 ms of CPU
 * under Node 24); node:process, node:fs and node:util cost a few ms more. The CommonJS object reads nothing until
 * used. A bundle test fails on any built-in still imported, naming it: add its file to `lambdas/builtins/`.
 */
export const COMMONJS_BUILTINS: Record<string, string> = Object.fromEntries(
  readdirSync(`${PROJECT_ROOT}lambdas/builtins`)
    .filter((file) => file.endsWith('.cjs'))
    .flatMap((file) => {
      const name = file.slice(0, -'.cjs'.length).replace('-', '/');
      const shim = `${PROJECT_ROOT}lambdas/builtins/${file}`;
      return [
        [name, shim],
        [`node:${name}`, shim],
      ];
    }),
);

/**
 * How every function is bundled, in esbuild's own terms: the stack hands these to CDK's bundling, and the
 * benchmarks bundle with them through esbuild's API, so what they measure is what deploys.
 */
export function functionBundling() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${/^nodejs(\d+)\.x$/.exec(latestNodeRuntime().name)?.[1]}`,
    minify: true,
    // The SDK is bundled: one pinned version everywhere, and a smaller cold start than the runtime's copy.
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: COMMONJS_BUILTINS,
  } as const;
}

export interface ShortenerFunctionProps {
  readonly entry: FunctionEntry;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Reserved concurrency (a floor and a ceiling); unset: the function draws on the account's unreserved pool. */
  readonly reservedConcurrency?: number;
}

export class ShortenerFunction extends Construct {
  readonly function: NodejsFunction;
  /** The function's own role: it starts with nothing but writing its own log group. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ShortenerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // An own role instead of the default one, which would attach the managed AWSLambdaBasicExecutionRole
    // (logs on every log group of the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.entry} function: its log group and the actions it uses, nothing else`,
    });
    this.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);

    const bundling = functionBundling();
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}lambdas/entry/${props.entry}.ts`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: latestNodeRuntime(),
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      // INFO keeps Lambda's per-invocation report lines (duration, memory, init time of cold starts).
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: props.environment,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      bundling: {
        format: OutputFormat.ESM,
        minify: bundling.minify,
        sourceMap: false,
        externalModules: [],
        mainFields: [...bundling.mainFields],
        banner: bundling.banner.js,
        esbuildArgs: { '--alias': Object.entries(bundling.alias).map(([name, shim]) => `${name}=${shim}`) },
        forceDockerBundling: false,
      },
    });
  }

  /** Adds one least-privilege statement: exactly these actions on exactly these resources. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  }
}

export const API_FUNCTION_TIMEOUT = Duration.seconds(10);
