import { openApiDocument } from '../declarations/openapi.ts';
import { apiHandler } from '../http/handle.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `GET /openapi.json` -> the OpenAPI 3.1 description, built once from the catalog and the schemas. */
export function openApiHandler(deps: { logger?: Logger } = {}): ApiHandler {
  const body = JSON.stringify(openApiDocument());
  return apiHandler(
    async () => ({
      statusCode: 200,
      // It changes only with a deployment: caches may keep it briefly.
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
      body,
    }),
    deps.logger,
  );
}
