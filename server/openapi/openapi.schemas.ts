/**
 * The document's schemas, generated: every zod schema in common/contracts/ that carries an
 * `id` (`.meta({ id })`) becomes components/schemas/<id>, through zod 4's `z.toJSONSchema`
 * (JSON Schema 2020-12, the dialect of OpenAPI 3.1). The same schemas type the server and
 * the client (`z.infer`) and tests/api/response-schemas.test.ts checks served bodies against
 * them, so the document cannot drift from the code. Described on the input side: an object
 * does not claim `additionalProperties: false` (zod strips unknown keys rather than refusing them).
 */
import { z } from 'zod';
import type { Json, Schema } from './openapi.build.ts';
import { componentUri, ref, stripDialect } from './openapi.build.ts';
import { ApiError } from '../../common/contracts/meta.ts';

/** Every registered contract schema by id (call after the paths are imported: importing a contract registers it). */
export function componentSchemas(): Record<string, Schema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'input', unrepresentable: 'any', uri: componentUri });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, stripDialect(schema as Json)]));
}

/** Errors every operation may answer, each with the ApiError body. */
export const RESPONSES: Record<string, Json> = Object.fromEntries(
  [
    ['BadRequest', 'A parameter or the body is invalid; `error.param` names it'],
    ['Unauthorized', 'Not signed in (no or an expired `wangge_session` cookie)'],
    ['Forbidden', 'Signed in, but this role or street may not do this'],
    ['NotFound', 'No such object'],
    ['MethodNotAllowed', 'This collection is read-only'],
    ['Conflict', 'Refused by a rule or a concurrent change; nothing was written'],
    ['PreconditionFailed', 'If-Match names a stale ETag; the body carries the current state'],
    ['PreconditionRequired', 'If-Match is required for this write'],
    ['TooLarge', 'The upload or body exceeds a size limit'],
    [
      'Unprocessable',
      'The request is well-formed but its content cannot be used (e.g. invalid features); the body says which',
    ],
    ['TooManyRequests', 'Rate limit reached; retry later'],
    ['Unavailable', 'Not ready yet (an index is being built); retry after the Retry-After seconds'],
  ].map(([name, description]) => [name, { description, content: { 'application/json': { schema: ref(ApiError) } } }]),
);
