// In-memory stand-ins for the ports, with the semantics the DynamoDB adapter has.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { ClickEvent } from '../../../lambdas/domain/click.ts';
import { type DestinationPolicy, STRICT_POLICY } from '../../../lambdas/domain/destination.ts';
import type {
  ClickRecorder,
  LinkChanges,
  LinkPage,
  LinkRecord,
  LinkStore,
  LinkTarget,
  Logger,
  OwnedWriteRefusal,
  PageKey,
  Takedown,
  UsageCounters,
} from '../../../lambdas/ports.ts';

/** Same ordering as the `byCreator` index read backwards: `created` descending, then `link`. */
const newestFirst = (a: PageKey, b: PageKey): number => byteOrder(b.created, a.created) || byteOrder(b.link, a.link);
const byteOrder = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export class InMemoryLinkStore implements LinkStore {
  readonly items = new Map<string, LinkRecord>();
  /** Codes of deleted links: who may create them again, and a takedown they carried. */
  readonly retired = new Map<string, { retiredBy: string; disabled?: Takedown }>();
  readonly calls: string[] = [];

  async create(record: LinkRecord): Promise<'created' | 'taken'> {
    this.calls.push(`create ${record.link}`);
    if (!this.available(record.link, record.creator)) return 'taken';
    this.retired.delete(record.link);
    this.items.set(record.link, { ...record, count: 0 });
    return 'created';
  }

  async isAvailable(link: string, creator: string): Promise<boolean> {
    this.calls.push(`isAvailable ${link}`);
    return this.available(link, creator);
  }

  private available(link: string, creator: string): boolean {
    const retired = this.retired.get(link);
    return !this.items.has(link) && (!retired || (retired.retiredBy === creator && !retired.disabled));
  }

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    this.calls.push(`findTarget ${link}`);
    const item = this.items.get(link);
    if (!item) return undefined;
    return {
      url: item.url,
      created: item.created,
      ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
      ...(item.disabled ? { disabled: true } : {}),
    };
  }

  async get(link: string): Promise<LinkRecord | undefined> {
    this.calls.push(`get ${link}`);
    const item = this.items.get(link);
    return item && { ...item };
  }

  async listByCreator(creator: string, limit: number, after?: PageKey): Promise<LinkPage> {
    this.calls.push(`listByCreator ${creator} ${limit}`);
    const mine = [...this.items.values()]
      .filter((item) => item.creator === creator)
      .sort(newestFirst)
      .filter((item) => after === undefined || newestFirst(after, item) < 0);
    const items = mine.slice(0, limit).map((item) => ({ ...item }));
    const last = items.at(-1);
    return mine.length > limit && last ? { items, next: { created: last.created, link: last.link } } : { items };
  }

  async updateOwned(link: string, creator: string, changes: LinkChanges): Promise<LinkRecord | OwnedWriteRefusal> {
    this.calls.push(`updateOwned ${link}`);
    const item = this.items.get(link);
    if (item?.creator !== creator) return 'not-found';
    if (item.disabled) return 'disabled';
    const { expiresAt: _old, ...rest } = item;
    const expiresAt = changes.expiresAt === undefined ? item.expiresAt : (changes.expiresAt ?? undefined);
    const updated: LinkRecord = { ...rest, url: changes.url ?? item.url, ...(expiresAt ? { expiresAt } : {}) };
    this.items.set(link, updated);
    return { ...updated };
  }

  async deleteOwned(link: string, creator: string): Promise<boolean> {
    this.calls.push(`deleteOwned ${link}`);
    const item = this.items.get(link);
    if (item?.creator !== creator) return false;
    this.items.delete(link);
    this.retired.set(link, { retiredBy: creator, ...(item.disabled ? { disabled: item.disabled } : {}) });
    return true;
  }

  async setTakedown(link: string, takedown: Takedown | undefined): Promise<LinkRecord | undefined> {
    this.calls.push(`setTakedown ${link}`);
    const item = this.items.get(link);
    if (!item) return undefined;
    const { disabled: _old, ...rest } = item;
    const updated: LinkRecord = takedown ? { ...rest, disabled: takedown } : rest;
    this.items.set(link, updated);
    return { ...updated };
  }

  /** Puts a link straight into the store, as if created earlier. */
  seed(record: Partial<LinkRecord> & { link: string }): LinkRecord {
    const full: LinkRecord = {
      url: 'https://example.com/',
      creator: 'user-a',
      created: '2026-01-01T00:00:00.000Z',
      count: 0,
      ...record,
    };
    this.items.set(full.link, full);
    return full;
  }
}

