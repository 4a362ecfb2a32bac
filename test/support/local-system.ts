// Starting the whole local system for a test: free port, throw-away data folder, captured log.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_NAMES } from '../../lambdas/declarations/runtime.ts';
import { LINKS_TABLE } from '../../lambdas/declarations/storage.ts';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../lib/local/system.ts';

export interface TestSystem extends LocalSystem {
  /** Every line the system logged (confirmation codes, failures). */
  logs: string[];
  /** Stops the system and deletes its data folder. */
  dispose(): Promise<void>;
}

export const newDataDir = () => mkdtemp(path.join(os.tmpdir(), 'shortener-local-'));

/** Starts the local system on a free port in a new temporary data folder unless one is given. */
export async function startTestSystem(options: Omit<LocalSystemOptions, 'port' | 'log'> = {}): Promise<TestSystem> {
  const dataDir = options.dataDir ?? (await newDataDir());
  const logs: string[] = [];
  const system = await startLocalSystem({ ...options, port: 0, dataDir, log: (line) => logs.push(line) });
  return {
    ...system,
    logs,
    dispose: async () => {
      await system.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Every link item of the local table (live links and retired codes), sorted by code: to assert that a
 * rejected request changed nothing. Usage counters (quotas, request rates) are left out: every
 * signed-in request counts towards its caller's rate, accepted or not.
 */
export async function tableSnapshot(system: LocalSystem): Promise<Record<string, unknown>[]> {
  const client = new DynamoDBClient({
    region: LOCAL_NAMES.region,
    endpoint: system.endpoints.dynamodb,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: LOCAL_NAMES.table, ConsistentRead: true, ExclusiveStartKey: start as never }),
      );
      items.push(...(page.Items ?? []).filter((item) => !item.link?.S?.startsWith(LINKS_TABLE.usageKeyPrefix)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  } finally {
    client.destroy();
  }
}

/** A GET with the path sent exactly as written (fetch would normalise `..` and `%2e%2e` away). */
export function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A fetch-based client of the shortener's API, optionally with a bearer token. */
export function apiClient(system: LocalSystem, token?: string) {
  const request = (method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.url}${urlPath}`, {
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
    request,
    create: (input: { url: string; alias?: string; expiresAt?: string }) => request('POST', '/links', input),
    bulk: (body: unknown) => request('POST', '/links/bulk', body),
    list: (query = '') => request('GET', `/links${query}`),
    get: (code: string) => request('GET', `/links/${encodeURIComponent(code)}`),
    edit: (code: string, changes: unknown) => request('PATCH', `/links/${encodeURIComponent(code)}`, changes),
    remove: (code: string) => request('DELETE', `/links/${encodeURIComponent(code)}`),
    moderate: (code: string, action: 'disable' | 'enable', reason: string) =>
      request('POST', `/links/${encodeURIComponent(code)}/${action}`, { reason }),
    visit: (code: string, method: 'GET' | 'HEAD' = 'GET') => request(method, `/${encodeURIComponent(code)}`),
  };
}

export interface Link {
  link: string;
  url: string;
  shortUrl: string;
  created: string;
  count: number;
  expiresAt?: string;
  disabled?: { reason: string; at: string };
}

export interface LinkList {
  items: Link[];
  nextCursor?: string;
}
