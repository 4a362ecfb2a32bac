import { jsonLogger } from '../adapters/json-logger.ts';
import { clickHistory, configFromEnv, counterStore, dayStore, documentClient } from '../composition.ts';
import { countClicksHandler } from '../handlers/count-clicks.ts';

const config = configFromEnv();
const doc = documentClient(config);
export const handler = countClicksHandler({
  counters: counterStore(config, doc),
  days: dayStore(config, doc),
  history: clickHistory(config),
  logger: jsonLogger(),
});
