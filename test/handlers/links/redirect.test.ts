import { describe, expect, it } from 'vitest';
import type { ClickEvent } from '../../../lambdas/domain/click.ts';
import { redirectHandler } from '../../../lambdas/handlers/redirect.ts';
import { notFoundPage } from '../../../lambdas/http/visitor-pages.ts';
import type { ClickRecorder } from '../../../lambdas/ports.ts';
import { apiEvent, bodyOf, CapturingLogger, FailingLinkStore, FakeClickRecorder, InMemoryLinkStore } from './fakes.ts';

const NO_STORE = 'private, no-cache, no-store, max-age=0, must-revalidate';
const NOW = new Date('2026-11-22T05:10:00.000Z');

function setup(clicks: ClickRecorder = new FakeClickRecorder()) {
  const links = new InMemoryLinkStore();
  const logger = new CapturingLogger();
  const handler = redirectHandler({ links, clicks, logger, now: () => NOW });
  const visit = (link: string, method: 'GET' | 'HEAD' = 'GET') =>
    handler(apiEvent({ method, routeKey: `${method} /{link}`, rawPath: `/${link}`, link, sub: null }));
  return { links, logger, visit };
}

describe('links-api', () => {
  describe('redirect', () => {
    it('R6.1 R6.2 answers GET with 301, the stored URL as Location and no-store caching', async () => {
      const { links, visit } = setup();
      links.seed({ link: 'abc123', url: 'https://xn--bcher-kva.example/stra%C3%9Fe?q=1#top' });
      const response = await visit('abc123');
      expect(response.statusCode).toBe(301);
      expect(response.headers).toEqual({
        location: 'https://xn--bcher-kva.example/stra%C3%9Fe?q=1#top',
        'cache-control': NO_STORE,
      });
    });

    it('R6.3 hands exactly one click {v, link, at, created} to the recorder on GET', async () => {
      const clicks = new FakeClickRecorder();
      const { links, visit } = setup(clicks);
      links.seed({ link: 'abc123', created: '2026-11-20T09:00:00.000Z' });
      await visit('abc123');
      expect(clicks.recorded).toEqual([
        { v: 1, link: 'abc123', at: '2026-11-22T05:10:00.000Z', created: '2026-11-20T09:00:00.000Z' },
      ]);
    });

    it('R6.3 a click names the incarnation it was made on: a re-created code gives clicks the new created', async () => {
      const clicks = new FakeClickRecorder();
      const { links, visit } = setup(clicks);
      links.seed({ link: 'reX123', created: '2026-11-22T05:00:00.000Z' });
      await visit('reX123');
      links.items.delete('reX123');
      links.seed({ link: 'reX123', created: '2026-11-22T05:00:01.000Z' });
      await visit('reX123');
      expect(clicks.recorded.map((click) => click.created)).toEqual([
        '2026-11-22T05:00:00.000Z',
        '2026-11-22T05:00:01.000Z',
      ]);
    });

    it('R6.3 answers without waiting for a recorder whose write never finishes', async () => {
      const started: ClickEvent[] = [];
      const hanging: ClickRecorder = {
        // Typed as void by the port; a recorder that returned a promise would still not be awaited.
        record: (click) => {
          started.push(click);
          return new Promise<never>(() => {}) as unknown as undefined;
        },
        flush: () => new Promise<never>(() => {}),
      };
      const { links, visit } = setup(hanging);
      links.seed({ link: 'abc123', url: 'https://example.com/' });
      const response = await visit('abc123');
      expect(response.statusCode).toBe(301);
      expect(started).toHaveLength(1);
    });

    it('R6.3 still redirects when the recorder throws, and logs it', async () => {
      const throwing: ClickRecorder = {
        record: () => {
          throw new Error('stream gone');
        },
        flush: async () => {},
      };
      const { links, logger, visit } = setup(throwing);
      links.seed({ link: 'abc123', url: 'https://example.com/' });
      const response = await visit('abc123');
      expect(response.statusCode).toBe(301);
      expect(response.headers?.location).toBe('https://example.com/');
      expect(logger.lines.map((line) => line.level)).toEqual(['error']);
    });

    it('R6.4 answers HEAD with the same 301 and records no click', async () => {
      const clicks = new FakeClickRecorder();
      const { links, visit } = setup(clicks);
      links.seed({ link: 'abc123', url: 'https://example.com/x' });
      const response = await visit('abc123', 'HEAD');
      expect(response.statusCode).toBe(301);
      expect(response.headers).toEqual({ location: 'https://example.com/x', 'cache-control': NO_STORE });
      expect(clicks.recorded).toEqual([]);
    });

    it('R6.5 R6.2 answers an unknown code with the 404 HTML page, not cached, and records no click', async () => {
      const clicks = new FakeClickRecorder();
      const { visit } = setup(clicks);
      const response = await visit('nothere');
      expect(response.statusCode).toBe(404);
      expect(response.headers).toEqual({ 'content-type': 'text/html; charset=utf-8', 'cache-control': NO_STORE });
      expect(response.body).toBe(notFoundPage());
      expect(clicks.recorded).toEqual([]);
    });

    it('R6.5 R6.4 answers HEAD for an unknown code with 404', async () => {
      const { visit } = setup();
      expect((await visit('nothere', 'HEAD')).statusCode).toBe(404);
    });

    it('R3.5 redirects codes case-sensitively', async () => {
      const { links, visit } = setup();
      links.seed({ link: 'Promo', url: 'https://upper.example/' });
      links.seed({ link: 'promo', url: 'https://lower.example/' });
      expect((await visit('Promo')).headers?.location).toBe('https://upper.example/');
      expect((await visit('promo')).headers?.location).toBe('https://lower.example/');
      expect((await visit('PROMO')).statusCode).toBe(404);
    });

    it.each(['ab', 'a'.repeat(65), 'a.b', 'a%20b', 'admin', 'LINKS', ''])(
      'R6.6 answers %j with 404 without reading the store',
      async (link) => {
        const { links, visit } = setup();
        const response = await visit(link);
        expect(response.statusCode).toBe(404);
        expect(response.headers?.['content-type']).toMatch(/^text\/html/);
        expect(links.calls).toEqual([]);
      },
    );

    it('R6.7 reads the store exactly once per visit', async () => {
      const { links, visit } = setup();
      links.seed({ link: 'abc123' });
      await visit('abc123');
      expect(links.calls).toEqual(['findTarget abc123']);
    });

    it('R7.7 answers 500 "internal error" when the store fails, and records no click', async () => {
      const clicks = new FakeClickRecorder();
      const logger = new CapturingLogger();
      const handler = redirectHandler({ links: new FailingLinkStore(), clicks, logger });
      const response = await handler(apiEvent({ method: 'GET', routeKey: 'GET /{link}', link: 'abc123', sub: null }));
      expect(response.statusCode).toBe(500);
      expect(bodyOf(response)).toEqual({ error: 'internal error' });
      expect(clicks.recorded).toEqual([]);
      expect(logger.lines[0]?.fields?.routeKey).toBe('GET /{link}');
    });
  });
});
