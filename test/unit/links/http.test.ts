import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../lambdas/domain/errors.ts';
import { errorResponse, HttpError } from '../../../lambdas/http/errors.ts';
import { linkView } from '../../../lambdas/http/link-view.ts';
import { callerOf, jsonObjectBody, publicOrigin } from '../../../lambdas/http/request.ts';
import { apiEvent, CapturingLogger } from '../../handlers/links/fakes.ts';

describe('links-api', () => {
  describe('HTTP helpers', () => {
    it('R7.1 reads the caller from the sub claim and refuses an event without an authorizer', () => {
      expect(callerOf(apiEvent({ sub: 'user-a' }))).toBe('user-a');
      const bare = apiEvent();
      (bare.requestContext as { authorizer?: unknown }).authorizer = undefined;
      expect(() => callerOf(bare)).toThrow(HttpError);
      expect(() => callerOf(apiEvent({ sub: '' }))).toThrow('authentication required');
    });

    it('R7.4 R7.5 counts the decoded bytes of a base64 body against the 64 KiB limit', () => {
      const body = JSON.stringify({ pad: 'é'.repeat(32 * 1024) }); // 65,547 bytes, 32,779 characters
      expect(() => jsonObjectBody(apiEvent({ body }))).toThrow(HttpError);
      const base64 = Buffer.from(body).toString('base64');
      expect(() => jsonObjectBody(apiEvent({ body: base64, isBase64Encoded: true }))).toThrow(HttpError);
    });

    it.each([
      [
        'forwarded proto and host',
        { 'x-forwarded-proto': 'http', 'x-forwarded-host': '127.0.0.1:3000' },
        'http://127.0.0.1:3000',
      ],
      ['forwarded host only', { 'x-forwarded-host': 'sho.rt' }, 'https://sho.rt'],
      ['a default port in the forwarded host', { 'x-forwarded-host': 'sho.rt:443' }, 'https://sho.rt'],
      ['no forwarded headers', {}, 'https://abc123.execute-api.us-east-1.amazonaws.com'],
      [
        'a garbled forwarded host',
        { 'x-forwarded-host': 'bad host/"' },
        'https://abc123.execute-api.us-east-1.amazonaws.com',
      ],
    ])('R7.9 takes the public origin from %s', (_, headers, origin) => {
      const event = apiEvent();
      event.headers = headers;
      expect(publicOrigin(event)).toBe(origin);
    });

    it('R1.3 shows exactly link, url, shortUrl, created, count and bots', () => {
      const view = linkView(
        {
          link: 'abc',
          url: 'https://a.example/',
          creator: 'secret-sub',
          created: '2026-01-01T00:00:00.000Z',
          count: 4,
          bots: 2,
        },
        'https://sho.rt',
      );
      expect(view).toEqual({
        link: 'abc',
        url: 'https://a.example/',
        shortUrl: 'https://sho.rt/abc',
        created: '2026-01-01T00:00:00.000Z',
        count: 4,
        bots: 2,
      });
    });

    it.each([
      [new ValidationError('bad url'), 400, 'bad url'],
      [new NotFoundError('link not found'), 404, 'link not found'],
      [new HttpError(401, 'authentication required'), 401, 'authentication required'],
      [new HttpError(413, 'too big'), 413, 'too big'],
    ])('R7.6 maps %s to its status with {"error": message}', (error, status, message) => {
      const logger = new CapturingLogger();
      const response = errorResponse(error, logger);
      expect(response.statusCode).toBe(status);
      expect(JSON.parse(String(response.body))).toEqual({ error: message });
      expect(logger.lines).toEqual([]);
    });

    it.each([new TypeError('x is undefined'), 'a thrown string', { weird: true }])(
      'R7.7 answers %j with a bare 500 and logs it',
      (thrown) => {
        const logger = new CapturingLogger();
        const response = errorResponse(thrown, logger, { routeKey: 'POST /links' });
        expect(response).toEqual({
          statusCode: 500,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          body: '{"error":"internal error"}',
        });
        expect(logger.lines).toHaveLength(1);
        expect(logger.lines[0]?.fields?.routeKey).toBe('POST /links');
      },
    );
  });
});
