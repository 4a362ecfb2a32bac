import { ConsumerMetrics } from '../adapters/consumer-metrics.ts';
import { jsonLogger } from '../adapters/json-logger.ts';
import { clickHistory, configFromEnv, counterStore } from '../composition.ts';
import { countClicksHandler } from '../handlers/count-clicks.ts';

const config = configFromEnv();
const metrics = new ConsumerMetrics();
export const handler = metrics.around(
  countClicksHandler({
    counters: metrics.counters(counterStore(config)),
    history: clickHistory(config),
    logger: metrics.logger(jsonLogger()),
  }),
);
