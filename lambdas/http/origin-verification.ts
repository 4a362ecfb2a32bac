// The API is reachable only through CloudFront: CloudFront adds a secret header to every request it sends to
// the API, and the functions answer 403 to anything without it (a direct call to the execute-api endpoint).
// The expected values come from the environment, read once per cold start: no network call, no extra client.
// Local mode sets none, and then the local gateway, the only way in, is trusted.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DISTRIBUTION_HOST_HEADER, FORWARDED_HOST_HEADER, ORIGIN_VERIFY_HEADER } from '../declarations/routes.ts';
import { ENV } from '../declarations/runtime.ts';
import type { ApiEvent } from './request.ts';

/** The digests of the accepted secrets; empty when the check is off (local mode). */
export interface OriginSecrets {
  readonly digests: readonly Buffer[];
}

/** The current secret and, during a rotation, the previous one (CloudFront takes minutes to switch). */
export function originSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): OriginSecrets {
  const values = [env[ENV.originSecret], env[ENV.originSecretPrevious]].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return { digests: values.map(digest) };
}

/**
 * Whether the request came through CloudFront. The header is removed afterwards, so nothing downstream
 * can log or echo the secret. Compared in constant time, over digests so that lengths do not leak either.
 */
export function verifyOrigin(event: ApiEvent, secrets: OriginSecrets): boolean {
  const headers = event.headers ?? {};
  const presented = headers[ORIGIN_VERIFY_HEADER];
  delete headers[ORIGIN_VERIFY_HEADER];
  if (secrets.digests.length === 0) return true;
  if (typeof presented !== 'string' || presented === '') return false;
  const candidate = digest(presented);
  // Every accepted value is compared, so the time taken does not say which one matched.
  return secrets.digests.reduce((matched, expected) => timingSafeEqual(candidate, expected) || matched, false);
}

/**
 * Every origin this request shows the shortener answering on: the viewer-facing host (set by CloudFront's
 * viewer function, or the local gateway), the distribution's own domain (which answers beside a custom
 * domain) and the API's own execute-api domain. Only meaningful once `verifyOrigin` passed: then these
 * headers were set by CloudFront, not by the caller.
 */
export function requestOrigins(event: ApiEvent): string[] {
  const hosts = [
    event.headers?.[FORWARDED_HOST_HEADER],
    event.headers?.[DISTRIBUTION_HOST_HEADER],
    event.requestContext?.domainName,
  ];
  return [
    ...new Set(
      hosts
        .map((host) => host?.split(',')[0]?.trim())
        .filter((host): host is string => Boolean(host))
        .map((host) => `https://${host}`),
    ),
  ];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
