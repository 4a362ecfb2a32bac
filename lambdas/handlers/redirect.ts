import { jsonLogger } from '../adapters/json-logger.ts';
import { isExpired } from '../domain/expiry.ts';
import { resolveLink } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkParameter } from '../http/request.ts';
import { goneHtml, notFoundHtml, permanentRedirect } from '../http/responses.ts';
import type { ClickRecorder, LinkStore, Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

export interface RedirectDeps {
  /** The redirect only reads a link's target. */
  links: Pick<LinkStore, 'findTarget'>;
  clicks: ClickRecorder;
  logger?: Logger;
  now?: () => Date;
}

/**
 * `GET|HEAD /{link}` -> 301 to the stored URL; GET counts a click without waiting for it. An expired
 * or disabled link answers 410 and counts nothing; the one read of the link decides.
 */
export function redirectHandler(deps: RedirectDeps): ApiHandler {
  const logger = deps.logger ?? jsonLogger();
  const now = deps.now ?? (() => new Date());
  return apiHandler(async (event) => {
    const link = linkParameter(event);
    const target = await resolveLink(deps, link);
    if (target === undefined) return notFoundHtml();
    if (target.disabled) return goneHtml('disabled');
    const at = now();
    if (isExpired(target.expiresAt, at)) return goneHtml('expired');
    // A HEAD (link checkers, previews) is not a visit.
    if (event.requestContext.http.method === 'GET') {
      try {
        // Deliberately not awaited: the visitor never waits for the click stream.
        // `created` names this incarnation of the code, so a delete + re-create does not inherit the click.
        deps.clicks.record({ v: 1, link, at: at.toISOString(), created: target.created });
      } catch (error) {
        // The recorder must never throw, but if it does the visitor still gets the redirect.
        logger.error('click recorder threw', { link, error: String(error) });
      }
    }
    return permanentRedirect(target.url);
  }, logger);
}
