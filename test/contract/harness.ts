// The outside view of the shortener: the real `npm start` entry as a child process in a throw-away
// working directory (local mode always keeps its data in `./.local`), reached only over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(REPO, 'node_modules/.bin/tsx');
const ENTRY = path.join(REPO, 'bin/local.ts');

export interface Shortener {
  /** The URL printed on start, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  cwd: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: string;
  /** Reuse a working directory (and so its `.local` data). */
  cwd?: string;
  /** Resolve once the process exited instead of waiting for the URL. */
  expectExit?: boolean;
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function spawnEntry(cwd: string, port: string): Spawned {
  const child = spawn(TSX, [ENTRY], { cwd, env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs `tsx bin/local.ts` with `PORT` (default 0) and resolves with the printed URL. */
export async function startShortener(options: StartOptions = {}): Promise<Shortener> {
  const cwd = options.cwd ?? (await mkdtemp(path.join(os.tmpdir(), 'contract-')));
  const run = spawnEntry(cwd, options.port ?? '0');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL printed within 30 s:\n${run.stdout()}\n${run.stderr()}`)),
      30_000,
    );
    const check = () => {
      const match = /https?:\/\/[^\s)]+/.exec(run.stdout());
      if (match) {
        clearTimeout(timer);
        run.child.stdout?.off('data', check);
        resolve(match[0]);
      }
    };
    run.child.stdout?.on('data', check);
    void run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a URL:\n${run.stdout()}\n${run.stderr()}`));
    });
  });
  return {
    url,
    cwd,
    stdout: run.stdout,
    stderr: run.stderr,
    stop: async () => {
      await stopChild(run.child, run.exited);
      if (!options.cwd) await rm(cwd, { recursive: true, force: true });
    },
  };
}

/** Runs the entry expecting it to exit by itself (e.g. port in use); killed after `timeoutMs`. */
export async function runToExit(port: string, timeoutMs = 30_000): Promise<Exited> {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'contract-'));
  const run = spawnEntry(cwd, port);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  await rm(cwd, { recursive: true, force: true });
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface PageConfig {
  region: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string };
}

export async function pageConfig(base: string): Promise<PageConfig> {
  const response = await fetch(`${base}/config.json`);
  if (response.status !== 200) throw new Error(`GET /config.json -> ${response.status}`);
  return (await response.json()) as PageConfig;
}

