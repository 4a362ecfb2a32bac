import { createLink, type LinkDeps } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { requestOrigins } from '../http/origin-verification.ts';
import { callerOf, jsonObjectBody, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

export interface CreateLinkDeps extends LinkDeps {
  /** Origins besides the request's own that count as the shortener (custom domain, local aliases). */
  selfOrigins: readonly string[];
  logger?: Logger;
}

/** `POST /links` `{url, alias?}` -> 201 with the new link. */
export function createLinkHandler(deps: CreateLinkDeps): ApiHandler {
  return apiHandler(async (event) => {
    const creator = callerOf(event);
    const body = jsonObjectBody(event);
    const origin = publicOrigin(event);
    const record = await createLink(deps, {
      creator,
      url: body.url,
      alias: body.alias,
      // The request shows the CloudFront, custom and execute-api domains; the environment adds configured ones.
      selfOrigins: [origin, ...requestOrigins(event), ...deps.selfOrigins],
    });
    return json(201, linkView(record, origin));
  }, deps.logger);
}
