import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../../../lambdas/declarations/api-schemas.ts';
import { openApiDocument } from '../../../lambdas/declarations/openapi.ts';
import { ROUTES } from '../../../lambdas/declarations/routes.ts';
import { openApiHandler } from '../../../lambdas/handlers/openapi.ts';
import { apiEvent, bodyOf } from '../../handlers/links/fakes.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { requestBody?: unknown; responses: Record<string, unknown>; security: unknown[] }>
  >;
};

describe('links-api', () => {
  describe('OpenAPI description', () => {
    const doc = openApiDocument() as Doc;

    it('R14.1 describes every route of the catalog with its request and response schemas', () => {
      expect(doc.openapi).toBe('3.1.0');
      for (const route of ROUTES) {
        const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${route.path}`).toBeDefined();
        expect(Object.keys(operation?.responses ?? {}).length, route.path).toBeGreaterThan(0);
        expect(Boolean(operation?.requestBody), route.path).toBe(Boolean(route.request?.body));
        expect(operation?.security, route.path).toEqual(route.authorized ? [{ cognito: [] }] : []);
      }
      const described = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      expect(described).toBe(ROUTES.length);
    });

    it('R14.1 covers the contract table: every route of it is in the document', () => {
      const contract = [
        'post /links',
        'post /links/bulk',
        'get /links',
        'get /links/{link}',
        'patch /links/{link}',
        'delete /links/{link}',
        'get /openapi.json',
        'get /{link}',
        'head /{link}',
      ];
      for (const key of contract) {
        const [method = '', path = ''] = key.split(' ');
        expect(doc.paths[path]?.[method], key).toBeDefined();
      }
    });

    it('R14.2 every schema it names is declared, and each compiles as JSON Schema 2020-12', () => {
      const text = JSON.stringify(doc);
      for (const [, name] of text.matchAll(/#\/components\/schemas\/(\w+)/g)) {
        expect(Object.keys(SCHEMAS), name).toContain(name);
      }
      const ajv = new Ajv2020({ strict: false });
      ajv.addSchema({ $id: 'api', components: { schemas: SCHEMAS } });
      for (const name of Object.keys(SCHEMAS)) {
        expect(() => ajv.compile({ $ref: `api#/components/schemas/${name}` }), name).not.toThrow();
      }
    });

    it('R14.3 the openapi.json kept in the repository is the current document (npm run openapi)', async () => {
      const kept = JSON.parse(await readFile(new URL('../../../openapi.json', import.meta.url), 'utf8'));
      expect(kept).toEqual(doc);
    });

    it('R14.1 GET /openapi.json answers the document without a caller', async () => {
      const response = await openApiHandler()(apiEvent({ sub: null, rawPath: '/openapi.json' }));
      expect(response.statusCode).toBe(200);
      expect(response.headers?.['content-type']).toMatch(/^application\/json/);
      expect(bodyOf(response)).toEqual(doc);
    });
  });
});
