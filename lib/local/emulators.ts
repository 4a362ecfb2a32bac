// The three wire-protocol emulators local mode runs in its one process (dynalite and kinesalite on
// worker threads), each bound to 127.0.0.1 and persisting under the data folder, so that a restart
// keeps links, clicks and users.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export const LOOPBACK = '127.0.0.1';

export interface RunningEmulator {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0 = any free one) on the loopback interface. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting, lets requests under way finish (for at most `graceMs`), then closes every connection. */
export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * dynalite and kinesalite run in worker threads of this process: both are CPU-bound JavaScript, and
 * kinesalite serialises every PutRecord of a stream, so on the main thread a burst of redirects would
 * queue click puts behind the gateway's own work. The script is CommonJS so it needs no TS loader.
 */
const WORKER_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require(workerData.module)(workerData.options);
server.once('error', (error) => parentPort.postMessage({ error: { message: error.message, code: error.code } }));
server.listen(0, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => server.close(() => parentPort.close()));
`;

function startInWorker(moduleName: string, options: Record<string, unknown>): Promise<RunningEmulator> {
  const modulePath = createRequire(import.meta.url).resolve(moduleName);
  const worker = new Worker(WORKER_SCRIPT, { eval: true, workerData: { module: modulePath, options, host: LOOPBACK } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: { message: string } }) => {
      if (!message.port) return reject(new Error(`${moduleName} failed to start: ${message.error?.message}`));
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      resolve({
        endpoint: `http://${LOOPBACK}:${message.port}`,
        port: message.port,
        close: async () => {
          // The emulator closes its database with its server, so the next start can open it again.
          worker.postMessage('close');
          await exited;
        },
      });
    });
  });
}

export function startDynalite(dataDir: string): Promise<RunningEmulator> {
  return startInWorker('dynalite', {
    path: path.join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
}

export function startKinesalite(dataDir: string): Promise<RunningEmulator> {
  return startInWorker('kinesalite', {
    path: path.join(dataDir, 'kinesis'),
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
  });
}

/** Just enough of pino's log record for the filter below. */
interface PinoRecord {
  level: number;
  msg?: string;
  err?: { message?: string };
}

const PINO_WARN = 40;

/**
 * cognito-local only prints confirmation codes at info level, alongside request noise. Info lines
 * (codes and little else) go out as they are; its warnings are users' own mistakes (wrong password,
 * unconfirmed user) already answered over HTTP, so they are dropped; errors become one line each.
 */
function cognitoLogLine(record: PinoRecord): string | undefined {
  if (record.level < PINO_WARN) return record.msg;
  if (record.level === PINO_WARN) return undefined;
  return `cognito-local: ${record.msg ?? 'error'}${record.err?.message ? `: ${record.err.message}` : ''}`;
}

/**
 * Starts cognito-local with its data under `<dataDir>/cognito` (absolute paths, so the process
 * working directory does not matter) and an issuer that names the port actually bound. The server
 * is assembled from cognito-local's own parts, as its `createDefaultServer` does, because that one
 * reads its folder relative to the working directory and its issuer from the environment at import.
 */
export async function startCognitoLocal(
  dataDir: string,
  preferredPort: number,
  log: (line: string) => void,
): Promise<RunningEmulator> {
  // cognito-local depends on the AWS SDK v2, whose end-of-support notice is not for our users.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const require = createRequire(import.meta.url);
  const fromCognito = createRequire(require.resolve('cognito-local'));
  const pino = fromCognito('pino');
  const { createServer } = require('cognito-local/lib/server/server');
  const { Router } = require('cognito-local/lib/server/Router');
  const { DefaultConfig } = require('cognito-local/lib/server/config');
  const services = require('cognito-local/lib/services');
  const { CognitoServiceFactoryImpl } = require('cognito-local/lib/services/cognitoService');
  const { UserPoolServiceFactoryImpl } = require('cognito-local/lib/services/userPoolService');
  const { StormDBDataStoreFactory } = require('cognito-local/lib/services/dataStore/stormDb');
  const { CryptoService } = require('cognito-local/lib/services/crypto');
  const { MessageDeliveryService } = require('cognito-local/lib/services/messageDelivery/messageDelivery');
  const { ConsoleMessageSender } = require('cognito-local/lib/services/messageDelivery/consoleMessageSender');
  const { otp } = require('cognito-local/lib/services/otp');
  const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator');

  const logger = pino(
    { level: 'info' },
    {
      write(json: string) {
        const line = cognitoLogLine(JSON.parse(json) as PinoRecord);
        if (line) log(line);
      },
    },
  );
  const ctx = { logger };
  const dataDirectory = path.join(dataDir, 'cognito', 'db');
  const tokenConfig = { IssuerDomain: '' };
  const serverConfig = { ...DefaultConfig.ServerConfig, hostname: LOOPBACK, port: preferredPort, development: false };

  const clock = new services.DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, DefaultConfig.UserPoolDefaults);
  // No Lambda triggers are configured, so the Lambda client is never called.
  const triggers = new services.TriggersService(
    clock,
    cognito,
    new services.LambdaService({}, {}),
    new CryptoService(DefaultConfig.KMSConfig),
  );
  const cognitoServices = {
    clock,
    cognito,
    config: { ...DefaultConfig, TokenConfig: tokenConfig, ServerConfig: serverConfig },
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    // Holds `tokenConfig` by reference: the issuer is filled in once the port is known, before any request.
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
    triggers,
  };
  const { application } = createServer(Router(cognitoServices), logger, serverConfig, cognitoServices);
  const server = (await import('node:http')).createServer(application);
  let port: number;
  try {
    port = await listen(server, preferredPort);
  } catch (error) {
    if (preferredPort === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // The port of the last run is taken: tokens issued then stop verifying, everything else carries on.
    port = await listen(server, 0);
  }
  tokenConfig.IssuerDomain = `http://${LOOPBACK}:${port}`;
  return { endpoint: tokenConfig.IssuerDomain, port, close: () => closeServer(server) };
}
