import { getLink, type LinkDeps } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, linkParameter, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `GET /links/{link}` -> 200 with the link, or 404 when unknown or someone else's. */
export function getLinkHandler(deps: LinkDeps & { logger?: Logger }): ApiHandler {
  return apiHandler(async (event) => {
    const record = await getLink(deps, { creator: callerOf(event), link: linkParameter(event) });
    return json(200, linkView(record, publicOrigin(event)));
  }, deps.logger);
}