/** One Cognito Identity Provider call through the advertised endpoint; returns status and parsed body. */
export async function cognito(
  endpoint: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function cognitoOk<T = Record<string, unknown>>(
  endpoint: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<T> {
  const { status, body } = await cognito(endpoint, operation, input);
  if (status !== 200) throw new Error(`${operation} -> ${status} ${JSON.stringify(body)}`);
  return body as T;
}

export const PASSWORD = 'Contract-Audit-2026!';
export const newEmail = (label = 'audit') => `${label}-${randomUUID()}@example.com`;

export interface User {
  email: string;
  accessToken: string;
  idToken: string;
}

export async function signIn(settings: PageConfig['cognito'], email: string): Promise<User> {
  const { AuthenticationResult } = await cognitoOk<{
    AuthenticationResult: { AccessToken: string; IdToken: string };
  }>(settings.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: settings.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
  });
  return { email, accessToken: AuthenticationResult.AccessToken, idToken: AuthenticationResult.IdToken };
}

/** SignUp + AdminConfirmSignUp + USER_PASSWORD_AUTH, as local mode allows. */
export async function newUser(settings: PageConfig['cognito'], email = newEmail()): Promise<User> {
  await cognitoOk(settings.endpoint, 'SignUp', {
    ClientId: settings.clientId,
    Username: email,
    Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  await cognitoOk(settings.endpoint, 'AdminConfirmSignUp', { UserPoolId: settings.userPoolId, Username: email });
  return signIn(settings, email);
}

/** A second app client of the same pool (admin operation, local mode only). */
export async function otherClient(settings: PageConfig['cognito']): Promise<PageConfig['cognito']> {
  const { UserPoolClient } = await cognitoOk<{ UserPoolClient: { ClientId: string } }>(
    settings.endpoint,
    'CreateUserPoolClient',
    { UserPoolId: settings.userPoolId, ClientName: `other-${randomUUID()}`, ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] },
  );
  return { ...settings, clientId: UserPoolClient.ClientId };
}

/** A second pool on the same emulator, with its own app client. */
export async function otherPool(settings: PageConfig['cognito']): Promise<PageConfig['cognito']> {
  const { UserPool } = await cognitoOk<{ UserPool: { Id: string } }>(settings.endpoint, 'CreateUserPool', {
    PoolName: `other-${randomUUID()}`,
    UsernameAttributes: ['email'],
  });
  const other = await otherClient({ ...settings, userPoolId: UserPool.Id });
  return { ...other, userPoolId: UserPool.Id };
}

/** One system start per test file, with one signed-in user. */
export async function bootWithUser(): Promise<{ shortener: Shortener; config: PageConfig; user: User }> {
  const shortener = await startShortener();
  const config = await pageConfig(shortener.url);
  return { shortener, config, user: await newUser(config.cognito) };
}

export function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Re-signs a token with changed claims using cognito-local's published key: genuine except for the change. */
export async function resign(token: string, changes: Record<string, unknown>): Promise<string> {
  const [header] = token.split('.');
  const keyFile = path.join(REPO, 'node_modules/cognito-local/lib/keys/cognitoLocal.private.json');
  const { pem } = JSON.parse(await readFile(keyFile, 'utf8')) as { pem: string };
  const input = `${header}.${Buffer.from(JSON.stringify({ ...claims(token), ...changes })).toString('base64url')}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(pem, 'base64url')}`;
}

/** Same payload with one claim changed, original signature kept. */
export function tamper(token: string): string {
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...claims(token), sub: randomUUID() })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request sent byte-for-byte as given (path not normalised, any method, any headers, any body). */
export function raw(
  base: string,
  method: string,
  rawPath: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: rawPath, method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * How a person's browser visits a short link. Visits without a User-Agent, or from an HTTP library
 * (Node's fetch says `node`), are bots and count in `bots`, not in `count`.
 */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const asPerson = { redirect: 'manual', headers: { 'user-agent': BROWSER_USER_AGENT } } as const;

/** A JSON API client over fetch, never following redirects. */
export function api(base: string, token?: string) {
  const send = (method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${urlPath}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    send,
    create: (input: unknown) => send('POST', '/links', input),
    list: (query = '') => send('GET', `/links${query}`),
    remove: (code: string) => send('DELETE', `/links/${encodeURIComponent(code)}`),
  };
}

export interface Link {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  count: number;
  bots: number;
}

/** POST /links that must succeed. */
export async function createLink(base: string, token: string, input: unknown): Promise<Link> {
  const response = await api(base, token).create(input);
  if (response.status !== 201) {
    throw new Error(`create ${JSON.stringify(input)} -> ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as Link;
}

/** Asserts nothing; returns the parsed `{"error": ...}` body or throws with what came instead. */
export async function errorBody(response: Response): Promise<string> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${response.status}): ${text.slice(0, 200)}`);
  }
  const keys = body && typeof body === 'object' ? Object.keys(body) : [];
  const message = (body as { error?: unknown }).error;
  if (keys.length !== 1 || typeof message !== 'string' || message.length === 0) {
    throw new Error(`not {"error": "..."} (${response.status}): ${text.slice(0, 200)}`);
  }
  if (/\bat .+:\d+:\d+|Error:|node_modules|\.ts\b/.test(message)) throw new Error(`stack/internals leaked: ${message}`);
  return message;
}

/** Polls `probe` until it returns something other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