/** A store whose every call fails, like DynamoDB being unreachable. */
export class FailingLinkStore implements LinkStore {
  constructor(private readonly error: Error = unreachable()) {}
  private fail(): never {
    throw this.error;
  }
  create = async () => this.fail();
  isAvailable = async () => this.fail();
  findTarget = async () => this.fail();
  get = async () => this.fail();
  listByCreator = async () => this.fail();
  updateOwned = async () => this.fail();
  deleteOwned = async () => this.fail();
  setTakedown = async () => this.fail();
}

function unreachable(): Error {
  return new Error('connect ECONNREFUSED 10.0.0.1:443 (table arn:aws:dynamodb:eu-west-1:123456789012:table/links)');
}

/** DynamoDB's answer when a table is over its capacity, after the SDK's retries. */
export function throttled(name = 'ProvisionedThroughputExceededException'): Error {
  const error = new Error('The level of configured provisioned throughput for the table was exceeded');
  error.name = name;
  return error;
}

/** Local mode's destination policy: loopback development servers allowed. */
export const LOCAL_POLICY: DestinationPolicy = { ...STRICT_POLICY, allowLoopback: true };

/** Usage counters in memory, with the store's ceiling semantics. */
export class InMemoryUsageCounters implements UsageCounters {
  readonly counters = new Map<string, number>();

  async take(name: string, amount: number, limit: number): Promise<number> {
    const used = this.counters.get(name) ?? 0;
    const granted = Math.max(0, Math.min(amount, limit - used));
    if (granted > 0) this.counters.set(name, used + granted);
    return granted;
  }

  async giveBack(name: string, amount: number): Promise<void> {
    const used = this.counters.get(name) ?? 0;
    if (used >= amount) this.counters.set(name, used - amount);
  }

  async peek(name: string): Promise<number> {
    return this.counters.get(name) ?? 0;
  }

  /** The counter whose name starts with `prefix` (e.g. `links/user-a/`), 0 when none. */
  used(prefix: string): number {
    return [...this.counters.entries()].filter(([name]) => name.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
  }
}

export class FakeClickRecorder implements ClickRecorder {
  readonly recorded: ClickEvent[] = [];
  record(click: ClickEvent): void {
    this.recorded.push(click);
  }
  async flush(): Promise<void> {}
}

export class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  info = (message: string, fields?: Record<string, unknown>) => this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: Record<string, unknown>) => this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: Record<string, unknown>) => this.lines.push({ level: 'error', message, fields });
}

export interface EventOptions {
  method?: string;
  routeKey?: string;
  rawPath?: string;
  sub?: string | null;
  body?: string;
  isBase64Encoded?: boolean;
  query?: Record<string, string>;
  link?: string;
  headers?: Record<string, string>;
  /** Extra JWT claims, e.g. `cognito:groups`. */
  claims?: Record<string, string>;
}

/** An HTTP API payload v2 event as API Gateway (or the local gateway) delivers it. */
export function apiEvent(options: EventOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? 'GET';
  const rawPath = options.rawPath ?? '/links';
  const sub = options.sub === undefined ? 'user-a' : options.sub;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} /links`,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      'x-forwarded-proto': 'http',
      'x-forwarded-host': '127.0.0.1:3000',
      ...options.headers,
    },
    queryStringParameters: options.query,
    pathParameters: options.link === undefined ? undefined : { link: options.link },
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: options.routeKey ?? `${method} /links`,
      stage: '$default',
      time: '22/Nov/2026:05:00:00 +0000',
      timeEpoch: 0,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: sub === null ? {} : { sub, ...options.claims }, scopes: [] },
      },
    },
  };
}

/** The JSON body of a response. */
export function bodyOf(response: { body?: string }): Record<string, unknown> {
  return JSON.parse(response.body ?? 'null') as Record<string, unknown>;
}
