import { allowedMethods, matchPath, ROUTE_PATHS, type RoutePath } from '../declarations/routes.ts';
import { apiHandler } from '../http/handle.ts';
import type { ApiEvent } from '../http/request.ts';
import { errorBody } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** The catch-all of a known path: 405 with the methods that path does serve. */
export function notAllowedHandler(deps: { logger?: Logger } = {}): ApiHandler {
  return apiHandler(async (event) => {
    const path = routePath(event);
    return errorBody(405, `method ${event.requestContext.http.method} is not allowed here`, {
      allow: path ? allowedMethods(path).join(', ') : '',
    });
  }, deps.logger);
}

/** The route path from `routeKey` ("ANY /links/{link}"), or matched from the raw path when absent. */
function routePath(event: ApiEvent): RoutePath | undefined {
  const fromKey = event.routeKey?.split(' ')[1];
  return ROUTE_PATHS.find((path) => path === fromKey) ?? matchPath(event.rawPath ?? '')?.path;
}
