// The whole shortener in one process: emulators, table/stream/user pool, the Lambda handlers behind
// the local gateway, and the stream poller feeding the click consumer. `bin/local.ts` and the
// integration, browser and fault tests all start it through `startLocalSystem`.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type Application,
  composeApplication,
  type Decorators,
  kinesisClient,
  publicSafetyFromEnv,
  type RuntimeConfig,
} from '../../lambdas/composition.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import type { Limits } from '../../lambdas/domain/limits.ts';
import { jwtAuthorizer } from './authorizer.ts';
import {
  closeServer,
  LOOPBACK,
  listen,
  type RunningEmulator,
  startCognitoLocal,
  startDynalite,
  startKinesalite,
} from './emulators.ts';
import { createGateway, type Gateway, type PageConfig, sendJson } from './gateway.ts';
import { ensureStream, ensureTable, ensureUserPool, readState, writeState } from './provision.ts';
import { type ConsumerSettings, type StreamPoller, startStreamPoller } from './stream-poller.ts';

export type { PageConfig } from './gateway.ts';
export type { ConsumerSettings } from './stream-poller.ts';

export interface LocalSystemOptions {
  /** Gateway port on 127.0.0.1; 0 picks a free one. Default 3000. */
  port?: number;
  /** Where emulator data, IDs, checkpoints and failed batches live. Default `.local` in the working directory. */
  dataDir?: string;
  /** Fault-injection seams passed to the composition root. */
  decorators?: Decorators;
  /** Overrides of the event source mapping settings, e.g. a shorter batching window in tests. */
  consumer?: Partial<ConsumerSettings>;
  /** Where local mode's own lines go (confirmation codes, failures). Default `console.log`. */
  log?: (line: string) => void;
  /**
   * Per-user limits over those of the environment (`QUOTA_LINKS_PER_DAY`, …) and the defaults, e.g.
   * a tiny quota in a test.
   */
  limits?: Partial<Limits>;
}

export interface LocalSystem {
  url: string;
  port: number;
  pageConfig: PageConfig;
  endpoints: { dynamodb: string; kinesis: string; cognito: string };
  dataDir: string;
  stop(): Promise<void>;
}

/** The emulators accept any keys; these fixed ones exist only so the SDK can sign requests. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const FRONTEND_DIR = fileURLToPath(new URL('../../frontend', import.meta.url));

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const dataDir = path.resolve(options.dataDir ?? '.local');
  const log = options.log ?? ((line: string) => console.log(line));
  await mkdir(dataDir, { recursive: true });

  // The gateway takes its port first: a port already in use fails in milliseconds, before anything
  // starts. Until everything is ready it answers 503.
  let gateway: Gateway | undefined;
  const server = createServer((req, res) => {
    if (gateway) return gateway.listener(req, res);
    res.setHeader('retry-after', '1');
    sendJson(res, 503, { error: 'starting up' });
  });
  const port = await listen(server, options.port ?? 3000);
  const url = `http://${LOOPBACK}:${port}`;

  const started: RunningEmulator[] = [];
  let poller: StreamPoller | undefined;
  const stopAll = async () => {
    await poller?.stop();
    await closeServer(server);
    await gateway?.idle();
    await Promise.all(started.map((emulator) => emulator.close()));
  };

  try {
    const safety = publicSafetyFromEnv(process.env);
    const state = await readState(dataDir);
    const [dynamodb, kinesis, cognito] = await Promise.all([
      startDynalite(dataDir),
      startKinesalite(dataDir),
      startCognitoLocal(dataDir, state.cognitoPort ?? 0, log),
    ]);
    started.push(dynamodb, kinesis, cognito);

    const config: RuntimeConfig = {
      region: LOCAL_NAMES.region,
      tableName: LOCAL_NAMES.table,
      streamName: LOCAL_NAMES.stream,
      endpoints: { dynamodb: dynamodb.endpoint, kinesis: kinesis.endpoint },
      credentials: LOCAL_CREDENTIALS,
      selfOrigins: [url, `http://localhost:${port}`],
      // Same rules as on AWS (quotas, blocklist, other shorteners), except that development servers
      // on loopback are fine as destinations.
      ...safety,
      limits: { ...safety.limits, ...options.limits },
      allowLoopbackDestinations: true,
    };
    const dynamoClient = new DynamoDBClient({
      region: config.region,
      endpoint: dynamodb.endpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    const streamClient = kinesisClient(config);
    const [, streamArn, ids] = await Promise.all([
      ensureTable(dynamoClient, config.tableName),
      ensureStream(streamClient, config.streamName),
      ensureUserPool(cognito.endpoint, state),
    ]);
    await writeState(dataDir, { cognitoPort: cognito.port, ...ids });
    dynamoClient.destroy();

    const app: Application = composeApplication(config, options.decorators);
    const pageConfig: PageConfig = {
      region: LOCAL_NAMES.region,
      cognito: { endpoint: `${cognito.endpoint}/`, userPoolId: ids.userPoolId, clientId: ids.clientId },
    };
    gateway = createGateway({
      app,
      authorizer: jwtAuthorizer({ issuer: `${cognito.endpoint}/${ids.userPoolId}`, clientId: ids.clientId }),
      pageConfig,
      frontendDir: FRONTEND_DIR,
      log,
    });
    poller = await startStreamPoller({
      kinesis: streamClient,
      streamName: config.streamName,
      streamArn,
      region: LOCAL_NAMES.region,
      handler: app.countClicks,
      dataDir,
      consumer: options.consumer,
      log,
    });

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      pageConfig,
      endpoints: { dynamodb: dynamodb.endpoint, kinesis: kinesis.endpoint, cognito: cognito.endpoint },
      dataDir,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
