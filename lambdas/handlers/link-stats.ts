import { linkStats, type StatsDeps } from '../domain/stats.ts';
import { apiHandler } from '../http/handle.ts';
import { callerOf, linkParameter } from '../http/request.ts';
import { json } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `GET /links/{link}/stats?from=&to=` -> 200 stats of the caller's own link; 404 otherwise, 400 for a bad range. */
export function linkStatsHandler(deps: StatsDeps & { logger?: Logger }): ApiHandler {
  return apiHandler(async (event) => {
    const query = event.queryStringParameters ?? {};
    const stats = await linkStats(deps, {
      creator: callerOf(event),
      link: linkParameter(event),
      from: query.from,
      to: query.to,
    });
    return json(200, stats);
  }, deps.logger);
}
