import { type LinkDeps, listLinks } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `GET /links?limit=N&cursor=C` -> 200 `{items, nextCursor?}`, the caller's links newest first. */
export function listLinksHandler(deps: LinkDeps & { logger?: Logger }): ApiHandler {
  return apiHandler(async (event) => {
    const creator = callerOf(event);
    const query = event.queryStringParameters ?? {};
    const page = await listLinks(deps, { creator, limit: query.limit, cursor: query.cursor });
    const origin = publicOrigin(event);
    const items = page.items.map((record) => linkView(record, origin));
    return json(200, page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor });
  }, deps.logger);
}
