// The per-user request rate of the signed-in API, checked before the handler runs: one conditional
// counter write per request, 429 with Retry-After when the caller's minute is used up.
import { jsonLogger } from '../adapters/json-logger.ts';
import { countRequest } from '../domain/limits.ts';
import type { ApiHandler } from '../handlers/types.ts';
import type { Logger, UsageCounters } from '../ports.ts';
import { errorResponse } from './errors.ts';
import { callerOf } from './request.ts';

export interface RequestRateDeps {
  usage: UsageCounters;
  requestsPerMinute: number;
  now?: () => Date;
  logger?: Logger;
}

export function withRequestRate(handler: ApiHandler, deps: RequestRateDeps): ApiHandler {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? jsonLogger();
  return async (event) => {
    try {
      await countRequest(deps.usage, callerOf(event), deps.requestsPerMinute, now());
    } catch (error) {
      return errorResponse(error, logger, { routeKey: event.routeKey, requestId: event.requestContext?.requestId });
    }
    return handler(event);
  };
}
