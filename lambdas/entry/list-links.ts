import { configFromEnv, linkStore } from '../composition.ts';
import { listLinksHandler } from '../handlers/list-links.ts';

export const handler = listLinksHandler({ links: linkStore(configFromEnv()) });
