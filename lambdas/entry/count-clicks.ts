import { ConsumerMetrics } from '../adapters/consumer-metrics.ts';
import { jsonLogger } from '../adapters/json-logger.ts';
import { clickHistory, configFromEnv, counterStore, dayStore, documentClient } from '../composition.ts';
import { countClicksHandler } from '../handlers/count-clicks.ts';

const config = configFromEnv();
const doc = documentClient(config);
const metrics = new ConsumerMetrics();
export const handler = metrics.around(
  countClicksHandler({
    counters: metrics.counters(counterStore(config, doc)),
    days: metrics.days(dayStore(config, doc)),
    history: clickHistory(config),
    logger: metrics.logger(jsonLogger()),
  }),
);
