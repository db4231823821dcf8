/**
 * Small builders for the OpenAPI 3.1 document, so that each domain's file in openapi.paths/
 * reads as a table of its routes rather than as nested JSON. OpenAPI 3.1 because its schema
 * dialect is JSON Schema 2020-12, which is what zod 4's `z.toJSONSchema` produces: request
 * bodies validated by zod are described from the very schema that validates them.
 */
import { z } from 'zod';

export type Json = Record<string, unknown>;
export type Schema = Json;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: Schema;
  explode?: boolean;
}

export interface Operation {
  tags: string[];
  summary: string;
  description?: string;
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: Json;
  responses: Record<string, Json>;
  security?: Record<string, string[]>[];
  /** Who may call it (tests/api/authz.test.ts sends every non-public operation as the wrong user). */
  'x-access'?: Access;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type PathItem = Partial<Record<Method, Operation>>;
export type Paths = Record<string, PathItem>;

/** Who may call an operation: anyone, anyone (more fields when signed in), any signed-in user, an admin or editor. */
export type Access = 'public' | 'optional' | 'user' | 'writer' | 'admin';

export const componentUri = (id: string): string => `#/components/schemas/${id}`;

/** A $ref to a contract schema (common/contracts/), which must carry an id (`.meta({ id })`). */
export function ref(schema: z.ZodType): Schema {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('OpenAPI: a referenced schema needs .meta({ id })');
  return { $ref: componentUri(id) };
}
export const errorResponse = (name: string): Json => ({ $ref: `#/components/responses/${name}` });

/** A generated schema without its dialect and id (the document names the dialect once). */
export function stripDialect({ $schema: _dialect, $id: _id, ...json }: Json): Json {
  return json;
}

/** Points the $defs of a generated schema at the document's components (a contract schema with an id is one). */
function toComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponents);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$defs') continue;
    out[key] =
      key === '$ref' && typeof inner === 'string'
        ? inner.replace(/^#\/\$defs\//, '#/components/schemas/')
        : toComponents(inner);
  }
  return out;
}

/**
 * The schema of a zod validator, inline. Request bodies and parameters are described on the
 * input side (defaults make fields optional); nested contract schemas become $refs.
 */
export function fromZod(schema: z.ZodType, io: 'input' | 'output' = 'input'): Schema {
  return toComponents(stripDialect(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json)) as Schema;
}

export const json = (schema: Schema, description = 'OK'): Json => ({
  description,
  content: { 'application/json': { schema } },
});
export const jsonBody = (schema: Schema, required = true): Json => ({
  required,
  content: { 'application/json': { schema } },
});
export const noContent: Json = { description: 'Done; no body' };

export const pathParam = (name: string, description: string, schema: Schema = { type: 'string' }): Parameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
export const queryParam = (
  name: string,
  description: string,
  schema: Schema = { type: 'string' },
  required = false,
): Parameter => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});

export const REGION_CODE_SCHEMA: Schema = { type: 'string', pattern: '^[0-9]{12}$', examples: ['131002001000'] };
export const GRID_CODE_SCHEMA: Schema = { type: 'string', pattern: '^[0-9]{15}$', examples: ['131002001001001'] };
export const BBOX_SCHEMA: Schema = {
  type: 'string',
  pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
  examples: ['116.68,39.49,116.72,39.52'],
};
export const regionQuery = (
  required: boolean,
  description = 'A 12-digit region code (district, street or community)',
) => queryParam('region', description, REGION_CODE_SCHEMA, required);
export const bboxQuery = queryParam('bbox', 'minLon,minLat,maxLon,maxLat in WGS84 degrees', BBOX_SCHEMA);
/** A positive whole number naming a row in the path: a draft, a changeset, an allowed gap. */
export const numberPath = (name: string, description: string): Parameter =>
  pathParam(name, description, { type: 'integer', minimum: 1 });
export const draftIdPath = numberPath('id', 'Draft number');
export const gridCodePath = pathParam('code', '15-digit grid code', GRID_CODE_SCHEMA);

export interface OperationSpec {
  tag: string;
  /** Chinese summary, shown first in the docs page. */
  zh: string;
  /** English description: what it does and why a caller would use it. */
  en: string;
  access: Access;
  params?: Parameter[];
  body?: Json;
  /** Success responses by status; the error responses follow from `access`, `params` and `body`. */
  ok: Record<string, Json>;
  /** Extra error statuses this operation answers (e.g. 404, 409, 412, 413). */
  errors?: (404 | 405 | 409 | 412 | 413 | 422 | 428 | 429 | 503)[];
}

const ERROR_NAMES = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'TooLarge',
  422: 'Unprocessable',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  503: 'Unavailable',
} as const;

/** One operation: summary, access rule, parameters and the error responses that follow from them. */
export function op(spec: OperationSpec): Operation {
  const responses: Record<string, Json> = { ...spec.ok };
  if (spec.params?.length || spec.body) responses['400'] = errorResponse(ERROR_NAMES[400]);
  if (spec.access === 'user' || spec.access === 'writer' || spec.access === 'admin')
    responses['401'] = errorResponse(ERROR_NAMES[401]);
  if (spec.access === 'writer' || spec.access === 'admin') responses['403'] = errorResponse(ERROR_NAMES[403]);
  for (const status of spec.errors ?? []) responses[String(status)] = errorResponse(ERROR_NAMES[status]);
  const who = {
    public: 'Anyone.',
    optional:
      'Anyone; anonymous readers get what a grid board shows (common/rules/public-fields.ts), signed-in users more (household figures, secretaries, every worker).',
    user: 'Signed-in users.',
    writer: 'Admins and street editors (for their street).',
    admin: 'Admins.',
  }[spec.access];
  const operation: Operation = {
    tags: [spec.tag],
    summary: spec.zh,
    description: `${spec.en}\n\n**Access:** ${who}`,
    responses,
    'x-access': spec.access,
  };
  if (spec.params?.length) operation.parameters = spec.params;
  if (spec.body) operation.requestBody = spec.body;
  // No global requirement: public operations simply name none.
  if (spec.access === 'optional') operation.security = [{}, { session: [] }];
  else if (spec.access !== 'public') operation.security = [{ session: [] }];
  return operation;
}

/** The If-Match header of a versioned write (an ETag from the last read). */
export const ifMatchHeader = (required: boolean): Parameter => ({
  name: 'If-Match',
  in: 'header',
  required,
  description:
    'The ETag of the state this write is based on (from the last read); a stale one gets 412 with the current state.',
  schema: { type: 'string' },
});
