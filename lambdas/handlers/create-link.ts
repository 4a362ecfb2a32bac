import type { DestinationPolicy } from '../domain/destination.ts';
import { createLink, type LinkDeps, type QuotaDeps } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, destinationPolicy, jsonObjectBody, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import { checkBody } from '../http/schema-check.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

export interface CreateLinkDeps extends LinkDeps, QuotaDeps {
  /** The deployment's destination policy; the request's own origin is added to its self origins. */
  policy: DestinationPolicy;
  logger?: Logger;
}

/** `POST /links` `{url, alias?, expiresAt?}` -> 201 with the new link. */
export function createLinkHandler(deps: CreateLinkDeps): ApiHandler {
  return apiHandler(async (event) => {
    const creator = callerOf(event);
    const body = jsonObjectBody(event);
    checkBody('LinkInput', body);
    const origin = publicOrigin(event);
    const record = await createLink(deps, {
      creator,
      url: body.url,
      alias: body.alias,
      expiresAt: body.expiresAt,
      policy: destinationPolicy(deps.policy, event),
    });
    return json(201, linkView(record, origin));
  }, deps.logger);
}
