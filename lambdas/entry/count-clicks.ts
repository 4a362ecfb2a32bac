import { jsonLogger } from '../adapters/json-logger.ts';
import { clickHistory, configFromEnv, counterStore } from '../composition.ts';
import { countClicksHandler } from '../handlers/count-clicks.ts';

const config = configFromEnv();
export const handler = countClicksHandler({
  counters: counterStore(config),
  history: clickHistory(config),
  logger: jsonLogger(),
});
