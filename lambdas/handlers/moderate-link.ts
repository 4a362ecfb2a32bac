import { jsonLogger } from '../adapters/json-logger.ts';
import { OPERATORS_GROUP } from '../declarations/identity.ts';
import { type LinkDeps, moderateLink } from '../domain/links.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, groupsOf, jsonObjectBody, linkParameter, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import { checkBody } from '../http/schema-check.ts';
import type { Logger } from '../ports.ts';
import type { ApiHandler } from './types.ts';

/**
 * `POST /links/{link}/disable|enable` `{reason}` -> 200 with the link; operators only (403 for anyone
 * else). Every attempt is logged with who, what and why.
 */
export function moderateLinkHandler(deps: LinkDeps & { logger?: Logger }): ApiHandler {
  const logger = deps.logger ?? jsonLogger();
  return apiHandler(async (event) => {
    const operator = callerOf(event);
    const link = linkParameter(event);
    // The route says which: `POST /links/{link}/enable` or `…/disable`.
    const action = (event.routeKey ?? event.rawPath ?? '').endsWith('/enable') ? 'enable' : 'disable';
    const isOperator = groupsOf(event).includes(OPERATORS_GROUP);
    if (!isOperator) logger.warn('link moderation refused: not an operator', { action, link, caller: operator });
    const body = isOperator ? jsonObjectBody(event) : {};
    if (isOperator) checkBody('Moderation', body);
    const record = await moderateLink(deps, { operator, isOperator, link, action, reason: body.reason });
    logger.info(action === 'disable' ? 'link disabled by operator' : 'link enabled by operator', {
      action,
      link,
      operator,
      reason: String(body.reason).trim(),
      owner: record.creator,
    });
    return json(200, linkView(record, publicOrigin(event)));
  }, logger);
}
