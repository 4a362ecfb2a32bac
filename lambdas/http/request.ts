// Reading API Gateway HTTP API (payload v2) events: who is calling, what they sent, where from.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { DEFAULT_MAX_BODY_BYTES, FORWARDED_HOST_HEADER } from '../declarations/routes.ts';
import type { DestinationPolicy } from '../domain/destination.ts';
import { ValidationError } from '../domain/errors.ts';
import { HttpError } from './errors.ts';
import { requestOrigins } from './origin-verification.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** The caller's Cognito `sub`, put there by the JWT authorizer (or the local gateway). */
export function callerOf(event: ApiEvent): string {
  // Typed as always present, but an unauthorized route or a misrouted event has no authorizer.
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new HttpError(401, 'authentication required');
  return sub;
}

/** The request body as a JSON object: 413 when over the limit, 400 when not a JSON object. */
export function jsonObjectBody(event: ApiEvent, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): Record<string, unknown> {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBodyBytes) {
    throw new HttpError(413, `request body must be at most ${maxBodyBytes} bytes`);
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ValidationError('request body must be valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * The origin the visitor used: CloudFront (or the local gateway) forwards the viewer's host in
 * `x-forwarded-host`; without it, the API's own domain.
 */
export function publicOrigin(event: ApiEvent): string {
  const forwardedProto = firstValue(event.headers?.['x-forwarded-proto'])?.toLowerCase();
  const proto = forwardedProto === 'http' ? 'http' : 'https';
  const host = firstValue(event.headers?.[FORWARDED_HOST_HEADER]) ?? event.requestContext.domainName;
  try {
    const { origin, pathname, search, hash } = new URL(`${proto}://${host}`);
    // A host header with a path, query or credentials in it is not a host: ignore it.
    if (pathname === '/' && search === '' && hash === '' && !host.includes('@')) return origin;
  } catch {
    // Not a valid host: fall through to the API's own domain.
  }
  return `https://${event.requestContext.domainName}`;
}

/** The `{link}` path segment, or '' when the route has none. */
export function linkParameter(event: ApiEvent): string {
  return event.pathParameters?.link ?? '';
}

/** Proxies may append to forwarded headers (`a, b`); the first entry is the viewer-facing one. */
function firstValue(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/**
 * The caller's Cognito groups. API Gateway's JWT authorizer hands array claims over as one string,
 * `[a b]`; other spellings (a JSON array, a comma list, a real array) are read too.
 */
export function groupsOf(event: ApiEvent): string[] {
  const claim: unknown = event.requestContext?.authorizer?.jwt?.claims?.['cognito:groups'];
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  const text = claim.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // `[a b]`: split below.
    }
    return text
      .slice(1, -1)
      .split(/[\s,]+/)
      .filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

/**
 * The deployment's destination policy with every origin this request shows the shortener answering on
 * (its public origin, the CloudFront and execute-api domains) among the self origins.
 */
export function destinationPolicy(policy: DestinationPolicy, event: ApiEvent): DestinationPolicy {
  return { ...policy, selfOrigins: [publicOrigin(event), ...requestOrigins(event), ...policy.selfOrigins] };
}
