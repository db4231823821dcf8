/** Party organisations (网格党组织): the tree per community and the grids each is built on. */
import { z } from 'zod';
import { GRID_CODE, REGION_CODE } from '../domain.ts';
import { MultiPolygon } from './geojson.ts';
import { PartyOrgKind } from './grids.ts';

export { PartyOrgKind };

/** Organisation codes are free-form in imported data (e.g. DW131002001001), but URL-safe. */
export const PARTY_ORG_CODE = /^[A-Za-z0-9_-]{1,40}$/;

export const PartyOrg = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: PartyOrgKind,
    parent_code: z.string().nullable(),
    community_code: z.string(),
    /** null for anonymous readers (common/rules/public-fields.ts). */
    secretary_name: z.string().nullable(),
    /** null for anonymous readers. */
    member_count: z.number().int().nullable(),
    grids: z.array(z.string()),
  })
  .meta({ id: 'PartyOrg', description: "One organisation of a community's tree" });
export type PartyOrg = z.infer<typeof PartyOrg>;

export const PartyOrgList = z.object({ party_orgs: z.array(PartyOrg) }).meta({ id: 'PartyOrgList' });
export type PartyOrgList = z.infer<typeof PartyOrgList>;

/** GET /api/party-orgs/:code/area: an organisation's grids, outline and households (click on the map). */
export const PartyOrgArea = z
  .object({
    org: PartyOrg,
    /** The union of its grids (null when it has none). */
    outline: MultiPolygon.nullable(),
    grids: z.array(z.object({ code: z.string(), name: z.string(), households: z.number().int() })),
    households: z.number().int(),
  })
  .meta({ id: 'PartyOrgArea', description: "An organisation's grids, outline and households" });
export type PartyOrgArea = z.infer<typeof PartyOrgArea>;

// Request bodies: strict, so a stray key is named in the 400.
const code = z.string().regex(PARTY_ORG_CODE, 'letters, digits, _ or -, at most 40');
const name = z.string().trim().min(1).max(100);
const parentCode = code.nullable();
const communityCode = z.string().regex(REGION_CODE, 'a 12-digit community code');
const secretaryName = z.string().trim().max(50).nullable();
const memberCount = z.number().int().min(0).max(100_000);

/** Body of POST /api/party-orgs. `parent_code` is null only for the top (a committee or general branch). */
export const PartyOrgInput = z
  .object({
    code,
    name,
    kind: PartyOrgKind,
    parent_code: parentCode,
    community_code: communityCode,
    secretary_name: secretaryName.optional(),
    member_count: memberCount.optional(),
  })
  .strict();
export type PartyOrgInput = z.infer<typeof PartyOrgInput>;

/** Body of PATCH /api/party-orgs/:code: any subset of the fields but the code. */
export const PartyOrgPatch = z
  .object({
    name,
    kind: PartyOrgKind,
    parent_code: parentCode,
    community_code: communityCode,
    secretary_name: secretaryName,
    member_count: memberCount,
  })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type PartyOrgPatch = z.infer<typeof PartyOrgPatch>;

/** Body of PUT /api/party-orgs/:code/grids: the grids a branch or group is built on (replaces the list). */
export const PartyOrgGridsInput = z
  .object({
    grids: z
      .array(z.string().regex(GRID_CODE, 'a 15-digit grid code'))
      .max(500)
      .refine((g) => new Set(g).size === g.length, 'a grid is listed twice'),
  })
  .strict();
export type PartyOrgGridsInput = z.infer<typeof PartyOrgGridsInput>;
