import { describe, expect, it } from 'vitest';
import { endpointOrigin, pageSecurityHeaders } from '../../lib/web/security-headers.ts';

/** `{ 'connect-src': ["'self'", 'https://…'], … }` from a CSP header value. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('web-page', () => {
  const headers = pageSecurityHeaders('https://cognito-idp.eu-west-1.amazonaws.com/');
  const csp = directives(headers['Content-Security-Policy'] ?? '');

  it('R6.2 allows scripts, styles and images from the page origin only, never inline', () => {
    expect(csp['default-src']).toEqual(["'self'"]);
    for (const name of ['script-src', 'style-src', 'img-src']) expect(csp[name]).toEqual(["'self'"]);
    expect(headers['Content-Security-Policy']).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp['object-src']).toEqual(["'none'"]);
  });

  it('R6.2 lets the page call only itself and the Cognito endpoint origin', () => {
    expect(csp['connect-src']).toEqual(["'self'", 'https://cognito-idp.eu-west-1.amazonaws.com']);
    const local = directives(pageSecurityHeaders('http://127.0.0.1:9229/')['Content-Security-Policy'] ?? '');
    expect(local['connect-src']).toEqual(["'self'", 'http://127.0.0.1:9229']);
  });

  it('R6.2 forbids framing, base and foreign form targets', () => {
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'self'"]);
    expect(headers['X-Frame-Options']).toBe('DENY');
  });

  it('R6.2 sends HSTS, nosniff, a referrer policy and a permissions policy', () => {
    expect(headers['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('same-origin');
    expect(headers['Permissions-Policy']).toContain('camera=()');
    expect(headers['Permissions-Policy']).toContain('geolocation=()');
  });

  it('R6.2 keeps an unresolved CDK token in the origin and rejects a non-http endpoint', () => {
    // What CDK renders for an unresolved region: the literal `${Token[…]}` text is the point here.
    const token = ['$', '{Token[AWS.Region.7]}'].join('');
    expect(endpointOrigin(`https://cognito-idp.${token}.amazonaws.com/`)).toBe(
      `https://cognito-idp.${token}.amazonaws.com`,
    );
    expect(() => pageSecurityHeaders('javascript:alert(1)')).toThrow(/not an http/);
  });
});
