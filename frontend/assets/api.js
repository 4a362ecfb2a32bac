// The shortener's links API on the page's own origin, called with the Cognito access token.

/** An API error: `status` from the response, `message` the API's human-readable `error`. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {number} [retryAfterMs] from `Retry-After` on 429/503 */
  constructor(status, message, retryAfterMs) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * @typedef {{ link: string, url: string, shortUrl: string, created: string, count: number, bots?: number,
 *   expiresAt?: string, disabled?: { reason: string, at: string } }} Link
 * @typedef {{ items: Link[], nextCursor?: string }} LinkPage
 * @typedef {{ name: string, count: number }} Entry
 * @typedef {{ link: string, from: string, to: string, count: number, bots: number,
 *   days: { date: string, count: number, bots: number }[], referrers: Entry[], countries: Entry[],
 *   devices: Entry[], browsers: Entry[] }} Stats
 * @typedef {{ url: string, alias?: string, expiresAt?: string }} NewLink
 * @typedef {{ index: number, status: number, link?: Link, error?: string }} BulkResult
 * @typedef {import('./session.js').Session} Session
 */

const FALLBACK_MESSAGES = {
  400: 'The server did not accept that. Please check what you typed.',
  401: 'Your session has expired. Please sign in again.',
  404: 'That link does not exist (any more).',
  409: 'That alias is already taken. Please pick another one.',
  403: 'An operator disabled this link, so it cannot be changed.',
  410: 'That link has expired or was disabled.',
  413: 'That is too long to send.',
  429: 'You have reached your limit for now. Please try again later.',
  503: 'The shortener is very busy. Please try again in a moment.',
};

export class LinksApi {
  /** @param {Session} session */
  constructor(session) {
    this.session = session;
  }

  /**
   * Sends one request; on 401 refreshes the tokens once and retries, since the token may have
   * expired while the tab slept.
   * @param {string} method @param {string} path @param {unknown} [body]
   */
  async request(method, path, body) {
    let response = await this.send(method, path, body, await this.session.accessToken());
    if (response.status === 401) {
      await this.session.refresh();
      response = await this.send(method, path, body, await this.session.accessToken());
      if (response.status === 401) this.session.end(FALLBACK_MESSAGES[401]);
    }
    if (response.status === 204) return null;
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message =
        typeof payload.error === 'string' && payload.error
          ? sentence(payload.error)
          : (FALLBACK_MESSAGES[/** @type {keyof typeof FALLBACK_MESSAGES} */ (response.status)] ??
            'The server had a problem. Please try again in a moment.');
      throw new ApiError(response.status, message, retryAfterMs(response.headers.get('retry-after')));
    }
    return payload;
  }

  /** @param {string} method @param {string} path @param {unknown} body @param {string} token */
  async send(method, path, body, token) {
    try {
      return await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
    }
  }

  /** @param {string} url @param {string} [alias] @param {string} [expiresAt] @returns {Promise<Link>} */
  create(url, alias, expiresAt) {
    return this.request('POST', '/links', { url, ...(alias ? { alias } : {}), ...(expiresAt ? { expiresAt } : {}) });
  }

  /** @param {{ limit?: number, cursor?: string }} [options] @returns {Promise<LinkPage>} */
  list({ limit = 20, cursor } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/links?${query}`);
  }

  /** Every link of the user, page by page (100 at a time), newest first. */
  async *all() {
    /** @type {string | undefined} */
    let cursor;
    do {
      const page = await this.list({ limit: 100, cursor });
      yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** @param {string} code @returns {Promise<Link>} */
  get(code) {
    return this.request('GET', linkPath(code));
  }

  /** @param {string} code @param {{ url?: string, expiresAt?: string | null }} changes @returns {Promise<Link>} */
  update(code, changes) {
    return this.request('PATCH', linkPath(code), changes);
  }

  /** @param {string} code */
  remove(code) {
    return this.request('DELETE', linkPath(code));
  }

  /** @param {string} code @param {{ from: string, to: string }} range UTC days @returns {Promise<Stats>} */
  stats(code, { from, to }) {
    return this.request('GET', `${linkPath(code)}/stats?${new URLSearchParams({ from, to })}`);
  }

  /**
   * Creates up to 1,000 links, or with `dryRun` only says what would happen to each.
   * @param {NewLink[]} links @param {boolean} dryRun @returns {Promise<{ results: BulkResult[] }>}
   */
  bulk(links, dryRun) {
    return this.request('POST', '/links/bulk', dryRun ? { links, dryRun } : { links });
  }

  /**
   * Operators only: takes any user's link down (it then answers 410) or puts it back.
   * @param {string} code @param {boolean} disabled @param {string} reason
   */
  setDisabled(code, disabled, reason) {
    return this.request('POST', `${linkPath(code)}/${disabled ? 'disable' : 'enable'}`, { reason });
  }
}

/** @param {string} code */
const linkPath = (code) => `/links/${encodeURIComponent(code)}`;

/** `Retry-After` (seconds or an HTTP date) in ms; undefined when absent or unreadable. @param {string | null} value */
function retryAfterMs(value) {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The API's terse message as a sentence: "url must have a host" -> "The URL must have a host." @param {string} text */
function sentence(text) {
  const named = text
    .trim()
    .replace(/^url\b/i, 'The URL')
    .replace(/^alias\b/i, 'The alias');
  const capital = named.charAt(0).toUpperCase() + named.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
