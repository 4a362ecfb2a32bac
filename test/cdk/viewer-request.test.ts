// Runs the CloudFront viewer-request function's source on sample events, as CloudFront would.
import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_HOST_HEADER, FORWARDED_HOST_HEADER } from '../../lambdas/declarations/routes.ts';
import { VIEWER_REQUEST_CODE } from '../../lib/stack/viewer-request.ts';

interface CloudFrontRequest {
  uri: string;
  method: string;
  headers: Record<string, { value: string }>;
}

const handler = new Function(`${VIEWER_REQUEST_CODE}\nreturn handler;`)() as (event: {
  request: CloudFrontRequest;
  context?: { distributionDomainName?: string };
}) => CloudFrontRequest;

const request = (uri: string, headers: Record<string, string>): CloudFrontRequest => ({
  uri,
  method: 'GET',
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }])),
});

describe('aws-deployment', () => {
  it('R7.3 copies the viewer Host into x-forwarded-host', () => {
    const result = handler({ request: request('/abc123', { host: 'd111.cloudfront.net' }) });
    expect(result.headers[FORWARDED_HOST_HEADER]).toEqual({ value: 'd111.cloudfront.net' });
    expect(result.uri).toBe('/abc123');
  });

  it('R7.3 overwrites an x-forwarded-host sent by the viewer (no spoofed shortUrl or self check)', () => {
    const result = handler({
      request: request('/links', { host: 'go.example.com', [FORWARDED_HOST_HEADER]: 'evil.example' }),
    });
    expect(result.headers[FORWARDED_HOST_HEADER]).toEqual({ value: 'go.example.com' });
  });

  it('R12.6 names the distribution domain, which answers beside a custom domain, overwriting any viewer value', () => {
    const result = handler({
      request: request('/links', { host: 'go.example.com', [DISTRIBUTION_HOST_HEADER]: 'evil.example' }),
      context: { distributionDomainName: 'd111.cloudfront.net' },
    });
    expect(result.headers[DISTRIBUTION_HOST_HEADER]).toEqual({ value: 'd111.cloudfront.net' });
    const untested = handler({ request: request('/links', { [DISTRIBUTION_HOST_HEADER]: 'evil.example' }) });
    expect(untested.headers[DISTRIBUTION_HOST_HEADER]).toBeUndefined();
  });

  it('R7.3 serves / as /index.html and leaves every other path alone', () => {
    expect(handler({ request: request('/', { host: 'go.example.com' }) }).uri).toBe('/index.html');
    for (const uri of ['/index', '/links', '/assets/app.js', '/config.json', '//']) {
      expect(handler({ request: request(uri, { host: 'go.example.com' }) }).uri, uri).toBe(uri);
    }
  });

  it('R7.3 uses only what cloudfront-js-2.0 offers (no imports, no Node.js globals)', () => {
    expect(VIEWER_REQUEST_CODE).not.toMatch(/\b(import|require|process|Buffer)\b/);
    expect(VIEWER_REQUEST_CODE.length).toBeLessThan(10_240);
  });
});
