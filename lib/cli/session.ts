// Saved sessions, one per shortener base URL, in the user's config folder with owner-only
// permissions: `$XDG_CONFIG_HOME/shorten/credentials.json` or `~/.config/shorten/credentials.json`.

import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expiryOf, type PageConfig, refreshSignIn, type SignedIn } from './cognito.ts';
import { authError, CliError, EXIT, usageError } from './errors.ts';

export interface Session {
  base: string;
  email: string;
  cognito: PageConfig['cognito'];
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

interface Credentials {
  /** The base of the last login: the default when neither --url nor $SHORTEN_URL is given. */
  current?: string;
  sessions: Record<string, Session>;
}

/** Renew the access token when it has less than this left, so it does not expire mid-request. */
const RENEW_BEFORE_MS = 60_000;

export function configDir(env: Record<string, string | undefined>): string {
  const root = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(root, 'shorten');
}

/** `http(s)://host[:port][/path]` without trailing slash, or a usage error. */
export function normaliseBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`not a URL: "${value}" (expected e.g. http://127.0.0.1:3000 or https://sho.rt)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`not an http(s) URL: "${value}"`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export class SessionStore {
  readonly file: string;
  private readonly dir: string;

  constructor(env: Record<string, string | undefined>) {
    this.dir = configDir(env);
    this.file = path.join(this.dir, 'credentials.json');
  }

  async read(): Promise<Credentials> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as Credentials;
      return { current: data.current, sessions: data.sessions ?? {} };
    } catch {
      return { sessions: {} };
    }
  }

  /** Writes through a temporary file (0600) renamed into place, in a 0700 folder. */
  private async write(credentials: Credentials): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
  }

  /** The base to talk to: --url, then $SHORTEN_URL, then the last login's. */
  async resolveBase(option: string | undefined, env: Record<string, string | undefined>): Promise<string | undefined> {
    const given = option ?? env.SHORTEN_URL;
    if (given) return normaliseBase(given);
    return (await this.read()).current;
  }

  async get(base: string): Promise<Session | undefined> {
    return (await this.read()).sessions[base];
  }

  async save(session: Session): Promise<void> {
    const credentials = await this.read();
    credentials.sessions[session.base] = session;
    credentials.current = session.base;
    await this.write(credentials);
  }

  async remove(base: string): Promise<Session | undefined> {
    const credentials = await this.read();
    const session = credentials.sessions[base];
    delete credentials.sessions[base];
    if (credentials.current === base) credentials.current = Object.keys(credentials.sessions)[0];
    if (Object.keys(credentials.sessions).length === 0) await rm(this.file, { force: true });
    else await this.write(credentials);
    return session;
  }

  async update(base: string, tokens: SignedIn): Promise<Session> {
    const credentials = await this.read();
    const session = credentials.sessions[base];
    if (!session) throw authError(`not logged in to ${base}: run \`shorten login --url ${base}\``);
    const renewed = { ...session, ...tokens, refreshToken: tokens.refreshToken ?? session.refreshToken };
    credentials.sessions[base] = renewed;
    await this.write(credentials);
    return renewed;
  }
}

/** Hands out a valid access token for `base`, renewing it with the refresh token when it is (nearly) expired. */
export class Tokens {
  private session: Session | undefined;
  private readonly store: SessionStore;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(store: SessionStore, base: string, fetchImpl: typeof fetch, now: () => number = Date.now) {
    this.store = store;
    this.base = base;
    this.fetchImpl = fetchImpl;
    this.now = now;
  }

  async accessToken(): Promise<string> {
    this.session ??= await this.store.get(this.base);
    if (!this.session) throw authError(`not logged in to ${this.base}: run \`shorten login --url ${this.base}\``);
    if (expiryOf(this.session.accessToken) - RENEW_BEFORE_MS <= this.now()) return this.refresh();
    return this.session.accessToken;
  }

  /** Renews the tokens; when the refresh token is refused too, the user has to log in again. */
  async refresh(): Promise<string> {
    this.session ??= await this.store.get(this.base);
    if (!this.session) throw authError(`not logged in to ${this.base}: run \`shorten login --url ${this.base}\``);
    let tokens: SignedIn;
    try {
      tokens = await refreshSignIn(this.session.cognito, this.session.refreshToken, this.fetchImpl);
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT.auth) {
        throw authError(`your session at ${this.base} has ended: run \`shorten login --url ${this.base}\``);
      }
      throw error;
    }
    this.session = await this.store.update(this.base, tokens);
    return this.session.accessToken;
  }
}
