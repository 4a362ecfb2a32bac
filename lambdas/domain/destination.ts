// Destination rules from the contract: what a short link may point at, and the one form it is stored in.

import { ValidationError } from './errors.ts';
import { LINK_RULES, OTHER_SHORTENERS } from './rules.ts';

// Any whitespace (including Unicode spaces and line separators) or control character, anywhere.
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

/** What a deployment allows as destinations, beyond the fixed URL rules. */
export interface DestinationPolicy {
  /**
   * Origins (or bare host names) the shortener answers on, the request's own one included: a
   * destination on any of their hosts would redirect back into the shortener.
   */
  readonly selfOrigins: readonly string[];
  /** Refused hosts: `host` refuses exactly that host, `.host` (or `*.host`) that host and every name under it. */
  readonly blockedHosts: readonly string[];
  /** Whether other URL shorteners are refused (a chain hides where a link really leads). */
  readonly refuseShorteners: boolean;
  /**
   * Local mode only: loopback destinations (development servers) are allowed. Everywhere else every
   * network-internal destination is refused.
   */
  readonly allowLoopback: boolean;
}

/** The policy of a deployment that sets nothing: other shorteners and internal destinations refused. */
export const STRICT_POLICY: DestinationPolicy = {
  selfOrigins: [],
  blockedHosts: [],
  refuseShorteners: true,
  allowLoopback: false,
};

/**
 * Checks a destination and returns its WHATWG serialisation (`new URL(raw).href`): the form that is
 * stored, returned as `url` and sent as `Location`.
 */
export function normaliseDestination(raw: unknown, policy: DestinationPolicy): string {
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
  const host = normaliseHost(url.hostname);
  const place = classifyHost(host);
  if (pointsAtSelf(host, place, effectivePort(url), policy.selfOrigins)) {
    throw new ValidationError('url must not point at this shortener');
  }
  if (place === 'internal' || (place === 'loopback' && !policy.allowLoopback)) {
    throw new ValidationError(
      'url must not point inside a network (private, loopback, link-local or metadata addresses, localhost)',
    );
  }
  if (matchesAny(host, policy.blockedHosts.map(hostRule))) {
    throw new ValidationError(`url points at a blocked host (${host})`);
  }
  if (
    policy.refuseShorteners &&
    matchesAny(
      host,
      OTHER_SHORTENERS.map((name) => hostRule(`*.${name}`)),
    )
  ) {
    throw new ValidationError(`url must not point at another URL shortener (${host}): link to the final destination`);
  }
  return url.href;
}

/** Where a host is: the machine itself, inside some network, or out on the internet. */
export type HostPlace = 'loopback' | 'internal' | 'public';

/**
 * A host as WHATWG parsed it (lower case, IPv4 in dotted form whatever form it was written in, IPv6
 * compressed in brackets), with trailing root dots dropped and IPv4-mapped IPv6 written as IPv4.
 */
