// Business rules of links and codes: the limits the public contract fixes and the words no alias may take.

export const LINK_RULES = {
  maxUrlLength: 2048,
  randomCodeLength: 8,
  aliasMinLength: 3,
  aliasMaxLength: 64,
} as const;

export const PAGE_SIZE = { default: 20, max: 100 } as const;

/**
 * Aliases that would shadow a path the shortener serves, or that users would take for one.
 * Compared without regard to case.
 */
export const RESERVED_ALIASES: readonly string[] = [
  'links',
  'api',
  'assets',
  'static',
  'health',
  'admin',
  'login',
  'logout',
  'signup',
  'signin',
  'register',
  'config',
  'index',
  'favicon',
  'robots',
  'sitemap',
  'well-known',
  'auth',
  'oauth',
  'callback',
  'account',
  'settings',
  'dashboard',
  'www',
  'openapi',
  'docs',
  // `/links/bulk` is a route of its own, so a link coded `bulk` could not be read or edited through the API.
  'bulk',
];

/** `POST /links/bulk`: rows per request, and how many rows are written at once. */
export const BULK_RULES = { maxRows: 1000, concurrency: 16 } as const;

/** Longest operator reason kept with a takedown. */
export const TAKEDOWN_REASON_MAX_LENGTH = 500;

/**
 * Per-user limits when a deployment sets none: generous for a person or a script doing real work,
 * low enough that one account cannot flood the table or the redirect domain's reputation.
 */
export const DEFAULT_LIMITS = {
  /** Links created through `POST /links` per user and UTC day. */
  linksPerDay: 1000,
  /** Links created through `POST /links/bulk` per user and UTC day. */
  bulkRowsPerDay: 10_000,
  /** Requests to the signed-in API per user and minute (fixed window). */
  requestsPerMinute: 600,
} as const;

/**
 * Other URL shorteners, refused as destinations by default (with every name under them): a chain
 * of shorteners hides the final destination from the people following the link and from blocklists.
 */
export const OTHER_SHORTENERS: readonly string[] = [
  'bit.ly',
  'bitly.com',
  'j.mp',
  't.co',
  'tinyurl.com',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'v.gd',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  't.ly',
  'tiny.cc',
  'rb.gy',
  'bl.ink',
  's.id',
  'short.io',
  'lnkd.in',
  'dub.sh',
  'kutt.it',
  'shorte.st',
  'adf.ly',
  'clck.ru',
  'soo.gd',
  'snip.ly',
  'trib.al',
  'qrco.de',
  'tr.ee',
];
