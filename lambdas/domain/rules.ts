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
];
