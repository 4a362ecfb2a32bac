// Checks a request body against its declared schema (`lambdas/declarations/api-schemas.ts`), the
// same schema `/openapi.json` publishes. Only the keywords those schemas use; the first problem
// found becomes the 400 message. Formats are left to the domain, which parses what they describe.
import { type JsonSchema, type JsonType, SCHEMAS, type SchemaName } from '../declarations/api-schemas.ts';
import { ValidationError } from '../domain/errors.ts';

export interface CheckOptions {
  /** Leave array items unchecked (bulk rows are checked one by one, each with its own answer). */
  checkItems?: boolean;
}

/** Throws a ValidationError naming the first part of `value` that does not fit `name`'s schema. */
export function checkBody(name: SchemaName, value: unknown, options: CheckOptions = {}): void {
  const problem = firstProblem(SCHEMAS[name], value, '', options.checkItems ?? true);
  if (problem) throw new ValidationError(problem);
}

function resolve(schema: JsonSchema): JsonSchema {
  const name = schema.$ref?.replace('#/components/schemas/', '') as SchemaName | undefined;
  return name === undefined ? schema : SCHEMAS[name];
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

const A_OR_AN: Record<JsonType, string> = {
  object: 'a JSON object',
  array: 'an array',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function firstProblem(declared: JsonSchema, value: unknown, path: string, checkItems: boolean): string | undefined {
  const schema = resolve(declared);
  const subject = path === '' ? 'the request body' : path;
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
    const fits = allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'));
    if (!fits) return `${subject} must be ${allowed.map((type) => A_OR_AN[type]).join(' or ')}`;
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    return `${subject} must be one of ${schema.enum.join(', ')}`;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      return schema.minLength === 1 ? `${subject} must not be empty` : `${subject} is too short`;
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      return `${subject} must be at most ${schema.maxLength} characters`;
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      return `${subject} must match ${schema.pattern}`;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${subject} must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${subject} must be at most ${schema.maximum}`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      return `${subject} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      return `${subject} must have at most ${schema.maxItems} items`;
    }
    if (checkItems && schema.items) {
      for (const [index, item] of value.entries()) {
        const problem = firstProblem(schema.items, item, `${subject}[${index}]`, checkItems);
        if (problem) return problem;
      }
    }
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    const properties = schema.properties ?? {};
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      return `${subject} must have at least one of ${Object.keys(properties).join(', ')}`;
    }
    for (const required of schema.required ?? []) {
      if (!(required in object)) return `${join(path, required)} is required`;
    }
    if (schema.additionalProperties === false) {
      const unknown = keys.filter((key) => !(key in properties));
      if (unknown.length > 0) return `${subject} has unknown field ${unknown.join(', ')}`;
    }
    for (const [name, property] of Object.entries(properties)) {
      if (!(name in object)) continue;
      const problem = firstProblem(property, object[name], join(path, name), checkItems);
      if (problem) return problem;
    }
  }
  return undefined;
}

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);
