// What the functions talk to under the harness: dynalite and kinesalite as local mode runs them (table
// and stream created from the declarations), Kinesis reached through a fault-injecting proxy.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ORIGIN_VERIFY_HEADER } from '../../lambdas/declarations/routes.ts';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { type RunningEmulator, startDynalite, startKinesalite } from '../../lib/local/emulators.ts';
import { ensureStream, ensureTable } from '../../lib/local/provision.ts';
import { BROWSER_USER_AGENT } from '../support/local-system.ts';
import { HARNESS_SECRET } from './functions.ts';
import { type KinesisProxy, startKinesisProxy } from './kinesis-proxy.ts';
import { localCertificate, startTlsFront, type TlsFront } from './tls-front.ts';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface World {
  dynamodb: DynamoDBClient;
  kinesis: KinesisClient;
  proxy: KinesisProxy;
  streamArn: string;
  /**
   * Variables that point a function at the emulators (Kinesis through the proxy); with `tls`, at HTTPS fronts
   * of them, and NODE_EXTRA_CA_CERTS trusting their certificate.
   */
  endpoints: Record<string, string>;
  /** Stores a link as create-link would; returns its `created`. */
  putLink(link: string, url: string, creator?: string): Promise<string>;
  clickCount(link: string): Promise<number | undefined>;
  /** Every click record in the stream's shards, decoded, with its sequence number and arrival. */
  streamRecords(): Promise<{ shardId: string; sequenceNumber: string; arrived: Date; data: string }[]>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Functions reach the emulators over TLS, as they reach AWS (the bench's cold starts). */
  tls?: boolean;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shortener-runtime-'));
  const emulators: RunningEmulator[] = await Promise.all([startDynalite(dataDir), startKinesalite(dataDir)]);
  const [ddb, kds] = emulators as [RunningEmulator, RunningEmulator];
  const dynamodb = new DynamoDBClient({ region: LOCAL_NAMES.region, endpoint: ddb.endpoint, credentials: CREDENTIALS });
  const kinesis = new KinesisClient({
    region: LOCAL_NAMES.region,
    endpoint: kds.endpoint,
    credentials: CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
  const [, streamArn] = await Promise.all([
    ensureTable(dynamodb, LOCAL_NAMES.table),
    ensureStream(kinesis, LOCAL_NAMES.stream),
  ]);
  const proxy = await startKinesisProxy(kds.endpoint);
  const fronts: TlsFront[] = [];
  let endpoints: Record<string, string> = {
    AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
    AWS_ENDPOINT_URL_KINESIS: proxy.endpoint,
  };
  if (options.tls) {
    const certificate = localCertificate(dataDir);
    fronts.push(
      ...(await Promise.all([startTlsFront(ddb.endpoint, certificate), startTlsFront(proxy.endpoint, certificate)])),
    );
    const [ddbFront, kinesisFront] = fronts as [TlsFront, TlsFront];
    endpoints = {
      AWS_ENDPOINT_URL_DYNAMODB: ddbFront.endpoint,
      AWS_ENDPOINT_URL_KINESIS: kinesisFront.endpoint,
      NODE_EXTRA_CA_CERTS: certificate.certFile,
    };
  }
  return {
    dynamodb,
    kinesis,
    proxy,
    streamArn,
    endpoints,
    async putLink(link, url, creator = 'runtime-test') {
      const created = new Date().toISOString();
      await dynamodb.send(
        new PutItemCommand({
          TableName: LOCAL_NAMES.table,
          Item: {
            link: { S: link },
            url: { S: url },
            creator: { S: creator },
            created: { S: created },
            count: { N: '0' },
          },
        }),
      );
      return created;
    },
    async clickCount(link) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: LOCAL_NAMES.table, Key: { link: { S: link } }, ConsistentRead: true }),
      );
      return Item?.count?.N === undefined ? undefined : Number(Item.count.N);
    },
    async streamRecords() {
      const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: LOCAL_NAMES.stream }));
      const records = [];
      for (const shard of Shards) {
        const shardId = shard.ShardId ?? '';
        const { ShardIterator } = await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: LOCAL_NAMES.stream,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        let iterator = ShardIterator;
        while (iterator) {
          const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
          for (const record of page.Records ?? []) {
            records.push({
              shardId,
              sequenceNumber: record.SequenceNumber ?? '',
              arrived: record.ApproximateArrivalTimestamp ?? new Date(0),
              data: new TextDecoder().decode(record.Data),
            });
          }
          iterator = page.Records?.length ? page.NextShardIterator : undefined;
        }
      }
      return records;
    },
    async close() {
      dynamodb.destroy();
      kinesis.destroy();
      await Promise.all(fronts.map((front) => front.close()));
      await proxy.close();
      await Promise.all(emulators.map((emulator) => emulator.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An API Gateway HTTP API (payload 2.0) event, as a route delivers it when CloudFront sent the request (with
 * the origin-verification header; `throughCloudFront: false` leaves it out), with JWT claims when `caller` is given.
 */
export function apiEvent(
  method: string,
  routeKey: string,
  rawPath: string,
  {
    pathParameters,
    body,
    caller,
    throughCloudFront = true,
    groups,
    headers = {},
  }: {
    pathParameters?: Record<string, string>;
    body?: string;
    caller?: string;
    throughCloudFront?: boolean;
    groups?: string;
    headers?: Record<string, string>;
  } = {},
) {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'short.example',
      'x-forwarded-host': 'short.example',
      'x-forwarded-proto': 'https',
      ...(throughCloudFront ? { [ORIGIN_VERIFY_HEADER]: HARNESS_SECRET } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(pathParameters ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      ...(caller
        ? {
            authorizer: {
              jwt: {
                claims: { sub: caller, token_use: 'access', ...(groups ? { 'cognito:groups': groups } : {}) },
                scopes: [],
              },
            },
          }
        : {}),
      domainName: 'short.example',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'runtime-test' },
      requestId: `api-${method}-${rawPath}`,
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** `GET|HEAD /{link}` by a person's browser (a visit without a User-Agent is a bot's), as the redirect routes deliver it. */
export const redirectEvent = (link: string, method: 'GET' | 'HEAD' = 'GET') =>
  apiEvent(method, `${method} /{link}`, `/${link}`, {
    pathParameters: { link },
    headers: { 'user-agent': BROWSER_USER_AGENT },
  });
