// Composition root: the only place that turns configuration into AWS clients and adapters.
// Lambda entry points (`lambdas/entry/`) take just the pieces their function needs; local mode
// takes the whole application. Handlers and domain code only ever see the ports.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoCounterStore } from './adapters/dynamo-counter-store.ts';
import { DynamoLinkStore } from './adapters/dynamo-link-store.ts';
import { DynamoUsageCounters } from './adapters/dynamo-usage-counters.ts';
import { jsonLogger } from './adapters/json-logger.ts';
import { KinesisClickHistory } from './adapters/kinesis-click-history.ts';
import { KinesisClickSink } from './adapters/kinesis-click-sink.ts';
import { configFromEnv, destinationPolicyOf, limitsOf, publicSafetyFromEnv, type RuntimeConfig } from './config.ts';
import { API_FUNCTION_NAMES, type ApiFunctionName, SIGNED_IN_FUNCTIONS } from './declarations/routes.ts';
import { PendingClicks } from './domain/pending-clicks.ts';
import { bulkCreateLinksHandler } from './handlers/bulk-create-links.ts';
import { countClicksHandler } from './handlers/count-clicks.ts';
import { createLinkHandler } from './handlers/create-link.ts';
import { deleteLinkHandler } from './handlers/delete-link.ts';
import { editLinkHandler } from './handlers/edit-link.ts';
import { getLinkHandler } from './handlers/get-link.ts';
import { listLinksHandler } from './handlers/list-links.ts';
import { moderateLinkHandler } from './handlers/moderate-link.ts';
import { notAllowedHandler } from './handlers/not-allowed.ts';
import { openApiHandler } from './handlers/openapi.ts';
import { redirectHandler } from './handlers/redirect.ts';
import type { ApiHandler, StreamHandler } from './handlers/types.ts';
import { withRequestRate } from './http/request-rate.ts';
import type {
  ClickHistory,
  ClickRecorder,
  ClickSink,
  CounterStore,
  LinkStore,
  Logger,
  UsageCounters,
} from './ports.ts';

export { configFromEnv, destinationPolicyOf, limitsOf, publicSafetyFromEnv, type RuntimeConfig };

