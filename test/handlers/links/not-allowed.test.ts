import { describe, expect, it } from 'vitest';
import { notAllowedHandler } from '../../../lambdas/handlers/not-allowed.ts';
import { apiEvent, bodyOf } from './fakes.ts';

describe('links-api', () => {
  describe('method not allowed', () => {
    it.each([
      ['PUT', 'ANY /links', '/links', 'GET, POST'],
      ['PUT', 'ANY /links/{link}', '/links/abc', 'DELETE, GET, PATCH'],
      ['POST', 'ANY /links/{link}', '/links/abc', 'DELETE, GET, PATCH'],
      ['GET', 'ANY /links/bulk', '/links/bulk', 'POST'],
      ['GET', 'ANY /links/{link}/disable', '/links/abc/disable', 'POST'],
      ['POST', 'ANY /{link}', '/abc123', 'GET, HEAD'],
      ['DELETE', 'ANY /{link}', '/abc123', 'GET, HEAD'],
    ])('R7.8 answers %s on %s with 405 and Allow: %s', async (method, routeKey, rawPath, allow) => {
      const response = await notAllowedHandler()(apiEvent({ method, routeKey, rawPath, sub: null }));
      expect(response.statusCode).toBe(405);
      expect(response.headers?.allow).toBe(allow);
      expect(bodyOf(response)).toEqual({ error: `method ${method} is not allowed here` });
    });

    it.each([
      ['/links', 'GET, POST'],
      ['/links/abc', 'DELETE, GET, PATCH'],
      ['/links/bulk', 'POST'],
      ['/abc', 'GET, HEAD'],
    ])('R7.8 derives Allow from the raw path %s when the event has no route key', async (rawPath, allow) => {
      const event = apiEvent({ method: 'PUT', rawPath, sub: null });
      event.routeKey = '$default';
      const response = await notAllowedHandler()(event);
      expect(response.statusCode).toBe(405);
      expect(response.headers?.allow).toBe(allow);
    });
  });
});
