import { openApiHandler } from '../handlers/openapi.ts';

// Touches nothing, so it needs no configuration.
export const handler = openApiHandler();
