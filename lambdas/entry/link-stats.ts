import { configFromEnv, dayStore } from '../composition.ts';
import { linkStatsHandler } from '../handlers/link-stats.ts';

export const handler = linkStatsHandler({ days: dayStore(configFromEnv()) });
