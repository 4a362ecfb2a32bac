import { configFromEnv, linkStore } from '../composition.ts';
import { deleteLinkHandler } from '../handlers/delete-link.ts';

export const handler = deleteLinkHandler({ links: linkStore(configFromEnv()) });
