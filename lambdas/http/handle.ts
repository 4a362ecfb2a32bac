// Wraps a handler body so that every failure goes through the one error mapper.
import { jsonLogger } from '../adapters/json-logger.ts';
import type { ApiHandler } from '../handlers/types.ts';
import type { Logger } from '../ports.ts';
import { errorResponse } from './errors.ts';
import type { ApiEvent } from './request.ts';
import type { ApiResponse } from './responses.ts';

export function apiHandler(body: (event: ApiEvent) => Promise<ApiResponse>, logger: Logger = jsonLogger()): ApiHandler {
  return async (event) => {
    try {
      return await body(event);
    } catch (error) {
      return errorResponse(error, logger, { routeKey: event.routeKey, requestId: event.requestContext?.requestId });
    }
  };
}
