import { jsonLogger } from '../adapters/json-logger.ts';
import { BULK_MAX_BODY_BYTES } from '../declarations/routes.ts';
import { createLinksInBulk } from '../domain/bulk.ts';
import { errorAnswer } from '../http/errors.ts';
import { apiHandler } from '../http/handle.ts';
import { linkView } from '../http/link-view.ts';
import { callerOf, destinationPolicy, jsonObjectBody, publicOrigin } from '../http/request.ts';
import { json } from '../http/responses.ts';
import { checkBody } from '../http/schema-check.ts';
import type { CreateLinkDeps } from './create-link.ts';
import type { ApiHandler } from './types.ts';

/**
 * `POST /links/bulk` `{links: [...], dryRun?}` -> 200 `{results: [{index, status, link?, error?}]}`,
 * each row answered as `POST /links` would have answered it alone.
 */
export function bulkCreateLinksHandler(deps: CreateLinkDeps): ApiHandler {
  const logger = deps.logger ?? jsonLogger();
  return apiHandler(async (event) => {
    const creator = callerOf(event);
    const body = jsonObjectBody(event, BULK_MAX_BODY_BYTES);
    checkBody('BulkRequest', body, { checkItems: false });
    const origin = publicOrigin(event);
    const outcomes = await createLinksInBulk(deps, {
      creator,
      rows: body.links,
      dryRun: body.dryRun,
      policy: destinationPolicy(deps.policy, event),
      checkRow: (row) => checkBody('LinkInput', row),
    });
    const results = outcomes.map(({ index, record, error }) => {
      if (record) return { index, status: 201, link: linkView(record, origin) };
      const answer = errorAnswer(error, logger, { routeKey: event.routeKey, row: index });
      return { index, status: answer.statusCode, error: answer.message };
    });
    return json(200, { results });
  }, logger);
}
