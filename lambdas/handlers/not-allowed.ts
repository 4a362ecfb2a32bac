import { ROUTES, type RouteDefinition } from '../../lib/definitions.ts';
import { apiHandler } from '../http/handle.ts';
import type { ApiEvent } from '../http/request.ts';
import { errorBody } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

type RoutePath = RouteDefinition['path'];

/** The catch-all of a known path: 405 with the methods that path does serve. */
export function notAllowedHandler(deps: { logger?: Logger } = {}): ApiHandler {
  return apiHandler(async (event) => {
    const path = routePath(event);
    const allowed = [...new Set(ROUTES.filter((r) => r.path === path && r.method !== 'ANY').map((r) => r.method))];
    return errorBody(405, `method ${event.requestContext.http.method} is not allowed here`, {
      allow: allowed.sort().join(', '),
    });
  }, deps.logger);
}

/** The route path from `routeKey` ("ANY /links/{link}"), or matched from the raw path when absent. */
function routePath(event: ApiEvent): RoutePath {
  const fromKey = event.routeKey?.split(' ')[1];
  const known = ROUTES.find((r) => r.path === fromKey);
  if (known) return known.path;
  const segments = (event.rawPath ?? '').split('/').filter(Boolean);
  if (segments[0] === 'links') return segments.length === 1 ? '/links' : '/links/{link}';
  return '/{link}';
}
