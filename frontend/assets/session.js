// The signed-in session: tokens kept in memory, in sessionStorage only when the user ticked "Keep me
// signed in" (never in localStorage, URLs or logs), shared with the page's other open tabs over a
// BroadcastChannel, and refreshed with REFRESH_TOKEN_AUTH shortly before the access token expires.

const STORAGE_KEY = 'retro-shortener.session';
const CHANNEL = 'retro-shortener.session';
/** Refresh this long before expiry, so a request never goes out with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const MIN_REFRESH_DELAY_MS = 5 * 1000;

/**
 * Reads a JWT's claims. Only for timing and display: the API verifies the signature.
 * @param {string} token
 * @returns {Record<string, unknown>}
 */
export function jwtClaims(token) {
  const part = token.split('.')[1] ?? '';
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** @param {string} token */
function expiresAt(token) {
  const exp = Number(jwtClaims(token).exp);
  return Number.isFinite(exp) ? exp * 1000 : Date.now() + 60 * 60 * 1000;
}

/**
 * @typedef {import('./cognito.js').Tokens} Tokens
 * @typedef {import('./cognito.js').CognitoClient} CognitoClient
 * @typedef {{ type: 'ask' } | { type: 'tokens', tokens: Tokens, keep: boolean } | { type: 'signed-out' }} TabMessage
 */

export class Session {
  /**
   * @param {CognitoClient} cognito
   * @param {{ onSignedOut: (message: string) => void, onSignedInElsewhere: () => void }} events
   */
  constructor(cognito, events) {
    this.cognito = cognito;
    this.events = events;
    /** @type {Tokens | null} */
    this.tokens = null;
    /** Whether the tokens outlive a reload of this tab (sessionStorage). */
    this.keep = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {Promise<void> | null} */
    this.refreshing = null;
    /** Set when a kept session could not be restored: its message stands, no other tab is asked. */
    this.lapsed = false;
    // Earlier versions kept the tokens in localStorage; a copy left there must not outlive this one.
    localStorage.removeItem(STORAGE_KEY);
    this.channel = new BroadcastChannel(CHANNEL);
    this.channel.addEventListener('message', (event) => this.onTabMessage(event.data));
  }

  /** @param {TabMessage} message */
  onTabMessage(message) {
    if (message.type === 'ask' && this.tokens) {
      this.post({ type: 'tokens', tokens: this.tokens, keep: this.keep });
    } else if (message.type === 'tokens') {
      // A tab that refreshed, or answered a new tab's question: adopt its tokens.
      const wasSignedIn = Boolean(this.tokens);
      this.store(message.tokens, message.keep);
      if (!wasSignedIn) this.events.onSignedInElsewhere();
    } else if (message.type === 'signed-out' && this.tokens) {
      this.end('You signed out in another window.');
    }
  }

  /** @param {TabMessage} message */
  post(message) {
    this.channel.postMessage(message);
  }

  /** Restores this tab's kept session; refreshes it first when the access token has (nearly) expired. */
  async restore() {
    let stored = null;
    try {
      stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    } catch {
      stored = null;
    }
    if (!stored?.refreshToken || !stored.accessToken) return false;
    this.tokens = stored;
    this.keep = true;
    if (expiresAt(stored.accessToken) - Date.now() >= REFRESH_MARGIN_MS) {
      this.schedule();
      return true;
    }
    try {
      await this.refresh();
      return true;
    } catch (error) {
      // Offline for a moment: carry on while the access token still works (a retry is scheduled).
      if (error?.code === 'NetworkError' && expiresAt(stored.accessToken) > Date.now()) return true;
      clearTimeout(this.timer);
      this.tokens = null;
      this.lapsed = true;
      return false;
    }
  }

  /** Asks the page's other open tabs for their session; an answer arrives as onSignedInElsewhere. */
  askOtherTabs() {
    this.post({ type: 'ask' });
  }

  /** A new sign-in or refresh in this tab: keep the tokens and tell the other tabs. @param {Tokens} tokens */
  start(tokens, keep = this.keep) {
    this.store(tokens, keep);
    this.post({ type: 'tokens', tokens, keep });
  }

  /** @param {Tokens} tokens @param {boolean} keep */
  store(tokens, keep) {
    this.tokens = tokens;
    this.keep = keep;
    if (keep) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(STORAGE_KEY);
    this.schedule();
  }

  get email() {
    if (!this.tokens) return '';
    const claims = jwtClaims(this.tokens.idToken);
    return String(claims.email ?? claims['cognito:username'] ?? '');
  }

  /** The Cognito groups of the signed-in user (from the access token), e.g. `operators`. */
  get groups() {
    if (!this.tokens) return [];
    const groups = jwtClaims(this.tokens.accessToken)['cognito:groups'];
    return Array.isArray(groups) ? groups.map(String) : [];
  }

  schedule() {
    clearTimeout(this.timer);
    if (!this.tokens) return;
    const delay = Math.max(expiresAt(this.tokens.accessToken) - Date.now() - REFRESH_MARGIN_MS, MIN_REFRESH_DELAY_MS);
    // setTimeout overflows beyond ~24.8 days; tokens never live that long, but be safe.
    this.timer = setTimeout(() => this.refresh().catch(() => {}), Math.min(delay, 2 ** 31 - 1));
  }

  /** One refresh at a time; a failed refresh ends the session with a message. */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async doRefresh() {
    if (!this.tokens) throw new Error('not signed in');
    try {
      this.start(await this.cognito.refresh(this.tokens.refreshToken));
    } catch (error) {
      // A network blip must not sign the user out: retry soon, keep the tokens.
      if (error?.code === 'NetworkError') {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refresh().catch(() => {}), 30 * 1000);
        throw error;
      }
      this.end(error?.message ?? 'Your session has expired. Please sign in again.');
      throw error;
    }
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken() {
    if (!this.tokens) throw new Error('not signed in');
    if (expiresAt(this.tokens.accessToken) - Date.now() < 30 * 1000) await this.refresh();
    return this.tokens.accessToken;
  }

  /** Signs out here and in the other tabs, and revokes the refresh token at Cognito (best effort). */
  async signOut() {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    this.post({ type: 'signed-out' });
    if (refreshToken) await this.cognito.revoke(refreshToken).catch(() => {});
  }

  /** @param {string} message */
  end(message) {
    this.clear();
    this.events.onSignedOut(message);
  }

  clear() {
    clearTimeout(this.timer);
    this.tokens = null;
    this.keep = false;
    sessionStorage.removeItem(STORAGE_KEY);
  }
}
