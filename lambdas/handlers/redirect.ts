import { jsonLogger } from '../adapters/json-logger.ts';
import type { ClickEvent } from '../domain/click.ts';
import { isExpired } from '../domain/expiry.ts';
import { resolveLink } from '../domain/links.ts';
import { classifyVisitor, type VisitHeaders } from '../domain/visit.ts';
import { apiHandler } from '../http/handle.ts';
import { linkParameter, visitHeaders } from '../http/request.ts';
import { goneHtml, notFoundHtml, permanentRedirect } from '../http/responses.ts';
import type { ClickRecorder, LinkStore, Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

export interface RedirectDeps {
  /** The redirect only reads a link's target. */
  links: Pick<LinkStore, 'findTarget'>;
  clicks: ClickRecorder;
  logger?: Logger;
  now?: () => Date;
  /** Bot or person and what the lists show of a person; a seam for the benchmark's before/after. */
  classify?: (headers: VisitHeaders) => Pick<ClickEvent, 'bot' | 'visit'>;
}

/**
 * `GET|HEAD /{link}` -> 301 to the stored URL; GET counts a click without waiting for it. An expired
 * or disabled link answers 410 and counts nothing; the one read of the link decides.
 */
export function redirectHandler(deps: RedirectDeps): ApiHandler {
  const logger = deps.logger ?? jsonLogger();
  const now = deps.now ?? (() => new Date());
  const classify = deps.classify ?? classifyVisitor;
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
        // Deliberately not awaited: the visitor never waits for the click stream. The incarnation names
        // this life of the code, so a delete + re-create does not inherit the click; the visitor is
        // classified here so that no User-Agent, referrer URL or address enters the stream.
        deps.clicks.record({
          v: 1,
          link,
          at: at.toISOString(),
          incarnation: target.incarnation,
          ...classify(visitHeaders(event)),
        });
      } catch (error) {
        // The recorder must never throw, but if it does the visitor still gets the redirect.
        logger.error('click recorder threw', { link, error: String(error) });
      }
    }
    return permanentRedirect(target.url);
  }, logger);
}
