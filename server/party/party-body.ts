/** Request bodies of the party organisation writes: strict, so a stray key is named in the 400. */
import { z } from 'zod';
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { PARTY_ORG_KINDS } from './party-tree.ts';

/** Organisation codes are free-form in imported data (e.g. DW131002001001), but URL-safe. */
export const PARTY_ORG_CODE = /^[A-Za-z0-9_-]{1,40}$/;

const code = z.string().regex(PARTY_ORG_CODE, 'letters, digits, _ or -, at most 40');
const fields = {
  name: z.string().trim().min(1).max(100),
  kind: z.enum(PARTY_ORG_KINDS),
  parent_code: code.nullable(),
  community_code: z.string().regex(REGION_CODE, 'a 12-digit community code'),
  secretary_name: z.string().trim().max(50).nullable().optional(),
  member_count: z.number().int().min(0).max(100_000).optional(),
};

export const CreateOrgBody = z.object({ code, ...fields }).strict();
export const PatchOrgBody = z
  .object({
    name: fields.name,
    kind: fields.kind,
    parent_code: fields.parent_code,
    community_code: fields.community_code,
    secretary_name: z.string().trim().max(50).nullable(),
    member_count: z.number().int().min(0).max(100_000),
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export const OrgGridsBody = z
  .object({
    grids: z
      .array(z.string().regex(GRID_CODE, 'a 15-digit grid code'))
      .max(500)
      .refine((g) => new Set(g).size === g.length, 'a grid is listed twice'),
  })
  .strict();

export function parseOrgCode(value: unknown): string {
  if (typeof value !== 'string' || !PARTY_ORG_CODE.test(value)) throw badRequest('code', 'code must be letters, digits, _ or - (at most 40)');
  return value;
}

/** Like parseBody, but an unknown key is reported by its own name, not as "body". */
export function parseStrict<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const param = [...path, issue.keys[0]].join('.');
    throw badRequest(param, `${param}: unknown field`);
  }
  const param = path.join('.') || 'body';
  throw badRequest(param, `${param}: ${issue.message}`);
}
