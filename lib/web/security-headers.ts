// Response headers for the web page (`/`, `/assets/*`, `/config.json`) and the short-link 404 page.
// CloudFront (response headers policy) and the local gateway both apply exactly this record, so the
// page runs under the same strict policy in both modes. Plain data only: no AWS imports.

/**
 * `scheme://host[:port]` of the Cognito endpoint. A regex rather than `new URL()` because the CDK may
 * pass an unresolved token (e.g. `https://cognito-idp.${Token[AWS.Region.7]}.amazonaws.com/`).
 */
export function endpointOrigin(endpoint: string): string {
  const match = /^(https?:\/\/[^/?#\s]+)/i.exec(endpoint.trim());
  if (!match?.[1]) throw new Error(`not an http(s) endpoint: ${endpoint}`);
  return match[1];
}

/** The Content-Security-Policy of the page: own origin only, plus the Cognito API for `fetch`. */
export function pageContentSecurityPolicy(cognitoEndpoint: string): string {
  const directives: Record<string, string> = {
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self'",
    'font-src': "'self'",
    'connect-src': `'self' ${endpointOrigin(cognitoEndpoint)}`,
    'manifest-src': "'self'",
    'object-src': "'none'",
    'frame-ancestors': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
  };
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

export function pageSecurityHeaders(cognitoEndpoint: string): Record<string, string> {
  return {
    'Content-Security-Policy': pageContentSecurityPolicy(cognitoEndpoint),
    // Browsers ignore HSTS over plain http, so local mode can send it unchanged.
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Same-origin keeps the Origin header on the page's own POSTs; destinations learn nothing about the page.
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy':
      'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), clipboard-write=(self)',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
