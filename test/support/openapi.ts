// Checks real API responses against the OpenAPI document the shortener serves: the status must be
// described for the route, and a JSON body must validate against the schema the document names.
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '../../lambdas/declarations/openapi.ts';
import { matchPath } from '../../lambdas/declarations/routes.ts';

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

export function openApiChecker(document: Record<string, unknown> = openApiDocument()) {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema({ $id: 'openapi', ...document });
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const compiled = new Map<string, ValidateFunction>();
  let checked = 0;

  /** Asserts that `response` (already read as `body`) is what the document promises for `method path`. */
  function check(method: string, urlPath: string, status: number, body: unknown): void {
    const template = matchPath(new URL(urlPath, 'http://x').pathname)?.path;
    const operation = template ? paths[template]?.[method.toLowerCase()] : undefined;
    expect(operation, `${method} ${urlPath} is described`).toBeDefined();
    const described = operation?.responses[String(status)];
    expect(described, `${method} ${template} describes status ${status}`).toBeDefined();
    const schema = described?.content?.['application/json']?.schema;
    if (!schema) return;
    const key = `${method} ${template} ${status}`;
    let validate = compiled.get(key);
    if (!validate) {
      const pointer = `#/paths/${(template ?? '').replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
      validate = ajv.compile({ $ref: `openapi${pointer}` });
      compiled.set(key, validate);
    }
    expect(validate(body), `${key}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    checked += 1;
  }

  return {
    check,
    /** How many JSON bodies were validated, so a test can show it checked something. */
    get checked() {
      return checked;
    },
  };
}

/**
 * Wraps `fetch`-like calls so that every response is checked against the document; returns the
 * response with its body already parsed (`json`) and still readable as text.
 */
export function checkedFetch(checker: ReturnType<typeof openApiChecker>) {
  return async (method: string, urlPath: string, send: () => Promise<Response>) => {
    const response = await send();
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const json = type.startsWith('application/json') && text !== '' ? (JSON.parse(text) as unknown) : undefined;
    checker.check(method, urlPath, response.status, json);
    return { status: response.status, headers: response.headers, text, json };
  };
}
