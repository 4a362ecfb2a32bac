import { jsonLogger } from '../adapters/json-logger.ts';
import { configFromEnv, counterStore } from '../composition.ts';
import { countClicksHandler } from '../handlers/count-clicks.ts';

export const handler = countClicksHandler({ counters: counterStore(configFromEnv()), logger: jsonLogger() });
