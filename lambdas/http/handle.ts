// Wraps a handler body so that only requests that came through CloudFront reach it, and every failure goes
// through the one error mapper.
import { jsonLogger } from '../adapters/json-logger.ts';
import type { ApiHandler } from '../handlers/types.ts';
import type { Logger } from '../ports.ts';
import { errorResponse } from './errors.ts';
import { type OriginSecrets, originSecretsFromEnv, verifyOrigin } from './origin-verification.ts';
import type { ApiEvent } from './request.ts';
import { type ApiResponse, errorBody } from './responses.ts';

/** Read once per cold start; empty (no check) in local mode and in handler tests. */
const ORIGIN_SECRETS = originSecretsFromEnv();

export function apiHandler(
  body: (event: ApiEvent) => Promise<ApiResponse>,
  logger: Logger = jsonLogger(),
  originSecrets: OriginSecrets = ORIGIN_SECRETS,
): ApiHandler {
  return async (event) => {
    if (!verifyOrigin(event, originSecrets)) {
      return errorBody(403, "requests must come through the shortener's public address");
    }
    try {
      return await body(event);
    } catch (error) {
      return errorResponse(error, logger, { routeKey: event.routeKey, requestId: event.requestContext?.requestId });
    }
  };
}