export function normaliseHost(hostname: string): string {
  const host = hostname.replace(/\.+$/, '');
  const mapped = host.startsWith('[') ? mappedIpv4(ipv6Bytes(host.slice(1, -1))) : undefined;
  return mapped ? mapped.join('.') : host;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
function mappedIpv4(bytes: readonly number[] | undefined): number[] | undefined {
  const mapped = bytes?.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes?.slice(12) : undefined;
}

// Names that never leave the network they are resolved in.
const INTERNAL_SUFFIXES = ['internal', 'local', 'localdomain', 'lan', 'intranet', 'corp', 'home', 'home.arpa'];

export function classifyHost(host: string): HostPlace {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.startsWith('[')) {
    const bytes = ipv6Bytes(host.slice(1, -1));
    return bytes ? classifyIpv6(bytes) : 'internal';
  }
  const ipv4 = ipv4Bytes(host);
  if (ipv4) return classifyIpv4(ipv4);
  // A single label (`http://intranet/`) is resolved through the network's own search domains.
  if (!host.includes('.')) return 'internal';
  return INTERNAL_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`)) ? 'internal' : 'public';
}

/** [first address, prefix length] of IPv4 ranges that do not lead to the public internet. */
const INTERNAL_IPV4: readonly [number[], number][] = [
  [[0, 0, 0, 0], 8], // "this network"
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[169, 254, 0, 0], 16], // link-local, cloud metadata (169.254.169.254)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

function classifyIpv4(bytes: readonly number[]): HostPlace {
  // 0.0.0.0 reaches the machine itself on most systems.
  if (bytes[0] === 127 || bytes.every((b) => b === 0)) return 'loopback';
  return INTERNAL_IPV4.some(([base, prefix]) => inPrefix(bytes, base, prefix)) ? 'internal' : 'public';
}

function classifyIpv6(bytes: readonly number[]): HostPlace {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 15) && (bytes[15] === 1 || bytes[15] === 0)) return 'loopback'; // ::1 and ::
  // Addresses that carry an IPv4 address: IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 (2002::/16).
  const mapped = mappedIpv4(bytes);
  if (mapped) return classifyIpv4(mapped);
  if (zeros(0, 12)) return classifyIpv4(bytes.slice(12));
  if (inPrefix(bytes, [0, 0x64, 0xff, 0x9b, ...new Array(8).fill(0)], 96)) return classifyIpv4(bytes.slice(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(bytes.slice(2, 6));
  const first = bytes[0] ?? 0;
  const second = bytes[1] ?? 0;
  if ((first & 0xfe) === 0xfc) return 'internal'; // unique local fc00::/7 (AWS metadata fd00:ec2::254)
  if (first === 0xfe && (second & 0xc0) === 0x80) return 'internal'; // link-local fe80::/10
  if (first === 0xfe && (second & 0xc0) === 0xc0) return 'internal'; // site-local fec0::/10
  if (first === 0xff) return 'internal'; // multicast
  return 'public';
}

function inPrefix(bytes: readonly number[], base: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 1) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((base[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The four bytes of a dotted IPv4 address (WHATWG has already turned every other form into this one). */
function ipv4Bytes(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.map(Number);
}

/** The sixteen bytes of an IPv6 address (without brackets); undefined when it is not one. */
function ipv6Bytes(address: string): number[] | undefined {
  let text = address;
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4Bytes(dotted[1]);
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, dotted.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const all = [...head, ...new Array(missing).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const bytes = all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function effectivePort(url: URL): string {
  return url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
}

/**
 * On the internet the shortener is a host: every scheme and port of it loops back. On a loopback
 * address (local mode) it is one port of the machine, and other ports are other programs.
 */
function pointsAtSelf(host: string, place: HostPlace, port: string, selfOrigins: readonly string[]): boolean {
  for (const origin of selfOrigins) {
    let self: URL;
    try {
      self = new URL(origin.includes('://') ? origin : `https://${origin}`);
    } catch {
      continue; // A malformed configured origin cannot match any valid destination.
    }
    const selfHost = normaliseHost(self.hostname);
    if (classifyHost(selfHost) === 'loopback') {
      if (place === 'loopback' && effectivePort(self) === port) return true;
    } else if (selfHost === host) return true;
  }
  return false;
}

interface HostRule {
  host: string;
  withSubdomains: boolean;
}

/** `name`, or `.name` / `*.name`, in the form URL hosts take (lower case, punycode, no trailing dot). */
function hostRule(entry: string): HostRule {
  const trimmed = entry.trim();
  const withSubdomains = trimmed.startsWith('.') || trimmed.startsWith('*.');
  const name = trimmed.replace(/^\*?\./, '');
  let host = name.toLowerCase();
  try {
    host = new URL(`http://${name}`).hostname;
  } catch {
    // Not a valid host name: compared as written, it can only match itself.
  }
  return { host: normaliseHost(host), withSubdomains };
}

function matchesAny(host: string, rules: readonly HostRule[]): boolean {
  return rules.some(
    (rule) => rule.host !== '' && (host === rule.host || (rule.withSubdomains && host.endsWith(`.${rule.host}`))),
  );
}
