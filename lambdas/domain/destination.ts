// Destination rules from the contract: what a short link may point at, and the one form it is stored in.
import { LIMITS } from '../../lib/definitions.ts';
import { ValidationError } from './errors.ts';

// Any whitespace (including Unicode spaces and line separators) or control character, anywhere.
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

// Loopback names a browser on the shortener's own machine treats as the same host.
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

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
  if (url.href.length > LIMITS.maxUrlLength) {
    throw new ValidationError(`url must be at most ${LIMITS.maxUrlLength} characters once normalised`);
  }
  if (selfOriginKeys(selfOrigins).has(originKey(url.protocol, url.hostname, url.port))) {
    throw new ValidationError('url must not point at this shortener');
  }
  return url.href;
}

/** scheme://host:port with the default port made explicit and a trailing root dot dropped. */
function originKey(protocol: string, hostname: string, port: string): string {
  const effectivePort = port === '' ? (protocol === 'https:' ? '443' : '80') : port;
  return `${protocol}//${hostname.replace(/\.$/, '')}:${effectivePort}`;
}

function selfOriginKeys(selfOrigins: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const origin of selfOrigins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      continue; // A malformed configured origin cannot match any valid destination.
    }
    const host = url.hostname.replace(/\.$/, '');
    // Served on a loopback address, the shortener is reachable under every loopback name on that port.
    const hosts = LOOPBACK_HOSTS.includes(host) ? LOOPBACK_HOSTS : [host];
    for (const name of hosts) keys.add(originKey(url.protocol, name, url.port));
  }
  return keys;
}
