// In-memory stand-ins for the ports, with the semantics the DynamoDB adapter has.
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { ClickEvent } from '../../../lambdas/domain/click.ts';
import type {
  ClickRecorder,
  LinkPage,
  LinkRecord,
  LinkStore,
  LinkTarget,
  Logger,
  PageKey,
} from '../../../lambdas/ports.ts';

/** Same ordering as the `byCreator` index read backwards: `created` descending, then `link`. */
const newestFirst = (a: PageKey, b: PageKey): number => byteOrder(b.created, a.created) || byteOrder(b.link, a.link);
const byteOrder = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export class InMemoryLinkStore implements LinkStore {
  readonly items = new Map<string, LinkRecord>();
  readonly calls: string[] = [];

  async create(record: LinkRecord): Promise<'created' | 'taken'> {
    this.calls.push(`create ${record.link}`);
    if (this.items.has(record.link)) return 'taken';
    this.items.set(record.link, { ...record, count: 0, bots: 0 });
    return 'created';
  }

  async findTarget(link: string): Promise<LinkTarget | undefined> {
    this.calls.push(`findTarget ${link}`);
    const item = this.items.get(link);
    // The fake's incarnation is its `created`, as for a link stored before incarnations had ids.
    return item && { url: item.url, incarnation: item.created };
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

  async deleteOwned(link: string, creator: string): Promise<boolean> {
    this.calls.push(`deleteOwned ${link}`);
    if (this.items.get(link)?.creator !== creator) return false;
    return this.items.delete(link);
  }

  /** Puts a link straight into the store, as if created earlier. */
  seed(record: Partial<LinkRecord> & { link: string }): LinkRecord {
    const full: LinkRecord = {
      url: 'https://example.com/',
      creator: 'user-a',
      created: '2026-01-01T00:00:00.000Z',
      count: 0,
      bots: 0,
      ...record,
    };
    this.items.set(full.link, full);
    return full;
  }
}

/** A store whose every call fails, like DynamoDB being unreachable. */
export class FailingLinkStore implements LinkStore {
  private fail(): never {
    throw new Error('connect ECONNREFUSED 10.0.0.1:443 (table arn:aws:dynamodb:eu-west-1:123456789012:table/links)');
  }
  create = async () => this.fail();
  findTarget = async () => this.fail();
  listByCreator = async () => this.fail();
  deleteOwned = async () => this.fail();
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
        jwt: { claims: sub === null ? {} : { sub }, scopes: [] },
      },
    },
  };
}

/** The JSON body of a response. */
export function bodyOf(response: { body?: string }): Record<string, unknown> {
  return JSON.parse(response.body ?? 'null') as Record<string, unknown>;
}
