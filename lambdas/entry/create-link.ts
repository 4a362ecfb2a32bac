import { configFromEnv, linkStore } from '../composition.ts';
import { createLinkHandler } from '../handlers/create-link.ts';

const config = configFromEnv();
export const handler = createLinkHandler({ links: linkStore(config), selfOrigins: config.selfOrigins });
