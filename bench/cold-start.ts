// Cold starts and warm invocations of every function under the Lambda runtime harness (AWS's runtime
// interface client, our Runtime/Extensions API emulator, dynalite and kinesalite), against two
// references on the same harness: a hello-world function (the floor of any init) and a function that
// does one bare GetItem (the floor of a redirect's work). Also the hold of a redirect whose every click
// put is throttled. Medians of repeated cold starts, all in one run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { CLICK_PUT } from '../lambdas/domain/click.ts';
import { FUNCTION_ENTRIES, type FunctionEntry, functionBundling } from '../lib/stack/shortener-function.ts';
import { deployedFunctions } from '../test/runtime/functions.ts';
import { type FunctionConfig, type InvokeReport, LambdaEmulator } from '../test/runtime/lambda-emulator.ts';
import { apiEvent, redirectEvent, startWorld, type World } from '../test/runtime/world.ts';
import { median, quantile } from './stats.ts';

export interface ColdStartRow {
  name: string;
  initMs: number;
  /** CPU time of the init: what the wall time is on an idle machine, unmoved by other processes' load. */
  initCpuMs: number;
  /** Cold invocation: invoke to response posted. */
  firstResponseMs: number;
  /** Warm invocations: invoke to response posted, and the whole invocation (after-response work included). */
  warmResponseMs: number;
  warmDurationMs: number;
}

export interface ColdStartResult {
  rows: ColdStartRow[];
  hello: ColdStartRow;
  getItem: ColdStartRow;
  throttledHold: { n: number; p50: number; p99: number; max: number };
}

