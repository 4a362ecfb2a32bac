// The shortener's links API on the page's own origin, called with the Cognito access token.

/** An API error: `status` from the response, `message` the API's human-readable `error`. */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * @typedef {{ link: string, url: string, shortUrl: string, created: string, count: number }} Link
 * @typedef {{ items: Link[], nextCursor?: string }} LinkPage
 * @typedef {import('./session.js').Session} Session
 */

const FALLBACK_MESSAGES = {
  400: 'The server did not accept that. Please check what you typed.',
  401: 'Your session has expired. Please sign in again.',
  404: 'That link does not exist (any more).',
  409: 'That alias is already taken. Please pick another one.',
  413: 'That is too long to send.',
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
      throw new ApiError(response.status, message);
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

  /** @param {string} url @param {string} [alias] @returns {Promise<Link>} */
  create(url, alias) {
    return this.request('POST', '/links', alias ? { url, alias } : { url });
  }

  /** @param {{ limit?: number, cursor?: string }} [options] @returns {Promise<LinkPage>} */
  list({ limit = 20, cursor } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/links?${query}`);
  }

  /** @param {string} code */
  remove(code) {
    return this.request('DELETE', `/links/${encodeURIComponent(code)}`);
  }
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
