// The signed-in session: tokens kept in localStorage (never in URLs or logs) so a reload stays
// signed in, and refreshed with REFRESH_TOKEN_AUTH shortly before the access token expires.

const STORAGE_KEY = 'retro-shortener.session';
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
 */

export class Session {
  /**
   * @param {CognitoClient} cognito
   * @param {{ onSignedOut: (message: string) => void }} events
   */
  constructor(cognito, events) {
    this.cognito = cognito;
    this.events = events;
    /** @type {Tokens | null} */
    this.tokens = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {Promise<void> | null} */
    this.refreshing = null;
    // Signing out in another tab signs this one out too; signing in there is picked up here.
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY || !this.tokens) return;
      if (event.newValue === null) this.end('You signed out in another window.');
      else {
        this.tokens = JSON.parse(event.newValue);
        this.schedule();
      }
    });
  }

  /** Restores a stored session; refreshes it first when the access token has (nearly) expired. */
  async restore() {
    let stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    } catch {
      stored = null;
    }
    if (!stored?.refreshToken || !stored.accessToken) return false;
    this.tokens = stored;
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
      return false;
    }
  }

  /** @param {Tokens} tokens */
  start(tokens) {
    this.tokens = tokens;
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.schedule();
  }

  get email() {
    if (!this.tokens) return '';
    const claims = jwtClaims(this.tokens.idToken);
    return String(claims.email ?? claims['cognito:username'] ?? '');
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

  /** Signs out here and revokes the refresh token at Cognito (best effort). */
  async signOut() {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
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
    localStorage.removeItem(STORAGE_KEY);
  }
}
