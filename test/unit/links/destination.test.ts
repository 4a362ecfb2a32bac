import { describe, expect, it } from 'vitest';
import { normaliseDestination } from '../../../lambdas/domain/destination.ts';
import { ValidationError } from '../../../lambdas/domain/errors.ts';

const SELF = ['http://127.0.0.1:3000'];
// Local mode's policy: loopback destinations other than the shortener itself are allowed.
const local = (selfOrigins: readonly string[]) => ({
  selfOrigins,
  blockedHosts: [],
  refuseShorteners: true,
  allowLoopback: true,
});
const accept = (raw: unknown, self: readonly string[] = SELF) => normaliseDestination(raw, local(self));
const reject = (raw: unknown, self: readonly string[] = SELF) => {
  expect(() => normaliseDestination(raw, local(self))).toThrow(ValidationError);
};

describe('links-api', () => {
  describe('destination rules', () => {
    it('R2.1 accepts absolute http and https URLs', () => {
      expect(accept('http://example.com')).toBe('http://example.com/');
      expect(accept('https://example.com/path?q=1#frag')).toBe('https://example.com/path?q=1#frag');
    });

    it.each([
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/',
      'ws://example.com/',
      'mailto:a@example.com',
      'blob:https://example.com/uuid',
      '//example.com/protocol-relative',
      '/relative',
      'example.com',
      'https://',
      'http://',
    ])('R2.1 rejects %s', (raw) => reject(raw));

    it.each([undefined, null, 42, true, {}, [], ''])('R2.2 rejects %j', (raw) => reject(raw));

    it.each([
      'https://example.com/a b',
      ' https://example.com/',
      'https://example.com/ ',
      'https://exa\tmple.com/',
      'https://example.com/\r\nSet-Cookie: a=b',
      'https://example.com/\u0000',
      'https://example.com/\u007f',
      'https://example.com/\u0085',
      'https://example.com/\u00a0',
      'https://example.com/\u2028',
      'https://example.com/\u3000',
      'https://example.com/\ufeff',
    ])('R2.3 rejects whitespace or control characters anywhere: %j', (raw) => reject(raw));

    it.each(['https://user:pass@example.com/', 'https://user@example.com/', 'https://:pass@example.com/'])(
      'R2.4 rejects credentials: %s',
      (raw) => reject(raw),
    );

    it('R2.4 accepts an empty userinfo, which WHATWG drops', () => {
      expect(accept('https://@example.com/')).toBe('https://example.com/');
    });

    it.each([
      ['an IDN host to punycode', 'https://münchen.de/', 'https://xn--mnchen-3ya.de/'],
      [
        'non-ASCII path and query to percent-encoding',
        'https://example.com/ä?ö=ü',
        'https://example.com/%C3%A4?%C3%B6=%C3%BC',
      ],
      ['upper-case scheme and host to lower case', 'HTTPS://EXAMPLE.COM/Path', 'https://example.com/Path'],
      ['a default port away', 'https://example.com:443/', 'https://example.com/'],
      ['dot segments away', 'https://example.com/a/../b/./c', 'https://example.com/b/c'],
      ['an IPv4 shorthand to dotted form', 'http://127.1:8080/', 'http://127.0.0.1:8080/'],
      ['a missing path to /', 'https://example.com?q', 'https://example.com/?q'],
    ])('R2.5 normalises %s', (_, raw, href) => {
      expect(accept(raw)).toBe(href);
    });

    it('R2.6 accepts 2,048 characters and rejects 2,049 and 3,000 after normalisation', () => {
      const base = 'https://example.com/';
      expect(accept(base + 'a'.repeat(2048 - base.length))).toHaveLength(2048);
      reject(base + 'a'.repeat(2049 - base.length));
      reject(base + 'a'.repeat(3000 - base.length));
    });

    it('R2.6 measures the limit on the normalised form, where é becomes %C3%A9', () => {
      const base = 'https://example.com/';
      const raw = base + 'é'.repeat(700); // 720 characters as sent, 2,120 once percent-encoded
      expect(raw.length).toBeLessThan(2048);
      reject(raw);
    });

    it.each([
      ['the exact origin', 'http://127.0.0.1:3000/abc', SELF],
      ['the origin without a path', 'http://127.0.0.1:3000', SELF],
      ['localhost on the same port', 'http://localhost:3000/abc', SELF],
      ['IPv6 loopback on the same port', 'http://[::1]:3000/abc', SELF],
      ['an IPv4 shorthand of the origin', 'http://127.1:3000/', SELF],
      ['a hex IPv4 form of the origin', 'http://0x7f.0.0.1:3000/', SELF],
      ['a trailing root dot', 'http://localhost.:3000/', SELF],
      ['a subdomain of localhost', 'http://app.localhost:3000/', SELF],
      ['another 127/8 address', 'http://127.0.0.2:3000/', SELF],
      ['0.0.0.0', 'http://0.0.0.0:3000/', SELF],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:3000/', SELF],
      ['127.0.0.1 when localhost is the origin', 'http://127.0.0.1:4000/', ['http://localhost:4000']],
      ['another scheme on the same loopback port', 'https://127.0.0.1:3000/', SELF],
      ['a custom domain, default port implied', 'https://sho.rt/x', ['https://sho.rt']],
      ['a custom domain under the other scheme', 'http://sho.rt/x', ['https://sho.rt']],
      ['a custom domain on another port', 'https://sho.rt:8443/x', ['https://sho.rt']],
      [
        'a host configured without a scheme',
        'https://abc.execute-api.eu-west-1.amazonaws.com/',
        ['abc.execute-api.eu-west-1.amazonaws.com'],
      ],
      ['a custom domain, default port explicit', 'https://sho.rt:443/x', ['https://sho.rt']],
      ['a custom domain configured with its port', 'https://sho.rt/x', ['https://sho.rt:443']],
      ['a custom domain in upper case', 'https://SHO.RT/x', ['https://sho.rt']],
      ['a punycode-equal IDN domain', 'https://kürz.de/x', ['https://xn--krz-hoa.de']],
      ['the second of several origins', 'https://d1.cloudfront.net/', ['https://sho.rt', 'https://d1.cloudfront.net']],
    ])('R2.7 R2.8 rejects %s', (_, raw, self) => reject(raw, self));

    it.each([
      ['another port', 'http://127.0.0.1:3001/'],
      ['localhost on the default port', 'http://localhost/'],
      ['another host', 'https://example.com/'],
    ])('R2.7 accepts %s', (_, raw) => {
      expect(() => accept(raw)).not.toThrow();
    });

    it('R2.7 ignores a malformed configured origin instead of crashing', () => {
      expect(accept('https://example.com/', ['not a url', ''])).toBe('https://example.com/');
    });

    it('R2.8 does not widen a non-loopback origin to loopback names, nor loopback to other hosts', () => {
      expect(accept('https://localhost/', ['https://sho.rt'])).toBe('https://localhost/');
      expect(accept('http://notlocalhost.example:3000/', SELF)).toBe('http://notlocalhost.example:3000/');
      expect(accept('http://128.0.0.1:3000/', SELF)).toBe('http://128.0.0.1:3000/');
    });
  });
});
