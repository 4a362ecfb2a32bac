import type { DestinationPolicy } from '../domain/destination.ts';
import { editLink, type LinkDeps } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, destinationPolicy, jsonObjectBody, linkParameter, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import { checkBody } from '../http/schema-check.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/** `PATCH /links/{link}` `{url?, expiresAt?}` -> 200 with the changed link; 404 when unknown or someone else's. */
export function editLinkHandler(deps: LinkDeps & { policy: DestinationPolicy; logger?: Logger }): ApiHandler {
  return apiHandler(async (event) => {
    const creator = callerOf(event);
    const changes = jsonObjectBody(event);
    checkBody('LinkChanges', changes);
    const origin = publicOrigin(event);
    const record = await editLink(deps, {
      creator,
      link: linkParameter(event),
      changes,
      policy: destinationPolicy(deps.policy, event),
    });
    return json(200, linkView(record, origin));
  }, deps.logger);
}
