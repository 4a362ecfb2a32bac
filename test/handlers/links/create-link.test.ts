import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../lambdas/domain/rules.ts';
import { createLinkHandler } from '../../../lambdas/handlers/create-link.ts';
import {
  apiEvent,
  bodyOf,
  CapturingLogger,
  FailingLinkStore,
  InMemoryLinkStore,
  InMemoryUsageCounters,
  LOCAL_POLICY,
} from './fakes.ts';

const quota = () => ({ usage: new InMemoryUsageCounters(), limits: DEFAULT_LIMITS });

const NOW = new Date('2026-11-22T05:00:00.123Z');

function setup(options: { selfOrigins?: string[]; newCode?: () => string } = {}) {
  const links = new InMemoryLinkStore();
  const logger = new CapturingLogger();
  const handler = createLinkHandler({
    links,
    ...quota(),
    policy: { ...LOCAL_POLICY, selfOrigins: options.selfOrigins ?? [] },
    logger,
    now: () => NOW,
    newCode: options.newCode,
  });
  const post = (body: unknown, extra: Parameters<typeof apiEvent>[0] = {}) =>
    handler(
      apiEvent({
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...extra,
      }),
    );
  return { links, logger, post };
}

describe('links-api', () => {
  describe('create link', () => {
    it('R1.1 R1.3 creates a random-code link and returns exactly the link shape with 201', async () => {
      const { post, links } = setup();
      const response = await post({ url: 'https://example.com/a?b=c#d' });
      expect(response.statusCode).toBe(201);
      expect(response.headers?.['content-type']).toMatch(/^application\/json/);
      const link = bodyOf(response);
      expect(Object.keys(link).sort()).toEqual(['count', 'created', 'link', 'shortUrl', 'url']);
      expect(link.link).toMatch(/^[A-Za-z0-9]{8}$/);
      expect(link).toEqual({
        link: link.link,
        url: 'https://example.com/a?b=c#d',
        shortUrl: `http://127.0.0.1:3000/${link.link}`,
        created: '2026-11-22T05:00:00.123Z',
        count: 0,
      });
      expect(links.items.get(String(link.link))?.url).toBe('https://example.com/a?b=c#d');
    });

    it('R1.2 stores the link under the alias exactly as given', async () => {
      const { post, links } = setup();
      const response = await post({ url: 'https://example.com/', alias: 'My_Promo-2026' });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).link).toBe('My_Promo-2026');
      expect(bodyOf(response).shortUrl).toBe('http://127.0.0.1:3000/My_Promo-2026');
      expect(links.items.has('My_Promo-2026')).toBe(true);
    });

    it('R1.1 treats a null alias as no alias', async () => {
      const { post } = setup();
      const response = await post({ url: 'https://example.com/', alias: null });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).link).toMatch(/^[A-Za-z0-9]{8}$/);
    });

    it('R1.3 builds shortUrl from the API domain when no forwarded headers arrive', async () => {
      const event = apiEvent({ method: 'POST', body: JSON.stringify({ url: 'https://example.com/' }) });
      event.headers = {};
      const response = await createLinkHandler({ ...quota(), links: new InMemoryLinkStore(), policy: LOCAL_POLICY })(
        event,
      );
      expect(bodyOf(response).shortUrl).toMatch(
        /^https:\/\/abc123\.execute-api\.us-east-1\.amazonaws\.com\/[A-Za-z0-9]{8}$/,
      );
    });

    it('R1.6 records the caller as creator and never returns it', async () => {
      const { post, links } = setup();
      const response = await post({ url: 'https://example.com/', alias: 'mine' }, { sub: 'user-42' });
      expect(links.items.get('mine')?.creator).toBe('user-42');
      expect(JSON.stringify(bodyOf(response))).not.toContain('user-42');
    });

    it('R1.4 answers 409 for a taken alias and leaves the existing link unchanged', async () => {
      const { post, links } = setup();
      const existing = links.seed({ link: 'promo', url: 'https://first.example/', creator: 'user-b', count: 7 });
      const response = await post({ url: 'https://second.example/', alias: 'promo' });
      expect(response.statusCode).toBe(409);
      expect(bodyOf(response)).toEqual({ error: 'alias "promo" is already taken' });
      expect(links.items.get('promo')).toEqual(existing);
    });

    it('R1.5 draws a new random code when one collides, without overwriting', async () => {
      const codes = ['Taken123', 'Free4567'];
      const { post, links } = setup({ newCode: () => codes.shift() ?? 'unused00' });
      const existing = links.seed({ link: 'Taken123', url: 'https://old.example/' });
      const response = await post({ url: 'https://new.example/' });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).link).toBe('Free4567');
      expect(links.items.get('Taken123')).toEqual(existing);
    });

    it('R1.5 R7.7 gives up after 5 collisions with a 500, not an overwrite', async () => {
      const { post, links, logger } = setup({ newCode: () => 'Taken123' });
      links.seed({ link: 'Taken123', url: 'https://old.example/' });
      const response = await post({ url: 'https://new.example/' });
      expect(response.statusCode).toBe(500);
      expect(links.calls.filter((call) => call.startsWith('create'))).toHaveLength(5);
      expect(links.items.get('Taken123')?.url).toBe('https://old.example/');
      expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
    });

    it('R2.5 stores and returns the WHATWG form: punycode host, percent-encoded path', async () => {
      const { post } = setup();
      const response = await post({ url: 'HTTPS://Bücher.Example/straße?q=ä' });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).url).toBe('https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4');
    });

    it.each([
      ['javascript:', 'javascript:alert(1)'],
      ['data:', 'data:text/html,<script>alert(1)</script>'],
      ['ftp:', 'ftp://example.com/file'],
      ['mailto:', 'mailto:someone@example.com'],
      ['a relative URL', '/just/a/path'],
      ['a bare host', 'example.com'],
    ])('R2.1 rejects %s with 400', async (_, url) => {
      const { post, links } = setup();
      const response = await post({ url });
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error).toEqual(expect.any(String));
      expect(links.items.size).toBe(0);
    });

    it.each([
      ['missing', {}],
      ['a number', { url: 42 }],
      ['an empty string', { url: '' }],
      ['an object', { url: { href: 'https://example.com/' } }],
    ])('R2.2 rejects a url that is %s with 400', async (_, body) => {
      const { post } = setup();
      expect((await post(body)).statusCode).toBe(400);
    });

    it.each([
      ['a space', 'https://example.com/a b'],
      ['a leading space', ' https://example.com/'],
      ['a tab', 'https://example.com/\tx'],
      ['a newline', 'https://example.com/\nx'],
      ['a NUL', 'https://example.com/\u0000'],
      ['a no-break space', 'https://example.com/\u00a0'],
    ])('R2.3 rejects a url with %s with 400', async (_, url) => {
      const { post } = setup();
      expect((await post({ url })).statusCode).toBe(400);
    });

    it('R2.4 rejects credentials in the URL with 400', async () => {
      const { post } = setup();
      expect((await post({ url: 'https://user:secret@example.com/' })).statusCode).toBe(400);
      expect((await post({ url: 'https://user@example.com/' })).statusCode).toBe(400);
    });

    it('R2.6 rejects a 3,000-character URL with 400 and accepts exactly 2,048', async () => {
      const { post } = setup();
      const long = `https://example.com/${'a'.repeat(3000 - 20)}`;
      expect(long).toHaveLength(3000);
      expect((await post({ url: long })).statusCode).toBe(400);
      const limit = `https://example.com/${'a'.repeat(2048 - 20)}`;
      expect((await post({ url: limit })).statusCode).toBe(201);
    });

    it.each([
      ['the request origin', 'http://127.0.0.1:3000/abc'],
      ['the request origin with a trailing dot', 'http://127.0.0.1.:3000/abc'],
      ['localhost on the same port', 'http://localhost:3000/abc'],
      ['upper-case LOCALHOST', 'http://LOCALHOST:3000/'],
      ['a configured custom domain', 'https://sho.rt/abc'],
      ['a configured custom domain with its default port', 'https://sho.rt:443/abc'],
    ])('R2.7 R2.8 rejects a destination on %s with 400', async (_, url) => {
      const { post } = setup({ selfOrigins: ['https://sho.rt'] });
      const response = await post({ url });
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toEqual({ error: 'url must not point at this shortener' });
    });

    it('R2.7 rejects the CloudFront origin the request arrived on', async () => {
      const { post } = setup();
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'd111.cloudfront.net' };
      expect((await post({ url: 'https://d111.cloudfront.net/x' }, { headers })).statusCode).toBe(400);
      expect((await post({ url: 'https://d222.cloudfront.net/x' }, { headers })).statusCode).toBe(201);
    });

    it('R2.7 accepts the same host on another port', async () => {
      const { post } = setup();
      expect((await post({ url: 'http://127.0.0.1:3001/' })).statusCode).toBe(201);
    });

    it.each([
      ['too short', 'ab'],
      ['too long', 'a'.repeat(65)],
      ['a slash', 'a/b'],
      ['a dot', 'a.bc'],
      ['a space', 'a bc'],
      ['non-ASCII', 'café'],
      ['empty', ''],
      ['a number', 1234],
    ])('R3.3 rejects an alias that is %s with 400', async (_, alias) => {
      const { post, links } = setup();
      const response = await post({ url: 'https://example.com/', alias });
      expect(response.statusCode).toBe(400);
      expect(links.items.size).toBe(0);
    });

    it.each(['links', 'ADMIN', 'Login', 'api', 'assets', 'health', 'signup', 'logout', 'static'])(
      'R3.4 rejects the reserved alias %s with 400',
      async (alias) => {
        const { post } = setup();
        const response = await post({ url: 'https://example.com/', alias });
        expect(response.statusCode).toBe(400);
        expect(bodyOf(response).error).toContain('reserved');
      },
    );

    it('R3.5 treats aliases differing only in case as different links', async () => {
      const { post, links } = setup();
      expect((await post({ url: 'https://a.example/', alias: 'promo' })).statusCode).toBe(201);
      expect((await post({ url: 'https://b.example/', alias: 'Promo' })).statusCode).toBe(201);
      expect(links.items.get('promo')?.url).toBe('https://a.example/');
      expect(links.items.get('Promo')?.url).toBe('https://b.example/');
    });

    it('R7.1 answers 401 without a sub claim and stores nothing', async () => {
      const { post, links } = setup();
      const response = await post({ url: 'https://example.com/' }, { sub: null });
      expect(response.statusCode).toBe(401);
      expect(bodyOf(response)).toEqual({ error: 'authentication required' });
      expect(links.calls).toEqual([]);
    });

    it.each([
      ['truncated JSON', '{"url": "https://example.com/"'],
      ['not JSON at all', 'url=https://example.com/'],
      ['an empty body', ''],
    ])('R7.2 answers 400 for %s', async (_, body) => {
      const { post } = setup();
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toEqual({ error: 'request body must be valid JSON' });
    });

    it('R7.2 answers 400 for a missing body', async () => {
      const handler = createLinkHandler({ ...quota(), links: new InMemoryLinkStore(), policy: LOCAL_POLICY });
      expect((await handler(apiEvent({ method: 'POST' }))).statusCode).toBe(400);
    });

    it('R7.2 answers 400 for a body that is not UTF-8', async () => {
      const { post } = setup();
      const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]).toString('base64');
      expect((await post(body, { isBase64Encoded: true })).statusCode).toBe(400);
    });

    it.each([
      ['an array', '[{"url": "https://example.com/"}]'],
      ['a string', '"https://example.com/"'],
      ['a number', '42'],
      ['null', 'null'],
    ])('R7.3 answers 400 for JSON that is %s', async (_, body) => {
      const { post } = setup();
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)).toEqual({ error: 'request body must be a JSON object' });
    });

    it('R7.4 answers 413 for a body over 64 KiB, plain or base64', async () => {
      const { post, links } = setup();
      const big = JSON.stringify({ url: 'https://example.com/', pad: 'x'.repeat(64 * 1024) });
      expect((await post(big)).statusCode).toBe(413);
      const base64 = Buffer.from(big).toString('base64');
      const response = await post(base64, { isBase64Encoded: true });
      expect(response.statusCode).toBe(413);
      expect(bodyOf(response).error).toContain('65536');
      expect(links.items.size).toBe(0);
    });

    it('R7.4 accepts a body of exactly 64 KiB', async () => {
      const { post } = setup();
      const head = JSON.stringify({ url: 'https://example.com/', pad: '' });
      const body = JSON.stringify({ url: 'https://example.com/', pad: 'x'.repeat(64 * 1024 - head.length) });
      expect(Buffer.byteLength(body)).toBe(64 * 1024);
      expect((await post(body)).statusCode).toBe(201);
    });

    it('R7.5 decodes a base64-encoded body', async () => {
      const { post } = setup();
      const body = Buffer.from(JSON.stringify({ url: 'https://example.com/b64', alias: 'b64' })).toString('base64');
      const response = await post(body, { isBase64Encoded: true });
      expect(response.statusCode).toBe(201);
      expect(bodyOf(response).url).toBe('https://example.com/b64');
    });

    it('R7.7 answers 500 "internal error" when the store fails, logs the cause and leaks nothing', async () => {
      const logger = new CapturingLogger();
      const handler = createLinkHandler({ ...quota(), links: new FailingLinkStore(), policy: LOCAL_POLICY, logger });
      const response = await handler(
        apiEvent({ method: 'POST', body: JSON.stringify({ url: 'https://example.com/' }) }),
      );
      expect(response.statusCode).toBe(500);
      expect(response.body).toBe('{"error":"internal error"}');
      expect(logger.lines).toHaveLength(1);
      expect(JSON.stringify(logger.lines[0])).toContain('ECONNREFUSED');
      expect(JSON.stringify(logger.lines[0])).toContain('stack');
    });

    it('R7.9 uses the first forwarded value when proxies appended more', async () => {
      const { post } = setup();
      const headers = { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'sho.rt, internal.lb' };
      const response = await post({ url: 'https://example.com/', alias: 'first' }, { headers });
      expect(bodyOf(response).shortUrl).toBe('https://sho.rt/first');
    });
  });
});