export function documentClient(config: RuntimeConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.endpoints?.dynamodb,
    credentials: config.credentials,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function kinesisClient(config: RuntimeConfig, { retries = true }: { retries?: boolean } = {}): KinesisClient {
  return new KinesisClient({
    region: config.region,
    endpoint: config.endpoints?.kinesis,
    credentials: config.credentials,
    // The default HTTP/2 handler cannot talk to kinesalite; PutRecord needs no HTTP/2 on AWS either.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000 }),
    // Click puts are retried by the recorder alone: an SDK retry of a put whose answer was lost would write
    // a copy the consumer cannot recognise (same attempt, same send time), and its back-off would hold a
    // throttled redirect's invocation for seconds.
    ...(retries ? {} : { maxAttempts: 1 }),
  });
}

// Each builder makes its own client unless given one: a Lambda function needs one of each at most,
// while local mode runs every handler in one process and shares them.
export const linkStore = (config: RuntimeConfig, doc = documentClient(config)): LinkStore =>
  new DynamoLinkStore(doc, config.tableName);

export const usageCounters = (config: RuntimeConfig, doc = documentClient(config)): UsageCounters =>
  new DynamoUsageCounters(doc, config.tableName);

export const counterStore = (config: RuntimeConfig, doc = documentClient(config)): CounterStore =>
  new DynamoCounterStore(doc, config.tableName);

export const clickSink = (config: RuntimeConfig, kinesis = kinesisClient(config, { retries: false })): ClickSink =>
  new KinesisClickSink(kinesis, config.streamName);

/** The consumer reads the stream it is fed by, named in each record, so it needs no stream name. */
export const clickHistory = (config: RuntimeConfig, kinesis = kinesisClient(config)): ClickHistory =>
  new KinesisClickHistory(kinesis);

export const clickRecorder = (sink: ClickSink, logger: Logger): ClickRecorder => new PendingClicks(sink, logger);

/** Seams for fault injection in tests and benchmarks: wrap an adapter before handlers get it. */
export interface Decorators {
  clickSink?: (sink: ClickSink) => ClickSink;
  counterStore?: (store: CounterStore) => CounterStore;
  logger?: Logger;
}

/** What the API handlers are built from; `clicks` only the redirect uses. */
export interface ApiPorts {
  links: LinkStore;
  usage: UsageCounters;
  clicks?: ClickRecorder;
  logger?: Logger;
}

type ApiBuilder = (ports: ApiPorts, config: RuntimeConfig) => ApiHandler;

/** One line per API function: the handler and what it is given. */
const API_BUILDERS: Record<ApiFunctionName, ApiBuilder> = {
  'create-link': ({ links, usage, logger }, config) =>
    createLinkHandler({ links, usage, limits: limitsOf(config), policy: destinationPolicyOf(config), logger }),
  'bulk-create-links': ({ links, usage, logger }, config) =>
    bulkCreateLinksHandler({ links, usage, limits: limitsOf(config), policy: destinationPolicyOf(config), logger }),
  'list-links': ({ links, logger }) => listLinksHandler({ links, logger }),
  'get-link': ({ links, logger }) => getLinkHandler({ links, logger }),
  'edit-link': ({ links, logger }, config) => editLinkHandler({ links, policy: destinationPolicyOf(config), logger }),
  'delete-link': ({ links, logger }) => deleteLinkHandler({ links, logger }),
  'moderate-link': ({ links, logger }) => moderateLinkHandler({ links, logger }),
  openapi: ({ logger }) => openApiHandler({ logger }),
  redirect: ({ links, clicks, logger }) => {
    if (!clicks) throw new Error('the redirect needs a click recorder');
    return redirectHandler({ links, clicks, logger });
  },
  'not-allowed': ({ logger }) => notAllowedHandler({ logger }),
};

/** An API function's handler, behind the per-user request rate when the catalog says it has one. */
export function apiHandlerFor(name: ApiFunctionName, ports: ApiPorts, config: RuntimeConfig): ApiHandler {
  const handler = API_BUILDERS[name](ports, config);
  if (!SIGNED_IN_FUNCTIONS.has(name)) return handler;
  return withRequestRate(handler, {
    usage: ports.usage,
    requestsPerMinute: limitsOf(config).requestsPerMinute,
    logger: ports.logger,
  });
}

/** A Lambda entry's handler: its own clients, built once per execution environment. */
export function apiFunctionHandler(name: ApiFunctionName, config: RuntimeConfig = configFromEnv()): ApiHandler {
  const doc = documentClient(config);
  return apiHandlerFor(name, { links: linkStore(config, doc), usage: usageCounters(config, doc) }, config);
}

export interface Application {
  api: Record<ApiFunctionName, ApiHandler>;
  countClicks: StreamHandler;
  /** Local mode flushes this after each response, as the Lambda extension does on AWS. */
  clicks: ClickRecorder;
}

/** Every handler wired to one configuration: what local mode runs behind its gateway. */
export function composeApplication(config: RuntimeConfig, decorators: Decorators = {}): Application {
  const logger = decorators.logger ?? jsonLogger();
  const doc = documentClient(config);
  const kinesis = kinesisClient(config);
  const links = linkStore(config, doc);
  const sink = clickSink(config);
  const clicks = clickRecorder(decorators.clickSink ? decorators.clickSink(sink) : sink, logger);
  const counters = counterStore(config, doc);
  const ports: ApiPorts = { links, usage: usageCounters(config, doc), clicks, logger };
  return {
    api: Object.fromEntries(API_FUNCTION_NAMES.map((name) => [name, apiHandlerFor(name, ports, config)])) as Record<
      ApiFunctionName,
      ApiHandler
    >,
    countClicks: countClicksHandler({
      counters: decorators.counterStore ? decorators.counterStore(counters) : counters,
      history: clickHistory(config, kinesis),
      logger,
    }),
    clicks,
  };
}
