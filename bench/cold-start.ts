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
import { ESM_REQUIRE_BANNER, FUNCTION_ENTRIES, type FunctionEntry } from '../lib/stack/shortener-function.ts';
import { deployedFunctions } from '../test/runtime/functions.ts';
import { type FunctionConfig, type InvokeReport, LambdaEmulator } from '../test/runtime/lambda-emulator.ts';
import { apiEvent, redirectEvent, startWorld, type World } from '../test/runtime/world.ts';
import { median, quantile } from './stats.ts';

export interface ColdStartRow {
  name: string;
  initMs: number;
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

/** Builds a reference function as the stack bundles ours (minified ESM, SDK inside, same banner). */
async function referenceFunction(dir: string, name: string, source: string, like: FunctionConfig): Promise<FunctionConfig> {
  const codeDir = path.join(dir, name);
  await mkdir(codeDir, { recursive: true });
  const entry = path.join(dir, `${name}.mjs`);
  await writeFile(entry, source);
  await build({
    entryPoints: [entry],
    outfile: path.join(codeDir, 'index.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    nodePaths: [path.join(process.cwd(), 'node_modules')],
    logLevel: 'silent',
  });
  return { ...like, name, codeDir };
}

export async function measureColdStarts(coldStarts = 9, warmInvocations = 30, burst = 200): Promise<ColdStartResult> {
  const { functions } = deployedFunctions();
  const world: World = await startWorld();
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
      'list-links': () => apiEvent('GET', 'GET /links', '/links', { caller }),
      'delete-link': () =>
        apiEvent('DELETE', 'DELETE /links/{link}', '/links/nothere1', { caller, pathParameters: { link: 'nothere1' } }),
      'not-allowed': () => apiEvent('PUT', 'ANY /links', '/links'),
      'count-clicks': () => ({ Records: [] }),
    };
    const measure = async (name: string, config: FunctionConfig, event: () => unknown): Promise<ColdStartRow> => {
      const inits: number[] = [];
      const firsts: number[] = [];
      const warmResponses: number[] = [];
      const warmDurations: number[] = [];
      for (let i = 0; i < coldStarts; i++) {
        const fn = await LambdaEmulator.start(config);
        try {
          const cold = await fn.invoke(event());
          check(name, cold);
          inits.push(cold.initDurationMs ?? Number.NaN);
          firsts.push(responseMs(cold));
          // Warm figures from the first environment only; every cold start adds to the init median.
          for (let w = 0; i === 0 && w < warmInvocations; w++) {
            const warm = await fn.invoke(event());
            check(name, warm);
            warmResponses.push(responseMs(warm));
            warmDurations.push(warm.durationMs);
          }
        } finally {
          await fn.close();
        }
      }
      return {
        name,
        initMs: median(inits),
        firstResponseMs: median(firsts),
        warmResponseMs: median(warmResponses),
        warmDurationMs: median(warmDurations),
      };
    };

    const like = withWorld(functions.redirect);
    const hello = await measure('hello-world', await referenceFunction(dir, 'hello', HELLO, like), () => ({}));
    const getItem = await measure(
      'bare GetItem',
      await referenceFunction(dir, 'get-item', GET_ITEM, like),
      () => redirectEvent('bench001'),
    );
    const A4F = `import { AwsClient } from 'aws4fetch';
const aws = new AwsClient({ accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN, region: process.env.AWS_REGION, service: 'dynamodb' });
export const handler = async (event) => {
  const r = await aws.fetch(process.env.AWS_ENDPOINT_URL_DYNAMODB, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: JSON.stringify({ TableName: process.env.LINKS_TABLE, Key: { link: { S: event.pathParameters.link } } }) });
  const { Item } = await r.json();
  return { statusCode: 301, headers: { location: Item.url.S } };
};
`;
    const a4f = await measure('aws4fetch GetItem', await referenceFunction(dir, 'a4f', A4F, like), () => redirectEvent('bench001'));
    const RAW = `import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const hash = (data) => createHash('sha256').update(data).digest('hex');
function signedPost(endpoint, target, body) {
  const url = new URL(endpoint);
  const now = new Date().toISOString().replace(/[:-]|\\.\\d{3}/g, '');
  const day = now.slice(0, 8);
  const region = process.env.AWS_REGION;
  const headers = { 'content-type': 'application/x-amz-json-1.0', host: url.host, 'x-amz-date': now, 'x-amz-security-token': process.env.AWS_SESSION_TOKEN, 'x-amz-target': target };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...names.map((n) => n + ':' + headers[n]), '', names.join(';'), hash(body)].join('\\n');
  const scope = day + '/' + region + '/dynamodb/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', now, scope, hash(canonical)].join('\\n');
  let key = hmac('AWS4' + process.env.AWS_SECRET_ACCESS_KEY, day);
  for (const part of [region, 'dynamodb', 'aws4_request']) key = hmac(key, part);
  headers.authorization = 'AWS4-HMAC-SHA256 Credential=' + process.env.AWS_ACCESS_KEY_ID + '/' + scope + ', SignedHeaders=' + names.join(';') + ', Signature=' + createHmac('sha256', key).update(toSign).digest('hex');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => { let t = ''; res.setEncoding('utf8'); res.on('data', (c) => { t += c; }); res.on('end', () => resolve(JSON.parse(t))); });
    req.on('error', reject);
    req.end(body);
  });
}
export const handler = async (event) => {
  const { Item } = await signedPost(process.env.AWS_ENDPOINT_URL_DYNAMODB, 'DynamoDB_20120810.GetItem', JSON.stringify({ TableName: process.env.LINKS_TABLE, Key: { link: { S: event.pathParameters.link } } }));
  return { statusCode: 301, headers: { location: Item.url.S } };
};
`;
    const raw = await measure('node:http GetItem', await referenceFunction(dir, 'raw', RAW, like), () => redirectEvent('bench001'));
    const SMITHY = `import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
class Sha256 { constructor(secret) { this.h = secret ? createHmac('sha256', secret) : createHash('sha256'); } update(d) { this.h.update(d); } digest() { return Promise.resolve(new Uint8Array(this.h.digest())); } }
const signer = new SignatureV4({ service: 'dynamodb', region: process.env.AWS_REGION, sha256: Sha256, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY, sessionToken: process.env.AWS_SESSION_TOKEN } });
export const handler = async (event) => {
  const url = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB);
  const body = JSON.stringify({ TableName: process.env.LINKS_TABLE, Key: { link: { S: event.pathParameters.link } } });
  const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body });
  const Item = await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: signed.headers }, (res) => { let t = ''; res.setEncoding('utf8'); res.on('data', (c) => { t += c; }); res.on('end', () => resolve(JSON.parse(t).Item)); });
    req.on('error', reject);
    req.end(body);
  });
  return { statusCode: 301, headers: { location: Item.url.S } };
};
`;
    const smithy = await measure('smithy-signed GetItem', await referenceFunction(dir, 'smithy', SMITHY, like), () => redirectEvent('bench001'));
    const rows: ColdStartRow[] = [a4f, raw, smithy];
    if (process.env.ONLY_REFS) return { rows, hello, getItem, throttledHold: { n: 0, p50: 0, p99: 0, max: 0 } };
    for (const entry of FUNCTION_ENTRIES) rows.push(await measure(entry, withWorld(functions[entry]), events[entry]));

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
