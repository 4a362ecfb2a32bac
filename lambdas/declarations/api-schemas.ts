// Request and response bodies of the API as JSON Schema (2020-12, the dialect of OpenAPI 3.1),
// declared once: handlers check requests against them (`lambdas/http/schema-check.ts`), the route
// catalog names them per route, and `/openapi.json` is built from the catalog and these. Limits come
// from the domain's rules, so a rule changed there changes the checks and the description together.
import { BULK_RULES, LINK_RULES, PAGE_SIZE, TAKEDOWN_REASON_MAX_LENGTH } from '../domain/rules.ts';

/** The subset of JSON Schema the API uses (and `schema-check.ts` enforces). */
export interface JsonSchema {
  readonly type?: JsonType | readonly JsonType[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly format?: 'date-time' | 'date' | 'uri';
  readonly enum?: readonly (string | number)[];
  readonly $ref?: string;
}

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** Where the named schemas live in the OpenAPI document. */
export const ref = (name: SchemaName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const CODE_PATTERN = `^[A-Za-z0-9_-]{${LINK_RULES.aliasMinLength},${LINK_RULES.aliasMaxLength}}$`;

const instant = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

const LINK: JsonSchema = {
  type: 'object',
  description: 'A short link',
  required: ['link', 'url', 'shortUrl', 'created', 'count'],
  additionalProperties: false,
  properties: {
    link: { type: 'string', pattern: CODE_PATTERN, description: 'The code: the path of the short link' },
    url: { type: 'string', format: 'uri', description: 'The destination, in its WHATWG URL serialisation' },
    shortUrl: { type: 'string', format: 'uri', description: 'The absolute short URL' },
    created: instant('When the link was created'),
    count: { type: 'integer', minimum: 0, description: 'Visits by people' },
    bots: { type: 'integer', minimum: 0, description: 'Visits by bots, link-preview fetchers and HTTP libraries' },
    expiresAt: instant('From this instant on the link answers 410; absent when it never expires'),
    disabled: {
      type: 'object',
      description: 'Present while an operator has the link disabled: it answers 410 and cannot be edited',
      required: ['reason', 'at'],
      additionalProperties: false,
      properties: { reason: { type: 'string' }, at: instant('When it was disabled') },
    },
  },
};

const LINK_INPUT: JsonSchema = {
  type: 'object',
  description: 'A link to create',
  required: ['url'],
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      description: `An absolute http or https URL, at most ${LINK_RULES.maxUrlLength} characters once normalised`,
    },
    alias: {
      type: ['string', 'null'],
      pattern: CODE_PATTERN,
      description: 'The code to use; a random one when absent or null. Case-sensitive; reserved words refused',
    },
    expiresAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'An ISO-8601 instant in the future; never expires when absent or null',
    },
  },
};

const LINK_CHANGES: JsonSchema = {
  type: 'object',
  description: 'What to change: at least one field',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1, description: 'The new destination, checked as on create' },
    expiresAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'A new expiry in the future, or null to remove the expiry',
    },
  },
};

const LINK_LIST: JsonSchema = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: { type: 'array', items: ref('Link'), maxItems: PAGE_SIZE.max },
    nextCursor: { type: 'string', description: 'Present when more links follow; pass it as `cursor`' },
  },
};

const BULK_REQUEST: JsonSchema = {
  type: 'object',
  required: ['links'],
  properties: {
    links: {
      type: 'array',
      minItems: 1,
      maxItems: BULK_RULES.maxRows,
      // Rows are checked one by one: a bad row gets its own 400 and does not stop the others.
      items: ref('LinkInput'),
    },
    dryRun: { type: 'boolean', description: 'Write nothing; report what would happen' },
  },
};

const BULK_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['results'],
  additionalProperties: false,
  properties: {
    results: {
      type: 'array',
      description: 'One result per input row, in input order',
      items: {
        type: 'object',
        required: ['index', 'status'],
        additionalProperties: false,
        properties: {
          index: { type: 'integer', minimum: 0 },
          status: {
            type: 'integer',
            enum: [201, 400, 409, 429, 503, 500],
            description: 'What POST /links would have answered for this row alone',
          },
          link: ref('Link'),
          error: { type: 'string' },
        },
      },
    },
  },
};

const MODERATION: JsonSchema = {
  type: 'object',
  required: ['reason'],
  properties: {
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: TAKEDOWN_REASON_MAX_LENGTH,
      description: 'Why: kept with a takedown and logged with the operator',
    },
  },
};

const ERROR: JsonSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: { error: { type: 'string', description: 'A human-readable message' } },
};

export const SCHEMAS = {
  Link: LINK,
  LinkInput: LINK_INPUT,
  LinkChanges: LINK_CHANGES,
  LinkList: LINK_LIST,
  BulkRequest: BULK_REQUEST,
  BulkResponse: BULK_RESPONSE,
  Moderation: MODERATION,
  Error: ERROR,
} as const satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof SCHEMAS;

/** Query parameters of `GET /links`. */
export const LIST_QUERY: Readonly<Record<string, JsonSchema>> = {
  limit: {
    type: 'string',
    pattern: '^[0-9]{1,3}$',
    description: `Page size, ${1} to ${PAGE_SIZE.max}; default ${PAGE_SIZE.default}`,
  },
  cursor: { type: 'string', description: 'The `nextCursor` of the previous page' },
};
