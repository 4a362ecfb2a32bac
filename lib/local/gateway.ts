// The local stand-in for CloudFront + API Gateway: one Node HTTP server on 127.0.0.1 that serves the
// page and turns every API request into the HTTP API payload v2 event the Lambda handlers get on AWS.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Application } from '../../lambdas/composition.ts';
import {
  CATCH_ALL_ROUTES,
  type CatchAllRoute,
  DEFAULT_MAX_BODY_BYTES,
  FORWARDED_HOST_HEADER,
  matchPath,
  type Route,
  routeFor,
  STATIC_PATHS,
} from '../../lambdas/declarations/routes.ts';
import { pageSecurityHeaders } from '../web/security-headers.ts';
import type { Authorizer, JwtAuthorizerContext } from './authorizer.ts';

export interface PageConfig {
  region: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string };
}

export interface GatewayOptions {
  app: Application;
  authorizer: Authorizer;
  pageConfig: PageConfig;
  /** Folder holding `index.html` and `assets/`. */
  frontendDir: string;
  log: (line: string) => void;
}

export interface Gateway {
  /** The request listener of the gateway's HTTP server. */
  listener: RequestListener;
  /** Resolves once every click flush started after a response has finished. */
  idle(): Promise<void>;
}

interface RouteMatch {
  route: Route | CatchAllRoute;
  pathParameters?: Record<string, string>;
}

const JSON_TYPE = 'application/json';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_BODY = /^(text\/|application\/(json|[\w.+-]+\+json|xml|x-www-form-urlencoded|javascript))/i;

/**
 * The route API Gateway would pick: the most specific path template, then the route with the
 * request's method, else the path's catch-all (405). Undefined when no path template matches at all.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const matched = matchPath(rawPath);
  if (!matched) return undefined;
  const route = routeFor(method, matched.path) ?? CATCH_ALL_ROUTES.find((r) => r.path === matched.path);
  if (!route) return undefined;
  const parameters = Object.entries(matched.parameters).map(([name, value]) => [name, decodeSegment(value)]);
  return parameters.length > 0 ? { route, pathParameters: Object.fromEntries(parameters) } : { route };
}

/**
 * The request's path and query. Appended to a fixed origin rather than resolved against it, so that a
 * path starting with `//` stays a path instead of being read as `//host/...`.
 */
