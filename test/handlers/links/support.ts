// Every link handler wired to the same in-memory ports, with a fixed clock: for tests that follow a
// link through create, get, edit, visit and delete.

import type { Limits } from '../../../lambdas/domain/limits.ts';
import { DEFAULT_LIMITS } from '../../../lambdas/domain/rules.ts';
import { bulkCreateLinksHandler } from '../../../lambdas/handlers/bulk-create-links.ts';
import { createLinkHandler } from '../../../lambdas/handlers/create-link.ts';
import { deleteLinkHandler } from '../../../lambdas/handlers/delete-link.ts';
import { editLinkHandler } from '../../../lambdas/handlers/edit-link.ts';
import { getLinkHandler } from '../../../lambdas/handlers/get-link.ts';
import { listLinksHandler } from '../../../lambdas/handlers/list-links.ts';
import { moderateLinkHandler } from '../../../lambdas/handlers/moderate-link.ts';
import { redirectHandler } from '../../../lambdas/handlers/redirect.ts';
import {
  apiEvent,
  CapturingLogger,
  FakeClickRecorder,
  InMemoryLinkStore,
  InMemoryUsageCounters,
  LOCAL_POLICY,
} from './fakes.ts';

export function linkApp(options: { now?: Date; limits?: Partial<Limits> } = {}) {
  const clock = { now: options.now ?? new Date('2026-11-22T05:00:00.000Z') };
  const now = () => clock.now;
  const links = new InMemoryLinkStore();
  const usage = new InMemoryUsageCounters();
  const clicks = new FakeClickRecorder();
  const logger = new CapturingLogger();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const deps = { links, usage, limits, policy: LOCAL_POLICY, logger, now };
  const handlers = {
    create: createLinkHandler(deps),
    bulk: bulkCreateLinksHandler(deps),
    list: listLinksHandler(deps),
    get: getLinkHandler(deps),
    edit: editLinkHandler(deps),
    remove: deleteLinkHandler(deps),
    moderate: moderateLinkHandler(deps),
    redirect: redirectHandler({ links, clicks, logger, now }),
  };
  const json = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));
  return {
    clock,
    links,
    usage,
    clicks,
    logger,
    create: (body: unknown, sub = 'user-a') => handlers.create(apiEvent({ method: 'POST', body: json(body), sub })),
    bulk: (body: unknown, sub = 'user-a') =>
      handlers.bulk(
        apiEvent({ method: 'POST', rawPath: '/links/bulk', routeKey: 'POST /links/bulk', body: json(body), sub }),
      ),
    list: (sub = 'user-a') => handlers.list(apiEvent({ sub })),
    get: (link: string, sub = 'user-a') =>
      handlers.get(apiEvent({ method: 'GET', rawPath: `/links/${link}`, routeKey: 'GET /links/{link}', link, sub })),
    edit: (link: string, body: unknown, sub = 'user-a') =>
      handlers.edit(
        apiEvent({
          method: 'PATCH',
          rawPath: `/links/${link}`,
          routeKey: 'PATCH /links/{link}',
          link,
          body: json(body),
          sub,
        }),
      ),
    remove: (link: string, sub = 'user-a') =>
      handlers.remove(
        apiEvent({ method: 'DELETE', rawPath: `/links/${link}`, routeKey: 'DELETE /links/{link}', link, sub }),
      ),
    moderate: (link: string, action: 'disable' | 'enable', body: unknown, sub = 'op', groups = '[operators]') =>
      handlers.moderate(
        apiEvent({
          method: 'POST',
          rawPath: `/links/${link}/${action}`,
          routeKey: `POST /links/{link}/${action}`,
          link,
          body: json(body),
          sub,
          claims: groups === '' ? {} : { 'cognito:groups': groups },
        }),
      ),
    visit: (link: string, method: 'GET' | 'HEAD' = 'GET') =>
      handlers.redirect(apiEvent({ method, rawPath: `/${link}`, routeKey: `${method} /{link}`, link, sub: null })),
  };
}
