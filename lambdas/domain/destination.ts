// Destination rules from the contract: what a short link may point at, and the one form it is stored in.

import { ValidationError } from './errors.ts';
import { LINK_RULES } from './rules.ts';

// Any whitespace (including Unicode spaces and line separators) or control character, anywhere.
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

// Hosts that reach the machine itself: on a loopback-served shortener they are all the same host.
// WHATWG has already turned IPv4 shorthands (127.1, 0x7f.0.0.1) into dotted form and lower-cased names.
const LOOPBACK_HOST =
  /^(localhost|.+\.localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])$/;

/**
 * Checks a destination and returns its WHATWG serialisation (`new URL(raw).href`): the form that is
 * stored, returned as `url` and sent as `Location`.
 *
 * @param selfOrigins the origins the shortener is served on (the request's own one first); a
 *   destination on any of them would redirect back into the shortener.
 */
export function normaliseDestination(raw: unknown, selfOrigins: readonly string[]): string {
  if (typeof raw !== 'string' || raw === '') throw new ValidationError('url is required and must be a string');
  if (WHITESPACE_OR_CONTROL.test(raw))
    throw new ValidationError('url must not contain whitespace or control characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError('url must be an absolute http or https URL');
  }
  if (url.hostname === '') throw new ValidationError('url must have a host');
  if (url.username !== '' || url.password !== '') throw new ValidationError('url must not contain credentials');
  if (url.href.length > LINK_RULES.maxUrlLength) {
    throw new ValidationError(`url must be at most ${LINK_RULES.maxUrlLength} characters once normalised`);
  }
  if (selfOriginKeys(selfOrigins).has(originKey(url.protocol, url.hostname, url.port))) {
    throw new ValidationError('url must not point at this shortener');
  }
  return url.href;
}

/** scheme://host:port with the default port made explicit, a trailing root dot dropped, loopback as one host. */
function originKey(protocol: string, hostname: string, port: string): string {
  const effectivePort = port === '' ? (protocol === 'https:' ? '443' : '80') : port;
  const host = hostname.replace(/\.$/, '');
  return `${protocol}//${LOOPBACK_HOST.test(host) ? 'loopback' : host}:${effectivePort}`;
}

function selfOriginKeys(selfOrigins: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const origin of selfOrigins) {
    try {
      const url = new URL(origin);
      keys.add(originKey(url.protocol, url.hostname, url.port));
    } catch {
      // A malformed configured origin cannot match any valid destination.
    }
  }
  return keys;
}