function requestTarget(target = '/'): URL | undefined {
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://gateway.invalid${target}`);
  } catch {
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function createGateway(options: GatewayOptions): Gateway {
  const flushes = new Set<Promise<void>>();
  const securityHeaders = pageSecurityHeaders(options.pageConfig.cognito.endpoint);
  const assetsDir = path.join(options.frontendDir, 'assets');

  const afterResponse = () => {
    // As the Lambda extension does on AWS: the visitor has the response, now the clicks are written.
    const flush = options.app.clicks.flush().catch((error: unknown) => {
      options.log(`click flush failed: ${String(error)}`);
    });
    flushes.add(flush);
    void flush.finally(() => flushes.delete(flush));
  };

  const listener: RequestListener = (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log(`gateway error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = requestTarget(req.url);
    if (!url) return sendJson(res, 400, { error: 'malformed request target' });
    const rawPath = url.pathname;

    if (
      rawPath === STATIC_PATHS.root ||
      rawPath === STATIC_PATHS.config ||
      rawPath.startsWith(STATIC_PATHS.assetsPrefix)
    ) {
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendJson(res, 405, { error: `method ${method} not allowed on ${rawPath}` });
      }
      if (rawPath === STATIC_PATHS.config) {
        return send(
          res,
          200,
          { ...securityHeaders, 'content-type': JSON_TYPE, 'cache-control': 'no-cache' },
          JSON.stringify(options.pageConfig),
        );
      }
      const file =
        rawPath === STATIC_PATHS.root
          ? path.join(options.frontendDir, 'index.html')
          : assetPath(assetsDir, rawPath.slice(STATIC_PATHS.assetsPrefix.length));
      const content = file && (await readRegularFile(file));
      if (!file || !content) return sendJson(res, 404, { error: 'not found' });
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return send(res, 200, { ...securityHeaders, 'content-type': type, 'cache-control': 'no-cache' }, content);
    }

    const match = matchRoute(method, rawPath);
    if (!match) return sendJson(res, 404, { error: 'not found' });

    let authorizer: JwtAuthorizerContext | undefined;
    if (match.route.authorized) {
      authorizer = await options.authorizer(req.headers.authorization);
      if (!authorizer) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendJson(res, 401, { error: 'unauthorized: a valid access token is required' });
      }
    }

    const maxBodyBytes = ('maxBodyBytes' in match.route && match.route.maxBodyBytes) || DEFAULT_MAX_BODY_BYTES;
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { error: `request body larger than ${maxBodyBytes} bytes` });
    }

    const event = toEvent(req, url, match, body, authorizer);
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = await options.app.api[match.route.function](event);
    } catch (error) {
      options.log(`handler ${match.route.function} failed: ${(error as Error)?.stack ?? String(error)}`);
      sendJson(res, 500, { error: 'internal error' });
      afterResponse();
      return;
    }
    // Short links are served under the same headers policy as the page (their 404 is an HTML page).
    const extra = match.route.path === '/{link}' ? securityHeaders : {};
    writeResult(res, result, extra);
    afterResponse();
  }

  return {
    listener,
    idle: async () => {
      while (flushes.size > 0) await Promise.all([...flushes]);
    },
  };
}

/** `<assetsDir>/<rest>` when it stays inside `assetsDir`; undefined for any attempt to leave it. */
function assetPath(assetsDir: string, rest: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (!decoded || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const resolved = path.resolve(assetsDir, decoded);
  return resolved.startsWith(assetsDir + path.sep) ? resolved : undefined;
}

async function readRegularFile(file: string): Promise<Buffer | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/**
 * Reads the body up to `limit` bytes. Past that it stops keeping data and answers `too-large` at
 * once; the rest of the upload is drained and thrown away so the client still reads the 413.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    drain(req);
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        chunks.length = 0;
        drain(req);
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** Discards what is left of an oversized upload; gives up on the connection if it goes on and on. */
function drain(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > 16 * DEFAULT_MAX_BODY_BYTES) req.socket.destroy();
  });
  req.resume();
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  match: RouteMatch,
  body: Buffer,
  authorizer: JwtAuthorizerContext | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = req.method ?? 'GET';
  const host = `127.0.0.1:${req.socket.localPort}`;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
    else headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers[FORWARDED_HOST_HEADER] = host;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort);
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';

  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    // API Gateway joins repeated parameters with commas.
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const routeKey = `${match.route.method} ${match.route.path}`;
  const now = new Date();
  // Text that is not valid UTF-8 goes base64 too, so the handler sees the exact bytes and can refuse them.
  const textBody = TEXT_BODY.test(headers['content-type'] ?? '') && isUtf8(body);
  const event = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: rawQuery(req.url ?? ''),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(authorizer ? { authorizer: { principalId: '', integrationLatency: 0, jwt: authorizer } } : {}),
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textBody ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textBody,
  };
  // Public routes carry no authorizer on AWS either; handlers treat missing claims as 401.
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** The query string exactly as sent; `URL` would re-encode it. */
function rawQuery(requestTarget: string): string {
  const start = requestTarget.indexOf('?');
  return start < 0 ? '' : requestTarget.slice(start + 1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `22/Nov/2026:05:00:00 +0000`, the format of `requestContext.time`. */
function apiGatewayTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function writeResult(
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  extra: Record<string, string>,
): void {
  const headers: Record<string, string> = { ...extra };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
  const body = result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  send(res, result.statusCode ?? 200, headers, body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { 'content-type': JSON_TYPE }, JSON.stringify(body));
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name.toLowerCase(), value);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('apigw-requestid', randomUUID());
  res.statusCode = status;
  res.end(body);
}
