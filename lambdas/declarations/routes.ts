// The route catalog: every HTTP route the shortener serves, declared once. The CDK stack builds its
// API routes and functions from it, the local gateway routes by it, the 405 handler answers from it,
// and the OpenAPI description is built from it. Plain data and pure functions only: no AWS imports.
import { type JsonSchema, LIST_QUERY, type SchemaName } from './api-schemas.ts';

/** An API function: one Lambda function (and one handler) serving one or more routes. */
export type ApiFunctionName =
  | 'create-link'
  | 'bulk-create-links'
  | 'list-links'
  | 'get-link'
  | 'edit-link'
  | 'delete-link'
  | 'moderate-link'
  | 'openapi'
  | 'redirect'
  | 'not-allowed';

export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE';

/** A path template; `{name}` is one non-empty path segment. */
export type RoutePath = `/${string}`;

export interface Route {
  readonly method: RouteMethod;
  readonly path: RoutePath;
  readonly function: ApiFunctionName;
  /** Whether the route sits behind the Cognito JWT authorizer. */
  readonly authorized: boolean;
  /** One line for humans: the OpenAPI summary and the function's description. */
  readonly summary: string;
  /** Largest request body accepted, in bytes; routes without a body use the default. */
  readonly maxBodyBytes?: number;
  /** Only members of the operators' group may use it (others get 403). */
  readonly operatorsOnly?: boolean;
  /** What it takes: the JSON body's schema, and query parameters. */
  readonly request?: { readonly body?: SchemaName; readonly query?: Readonly<Record<string, JsonSchema>> };
  /** What it answers, by status: a JSON schema, an HTML page, or nothing. */
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

export interface RouteResponse {
  readonly description: string;
  /** A JSON body of this schema, `html` for a page, absent for no body. */
  readonly body?: SchemaName | 'html';
  /** Response headers worth naming (e.g. `location`, `retry-after`). */
  readonly headers?: readonly string[];
}

/** What a function may touch; the stack grants exactly this and sets the matching environment. */
export interface FunctionAccess {
  /** DynamoDB actions on the links table's items (usage counters live there too). */
  readonly table?: readonly ('GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query')[];
  /** DynamoDB actions on the creator index. */
  readonly creatorIndex?: readonly 'Query'[];
  /** Kinesis actions on the click stream. */
  readonly stream?: readonly 'PutRecord'[];
}

export interface ApiFunction {
  readonly access: FunctionAccess;
  /**
   * Whether it checks destinations, and so must know every origin the shortener answers on and the
   * destination policy (environment: SELF_ORIGINS, BLOCKED_HOSTS, ALLOW_OTHER_SHORTENERS).
   */
  readonly checksDestinations?: boolean;
  /**
   * The per-user daily quotas it enforces, counted in usage items of the links table (UpdateItem,
   * GetItem); the stack passes each one's limit in the environment (`ENV[quota]`). Every function
   * serving a signed-in route also counts its caller's requests per minute (`ENV.requestsPerMinute`).
   */
  readonly quotas?: readonly ('linksPerDay' | 'bulkRowsPerDay')[];
  /** More memory buys more CPU; the default suits a handler doing one or two DynamoDB calls. */
  readonly memorySize?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const BULK_MAX_BODY_BYTES = 1024 * 1024;

export const API_FUNCTIONS: Readonly<Record<ApiFunctionName, ApiFunction>> = {
  'create-link': {
    access: { table: ['PutItem', 'UpdateItem', 'GetItem'] },
    checksDestinations: true,
    quotas: ['linksPerDay'],
  },
  // Up to 1,000 conditional writes per request, 16 at a time: more memory, more CPU and network.
  'bulk-create-links': {
    access: { table: ['PutItem', 'UpdateItem', 'GetItem'] },
    checksDestinations: true,
    quotas: ['bulkRowsPerDay'],
    memorySize: 512,
  },
  'list-links': { access: { creatorIndex: ['Query'], table: ['UpdateItem', 'GetItem'] } },
  'get-link': { access: { table: ['GetItem', 'UpdateItem'] } },
  'edit-link': { access: { table: ['UpdateItem', 'GetItem'] }, checksDestinations: true },
  // Deleting leaves a retired code: a conditional PutItem over the link.
  'delete-link': { access: { table: ['PutItem', 'GetItem', 'UpdateItem'] } },
  'moderate-link': { access: { table: ['UpdateItem', 'GetItem'] } },
  // Serves a document built from the catalog at init: touches nothing.
  openapi: { access: {}, memorySize: 128 },
  // The hot path: its cold start matters most.
  redirect: { access: { table: ['GetItem'], stream: ['PutRecord'] }, memorySize: 512 },
  // Reads nothing and touches nothing: it only knows the catalog.
  'not-allowed': { access: {}, memorySize: 128 },
};

export const API_FUNCTION_NAMES = Object.keys(API_FUNCTIONS) as ApiFunctionName[];

const ERROR_RESPONSES = {
  400: { description: 'Invalid input', body: 'Error' },
  401: { description: 'Missing or invalid access token', body: 'Error' },
  413: { description: 'Request body too large', body: 'Error' },
  429: { description: 'A per-user quota or request rate reached', body: 'Error', headers: ['retry-after'] },
  503: { description: 'The service is overloaded', body: 'Error', headers: ['retry-after'] },
} as const satisfies Record<number, RouteResponse>;

const NOT_FOUND = { description: "Unknown, or someone else's link", body: 'Error' } as const;
const LINK_PATH = '/links/{link}' as const;

/** The routes with a method. Every path also answers 405 to the methods it does not serve. */
export const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/links',
    function: 'create-link',
    authorized: true,
    summary: 'Create a short link',
    request: { body: 'LinkInput' },
    responses: {
      201: { description: 'The new link', body: 'Link' },
      ...ERROR_RESPONSES,
      409: { description: 'The alias is taken (or retired by another user)', body: 'Error' },
    },
  },
  {
    method: 'POST',
    path: '/links/bulk',
    function: 'bulk-create-links',
    authorized: true,
    summary: 'Create up to 1,000 links at once, or report what would happen (dryRun)',
    maxBodyBytes: BULK_MAX_BODY_BYTES,
    request: { body: 'BulkRequest' },
    responses: { 200: { description: 'One result per row, in input order', body: 'BulkResponse' }, ...ERROR_RESPONSES },
  },
  {
    method: 'GET',
    path: '/links',
    function: 'list-links',
    authorized: true,
    summary: "The caller's links, newest first",
    request: { query: LIST_QUERY },
    responses: { 200: { description: 'A page of links', body: 'LinkList' }, ...ERROR_RESPONSES },
  },
  {
    method: 'GET',
    path: LINK_PATH,
    function: 'get-link',
    authorized: true,
    summary: "One of the caller's links",
    responses: { 200: { description: 'The link', body: 'Link' }, ...ERROR_RESPONSES, 404: NOT_FOUND },
  },
  {
    method: 'PATCH',
    path: LINK_PATH,
    function: 'edit-link',
    authorized: true,
    summary: "Change the destination and/or expiry of one of the caller's links",
    request: { body: 'LinkChanges' },
    responses: {
      200: { description: 'The changed link', body: 'Link' },
      ...ERROR_RESPONSES,
      403: { description: 'An operator disabled the link', body: 'Error' },
      404: NOT_FOUND,
    },
  },
  {
    method: 'DELETE',
    path: LINK_PATH,
    function: 'delete-link',
    authorized: true,
    summary: "Delete one of the caller's links (its code stays reserved for the caller)",
    responses: { 204: { description: 'Deleted' }, ...ERROR_RESPONSES, 404: NOT_FOUND },
  },
  {
    method: 'POST',
    path: '/links/{link}/disable',
    function: 'moderate-link',
    authorized: true,
    operatorsOnly: true,
    summary: 'Operators: disable any link (it answers 410 and counts nothing)',
    request: { body: 'Moderation' },
    responses: {
      200: { description: 'The disabled link', body: 'Link' },
      ...ERROR_RESPONSES,
      403: { description: 'The caller is not an operator', body: 'Error' },
      404: { description: 'Unknown link', body: 'Error' },
    },
  },
  {
    method: 'POST',
    path: '/links/{link}/enable',
    function: 'moderate-link',
    authorized: true,
    operatorsOnly: true,
    summary: 'Operators: enable a disabled link again',
    request: { body: 'Moderation' },
    responses: {
      200: { description: 'The enabled link', body: 'Link' },
      ...ERROR_RESPONSES,
      403: { description: 'The caller is not an operator', body: 'Error' },
      404: { description: 'Unknown link', body: 'Error' },
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    authorized: false,
    summary: 'This API described in OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
  {
    method: 'GET',
    path: '/{link}',
    function: 'redirect',
    authorized: false,
    summary: 'Follow a short link (301), counted as a click',
    responses: {
      301: { description: 'To the destination', headers: ['location'] },
      404: { description: 'Unknown link', body: 'html' },
      410: { description: 'Expired, or disabled by an operator; not counted', body: 'html' },
    },
  },
  // HTTP APIs do not route HEAD to a GET route, so it is declared on its own.
  {
    method: 'HEAD',
    path: '/{link}',
    function: 'redirect',
    authorized: false,
    summary: 'Where a short link goes (301), not counted',
    responses: {
      301: { description: 'To the destination', headers: ['location'] },
      404: { description: 'Unknown link' },
      410: { description: 'Expired, or disabled by an operator' },
    },
  },
];

/** Functions serving a signed-in route: each counts its caller's requests per minute (usage items, UpdateItem + GetItem). */
export const SIGNED_IN_FUNCTIONS: ReadonlySet<ApiFunctionName> = new Set(
  ROUTES.filter((route) => route.authorized).map((route) => route.function),
);

/** Catch-all of one path: the function that answers 405 for the methods the path does not serve. */
export interface CatchAllRoute {
  readonly method: 'ANY';
  readonly path: RoutePath;
  readonly function: 'not-allowed';
  readonly authorized: false;
}

/** What the function serves, as its description: `POST /links: Create a short link`. */
export function describeFunction(name: ApiFunctionName): string {
  if (name === 'not-allowed') return '405 for methods a path does not serve';
  return ROUTES.filter((route) => route.function === name)
    .map((route) => `${route.method} ${route.path}: ${route.summary}`)
    .join('; ');
}

/** Every distinct path of the catalog, in declaration order. */
export const ROUTE_PATHS: readonly RoutePath[] = [...new Set(ROUTES.map((route) => route.path))];

/** More specific method routes win over ANY, so these catch only methods a path does not serve. */
export const CATCH_ALL_ROUTES: readonly CatchAllRoute[] = ROUTE_PATHS.map((path) => ({
  method: 'ANY',
  path,
  function: 'not-allowed',
  authorized: false,
}));

/** The methods `path` serves, sorted: the `Allow` header of its 405. */
export function allowedMethods(path: RoutePath): RouteMethod[] {
  return [...new Set(ROUTES.filter((route) => route.path === path).map((route) => route.method))].sort();
}

export interface PathMatch {
  path: RoutePath;
  parameters: Record<string, string>;
}

/**
 * The path template API Gateway would pick for `rawPath`: templates with as many segments, a literal
 * segment beating a `{parameter}` at the first place they differ. Undefined when none matches.
 * Parameters are the raw (still percent-encoded) segments.
 */
export function matchPath(rawPath: string): PathMatch | undefined {
  const segments = rawPath.split('/').slice(1);
  let best: PathMatch | undefined;
  let bestRank = '';
  for (const path of ROUTE_PATHS) {
    const template = path.split('/').slice(1);
    if (template.length !== segments.length) continue;
    const parameters: Record<string, string> = {};
    let rank = '';
    let matches = true;
    template.forEach((part, index) => {
      const segment = segments[index] ?? '';
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (segment === '') matches = false;
      else if (name !== undefined) {
        parameters[name] = segment;
        rank += '0';
      } else if (part === segment) rank += '1';
      else matches = false;
    });
    if (matches && rank > bestRank) {
      best = { path, parameters };
      bestRank = rank;
    } else if (matches && best === undefined) best = { path, parameters };
  }
  return best;
}

/** The route serving `method` on `path`, or undefined when only the catch-all (405) does. */
export function routeFor(method: string, path: RoutePath): Route | undefined {
  return ROUTES.find((route) => route.path === path && route.method === method);
}

/** Paths the page is served under; the CDK sends them to S3, the local gateway to `frontend/`. */
export const STATIC_PATHS = {
  root: '/',
  config: '/config.json',
  assetsPrefix: '/assets/',
} as const;

/** Header the CloudFront viewer function and the local gateway set to the viewer-facing host. */
export const FORWARDED_HOST_HEADER = 'x-forwarded-host';

/**
 * Header the CloudFront viewer function sets to the distribution's own domain (`d111.cloudfront.net`), which
 * answers too when a custom domain is configured: the functions count it as the shortener itself.
 */
export const DISTRIBUTION_HOST_HEADER = 'x-forwarded-distribution-host';

/** Header CloudFront adds to every request it sends to the API, holding the origin-verification secret. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** Header CloudFront sets to the viewer's country (ISO 3166-1 alpha-2), forwarded on short-link visits. */
export const VIEWER_COUNTRY_HEADER = 'cloudfront-viewer-country';
