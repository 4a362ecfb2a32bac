// The OpenAPI 3.1 description of the API, built from the route catalog and the declared schemas: the
// same declarations the gateway routes by and the handlers check requests with. Served at
// `/openapi.json` and kept in the repository as `openapi.json` (`npm run openapi` rewrites it; a test
// fails when it is stale).
import { SCHEMAS } from './api-schemas.ts';
import { OPERATORS_GROUP } from './identity.ts';
import { ROUTES, type Route, type RouteResponse } from './routes.ts';

export const API_VERSION = '1.0.0';

type Json = Record<string, unknown>;

export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Retro Shortener API',
      version: API_VERSION,
      description:
        'Short links: create, list, edit, expire and delete them (signed in with a Cognito access token), and follow them. ' +
        'Errors are `{"error": "..."}`; a per-user quota or request rate reached is 429 with Retry-After, an overloaded service 503 with Retry-After.',
    },
    // The page, the API and the short links share one origin.
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The Cognito access token of this deployment's user pool and app client",
        },
      },
    },
  };
}

function operation(route: Route): Json {
  const parameters: Json[] = [];
  for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
    parameters.push({ name: name.slice(1, -1), in: 'path', required: true, schema: SCHEMAS.Link.properties?.link });
  }
  for (const [name, schema] of Object.entries(route.request?.query ?? {})) {
    parameters.push({ name, in: 'query', required: false, schema, description: schema.description });
  }
  const body = route.request?.body;
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.operatorsOnly ? { description: `Only for members of the Cognito group \`${OPERATORS_GROUP}\`.` } : {}),
    ...(route.authorized ? { security: [{ cognito: [] }] } : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${body}` } } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => [status, responseObject(response)]),
    ),
  };
}

function responseObject(response: RouteResponse): Json {
  const content =
    response.body === undefined
      ? undefined
      : response.body === 'html'
        ? { 'text/html': { schema: { type: 'string' } } }
        : { 'application/json': { schema: { $ref: `#/components/schemas/${response.body}` } } };
  const headers = response.headers?.length
    ? Object.fromEntries(
        response.headers.map((name) => [
          name,
          { schema: name === 'retry-after' ? { type: 'string', pattern: '^[0-9]+$' } : { type: 'string' } },
        ]),
      )
    : undefined;
  return { description: response.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

/** `createLink` from `create-link` and the method, unique per route. */
function operationId(route: Route): string {
  const camel = route.function.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  const sameFunction = ROUTES.filter((r) => r.function === route.function);
  if (sameFunction.length === 1) return camel;
  const tail = route.path.split('/').at(-1) ?? '';
  const suffix = tail.startsWith('{') ? route.method.toLowerCase() : tail;
  return `${camel}${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
}
