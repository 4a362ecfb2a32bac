import { describe, expect, it } from 'vitest';
import { apiHandlerFor } from '../../../lambdas/composition.ts';
import { API_FUNCTION_NAMES, ROUTES } from '../../../lambdas/declarations/routes.ts';
import type { UsageCounters } from '../../../lambdas/ports.ts';
import {
  apiEvent,
  bodyOf,
  CapturingLogger,
  FailingLinkStore,
  FakeClickRecorder,
  InMemoryUsageCounters,
  throttled,
} from '../links/fakes.ts';

const CONFIG = { tableName: 'links', streamName: 'clicks', selfOrigins: [] };

/** An event for `route` that gets past validation to the store. */
function eventFor(route: (typeof ROUTES)[number]) {
  const link = 'abc1234';
  const rawPath = route.path.replace('{link}', link);
  const bodies: Record<string, unknown> = {
    LinkInput: { url: 'https://example.com/' },
    BulkRequest: { links: [{ url: 'https://example.com/' }] },
    LinkChanges: { url: 'https://example.com/' },
    Moderation: { reason: 'phishing' },
  };
  const body = route.request?.body ? JSON.stringify(bodies[route.request.body]) : undefined;
  return apiEvent({
    method: route.method,
    rawPath,
    routeKey: `${route.method} ${route.path}`,
    link: route.path.includes('{link}') ? link : undefined,
    body,
    claims: { 'cognito:groups': '[operators]' },
  });
}

describe('public-safety', () => {
  describe('overload', () => {
    it.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])(
      'R6.1 every route that reads or writes answers DynamoDB %s with 503 and Retry-After, never 500',
      async (name) => {
        const logger = new CapturingLogger();
        const links = new FailingLinkStore(throttled(name));
        const ports = { links, usage: new InMemoryUsageCounters(), clicks: new FakeClickRecorder(), logger };
        const touching = ROUTES.filter((route) => route.function !== 'openapi');
        for (const route of touching) {
          const response = await apiHandlerFor(route.function, ports, CONFIG)(eventFor(route));
          const result =
            route.function === 'bulk-create-links' ? (bodyOf(response).results as { status: number }[])[0] : undefined;
          const status = result?.status ?? response.statusCode;
          expect(status, `${route.method} ${route.path}`).toBe(503);
          if (!result) {
            expect(response.headers?.['retry-after'], route.path).toMatch(/^\d+$/);
            expect(bodyOf(response).error, route.path).toMatch(/busy/);
          }
        }
        expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
      },
    );

    it('R6.1 a throttled usage counter (the request rate) is a 503 too', async () => {
      const busy: UsageCounters = {
        take: async () => {
          throw throttled();
        },
        giveBack: async () => {},
        peek: async () => 0,
      };
      const ports = { links: new FailingLinkStore(), usage: busy, logger: new CapturingLogger() };
      for (const name of API_FUNCTION_NAMES.filter((n) => !['redirect', 'not-allowed', 'openapi'].includes(n))) {
        const route = ROUTES.find((r) => r.function === name);
        if (!route) throw new Error(name);
        const response = await apiHandlerFor(name, ports, CONFIG)(eventFor(route));
        expect(response.statusCode, name).toBe(503);
        expect(response.headers?.['retry-after'], name).toBeDefined();
      }
    });
  });
});
