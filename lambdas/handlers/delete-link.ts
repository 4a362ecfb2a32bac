import { deleteLink, type LinkDeps } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { callerOf, linkParameter } from '../http/request.ts';
import { noContent } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `DELETE /links/{link}` -> 204, or 404 when unknown or someone else's. The code stays reserved for its creator. */
export function deleteLinkHandler(deps: LinkDeps & { logger?: Logger }): ApiHandler {
  return apiHandler(async (event) => {
    await deleteLink(deps, { creator: callerOf(event), link: linkParameter(event) });
    return noContent();
  }, deps.logger);
}
