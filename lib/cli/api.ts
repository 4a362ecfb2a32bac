// The shortener's API as the client calls it: bearer token, JSON in and out, one retry after
// renewing the token on 401, and every failure turned into a CliError with its exit status.

import type { BulkResult, ExportedLink, LinkInput } from '../../frontend/assets/link-files.js';
import { reason } from './cognito.ts';
import { authError, CliError, EXIT } from './errors.ts';

/** A link as the API returns it; `disabled` only while an operator has it taken down. */
export type Link = ExportedLink & { disabled?: { reason: string; at: string } };

export interface LinkPage {
  items: Link[];
  nextCursor?: string;
}

export interface Stats {
  link: string;
  from: string;
  to: string;
  count: number;
  bots: number;
  days: { date: string; count: number; bots: number }[];
  referrers: { name: string; count: number }[];
  countries: { name: string; count: number }[];
  devices: { name: string; count: number }[];
  browsers: { name: string; count: number }[];
}

export interface TokenSource {
  accessToken(): Promise<string>;
  refresh(): Promise<string>;
}

/** Page size when walking every link: the largest the API allows. */
const ALL_PAGE_SIZE = 100;

export class ApiClient {
  readonly base: string;
  private readonly tokens: TokenSource;
  private readonly fetchImpl: typeof fetch;

  constructor(base: string, tokens: TokenSource, fetchImpl: typeof fetch) {
    this.base = base;
    this.tokens = tokens;
    this.fetchImpl = fetchImpl;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, body, await this.tokens.accessToken());
    if (response.status === 401) response = await this.send(method, path, body, await this.tokens.refresh());
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : undefined;
    } catch {
      payload = undefined;
    }
    if (response.ok) return payload as T;
    const message =
      typeof (payload as { error?: unknown })?.error === 'string'
        ? (payload as { error: string }).error
        : `HTTP ${response.status}`;
    const retryAfter = response.headers.get('retry-after');
    const detail = `${message} (HTTP ${response.status}${retryAfter ? `, retry after ${retryAfter} s` : ''})`;
    if (response.status === 401) throw authError(`not accepted by ${this.base}: ${detail}; run \`shorten login\``);
    if (response.status >= 500)
      throw new CliError(`the shortener failed: ${detail}`, EXIT.unavailable, response.status);
    throw new CliError(detail, EXIT.refused, response.status);
  }

  private async send(method: string, path: string, body: unknown, token: string): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.base}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${this.base}: ${reason(error)}`, EXIT.unavailable);
    }
  }

  create(input: LinkInput): Promise<Link> {
    return this.request('POST', '/links', input);
  }

  page(limit: number, cursor?: string): Promise<LinkPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/links?${query}`);
  }

  /** Newest first, following `nextCursor` until the end or until `max` links. */
  async all(max = Number.POSITIVE_INFINITY): Promise<Link[]> {
    const links: Link[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.page(Math.min(ALL_PAGE_SIZE, max - links.length), cursor);
      links.push(...page.items.slice(0, max - links.length));
      cursor = page.nextCursor;
    } while (cursor && links.length < max);
    return links;
  }

  get(code: string): Promise<Link> {
    return this.request('GET', `/links/${encodeURIComponent(code)}`);
  }

  edit(code: string, changes: { url?: string; expiresAt?: string | null }): Promise<Link> {
    return this.request('PATCH', `/links/${encodeURIComponent(code)}`, changes);
  }

  remove(code: string): Promise<void> {
    return this.request('DELETE', `/links/${encodeURIComponent(code)}`);
  }

  stats(code: string, range: { from?: string; to?: string }): Promise<Stats> {
    const query = new URLSearchParams(Object.entries(range).filter(([, value]) => value) as [string, string][]);
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.request('GET', `/links/${encodeURIComponent(code)}/stats${suffix}`);
  }

  async bulk(links: LinkInput[], dryRun: boolean): Promise<BulkResult[]> {
    const answer = await this.request<{ results: BulkResult[] }>(
      'POST',
      '/links/bulk',
      dryRun ? { links, dryRun } : { links },
    );
    return [...answer.results].sort((a, b) => a.index - b.index);
  }

  /** Operators only: takes any link down (it answers 410) with the reason kept in the log. */
  disable(code: string, reason: string): Promise<Link> {
    return this.request('POST', `/links/${encodeURIComponent(code)}/disable`, { reason });
  }

  /** Operators only: puts a taken-down link back, with the reason logged. */
  enable(code: string, reason: string): Promise<Link> {
    return this.request('POST', `/links/${encodeURIComponent(code)}/enable`, { reason });
  }
}