const HELLO = 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n';
const GET_ITEM = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) => {
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.LINKS_TABLE, Key: { link: { S: event.pathParameters.link } } }));
  return { statusCode: 301, headers: { location: Item.url.S } };
};
`;

/** Builds a reference function as the stack bundles ours (`functionBundling()`). */
async function referenceFunction(
  dir: string,
  name: string,
  source: string,
  like: FunctionConfig,
): Promise<FunctionConfig> {
  const codeDir = path.join(dir, name);
  await mkdir(codeDir, { recursive: true });
  const entry = path.join(dir, `${name}.mjs`);
  await writeFile(entry, source);
  const bundling = functionBundling();
  await build({
    ...bundling,
    mainFields: [...bundling.mainFields],
    entryPoints: [entry],
    outfile: path.join(codeDir, 'index.mjs'),
    nodePaths: [path.join(process.cwd(), 'node_modules')],
    logLevel: 'silent',
  });
  return { ...like, name, codeDir };
}

export async function measureColdStarts(coldStarts = 15, warmPerStart = 4, burst = 200): Promise<ColdStartResult> {
  const { functions } = deployedFunctions();
  // Over TLS, as on AWS: both the SDK and the redirect's lean client load Node's TLS and shake hands.
  const world: World = await startWorld({ tls: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shortener-cold-'));
  try {
    const caller = 'bench-user';
    await world.putLink('bench001', 'https://example.com/bench', caller);
    const withWorld = (config: FunctionConfig): FunctionConfig => ({
      ...config,
      environment: { ...config.environment, ...world.endpoints },
    });
    const events: Record<FunctionEntry, () => unknown> = {
      redirect: () => redirectEvent('bench001'),
      'create-link': () =>
        apiEvent('POST', 'POST /links', '/links', { caller, body: JSON.stringify({ url: 'https://example.com/x' }) }),
      'bulk-create-links': () =>
        apiEvent('POST', 'POST /links/bulk', '/links/bulk', {
          caller,
          body: JSON.stringify({ links: [{ url: 'https://example.com/x' }] }),
        }),
      'list-links': () => apiEvent('GET', 'GET /links', '/links', { caller }),
      'get-link': () =>
        apiEvent('GET', 'GET /links/{link}', '/links/bench001', { caller, pathParameters: { link: 'bench001' } }),
      'edit-link': () =>
        apiEvent('PATCH', 'PATCH /links/{link}', '/links/bench001', {
          caller,
          pathParameters: { link: 'bench001' },
          body: JSON.stringify({ url: 'https://example.com/bench' }),
        }),
      'moderate-link': () =>
        apiEvent('POST', 'POST /links/{link}/disable', '/links/nothere1/disable', {
          caller,
          pathParameters: { link: 'nothere1' },
          body: JSON.stringify({ reason: 'bench' }),
        }),
      openapi: () => apiEvent('GET', 'GET /openapi.json', '/openapi.json'),
      'delete-link': () =>
        apiEvent('DELETE', 'DELETE /links/{link}', '/links/nothere1', { caller, pathParameters: { link: 'nothere1' } }),
      'link-stats': () =>
        apiEvent('GET', 'GET /links/{link}/stats', '/links/bench001/stats', {
          caller,
          pathParameters: { link: 'bench001' },
        }),
      'not-allowed': () => apiEvent('PUT', 'ANY /links', '/links'),
      'count-clicks': () => ({ Records: [] }),
    };
    interface Subject {
      name: string;
      config: FunctionConfig;
      event: () => unknown;
      inits: number[];
      initCpus: number[];
      firsts: number[];
      warmResponses: number[];
      warmDurations: number[];
    }
    const like = withWorld(functions.redirect);
    const subjects: Subject[] = [
      { name: 'hello-world', config: await referenceFunction(dir, 'hello', HELLO, like), event: () => ({}) },
      {
        name: 'bare GetItem',
        config: await referenceFunction(dir, 'get-item', GET_ITEM, like),
        event: () => redirectEvent('bench001'),
      },
      ...FUNCTION_ENTRIES.map((entry) => ({ name: entry, config: withWorld(functions[entry]), event: events[entry] })),
      // Node's compile cache, as if the bundle shipped with one: Lambda's /tmp starts empty on every cold
      // start, so the cache could only help if it were built at deploy time. Measured to see if that pays.
      {
        name: 'redirect, warm compile cache',
        config: { ...like, environment: { ...like.environment, NODE_COMPILE_CACHE: path.join(dir, 'cache') } },
        event: events.redirect,
      },
    ].map((subject) => ({ ...subject, inits: [], initCpus: [], firsts: [], warmResponses: [], warmDurations: [] }));

    // Round robin, so that a change in the machine's load weighs on every function alike.
    for (let i = 0; i < coldStarts; i++) {
      for (const subject of subjects) {
        const fn = await LambdaEmulator.start(subject.config);
        try {
          const cold = await fn.invoke(subject.event());
          check(subject.name, cold);
          subject.inits.push(cold.initDurationMs ?? Number.NaN);
          subject.initCpus.push(cold.initCpuMs ?? Number.NaN);
          subject.firsts.push(responseMs(cold));
          // Warm figures from every environment, so that they too are spread over the whole run.
          for (let w = 0; w < warmPerStart; w++) {
            const warm = await fn.invoke(subject.event());
            check(subject.name, warm);
            subject.warmResponses.push(responseMs(warm));
            subject.warmDurations.push(warm.durationMs);
          }
        } finally {
          await fn.close();
        }
      }
    }
    const [hello, getItem, ...rows] = subjects.map(
      (subject): ColdStartRow => ({
        name: subject.name,
        initMs: median(subject.inits),
        initCpuMs: median(subject.initCpus),
        firstResponseMs: median(subject.firsts),
        warmResponseMs: median(subject.warmResponses),
        warmDurationMs: median(subject.warmDurations),
      }),
    ) as [ColdStartRow, ColdStartRow, ...ColdStartRow[]];

    // A burst of redirects in one warm environment while Kinesis throttles every put.
    const redirect = await LambdaEmulator.start(withWorld(functions.redirect));
    const holds: number[] = [];
    try {
      check('redirect', await redirect.invoke(redirectEvent('bench001')));
      world.proxy.fault = { kind: 'throttle' };
      for (let i = 0; i < burst; i++) {
        const report = await redirect.invoke(redirectEvent('bench001'));
        check('redirect', report);
        holds.push(report.durationMs);
      }
    } finally {
      world.proxy.fault = { kind: 'none' };
      await redirect.close();
    }
    return {
      rows,
      hello,
      getItem,
      throttledHold: { n: holds.length, p50: median(holds), p99: quantile(holds, 0.99), max: Math.max(...holds) },
    };
  } finally {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const responseMs = (report: InvokeReport) => (report.respondedAt ?? report.endedAt) - report.invokedAt;

function check(name: string, report: InvokeReport): void {
  if (report.status !== 'success') throw new Error(`${name}: ${report.status} ${JSON.stringify(report.response)}`);
}

/** The bound a throttled redirect's hold is judged against; a hanging stream is bounded by attempts × deadline. */
export const THROTTLED_HOLD_GOAL_MS = 300;
export const HANGING_STREAM_HOLD_MS = CLICK_PUT.attempts * CLICK_PUT.attemptDeadlineMs;
