/**
 * The operations inside a draft (issue 4): their bodies and answer. The grid change (PATCH
 * /api/drafts/:id/grids/:code) is declared here once: the server parses it, the editor's
 * attribute form builds its patch from it, the OpenAPI document describes it.
 * Geometry fields are GeoJSON here; the server judges them more closely (server/http/geojson.ts).
 */
import { z } from 'zod';
import { GRID_CODE, REGION_CODE } from '../domain.ts';
import { LineOrMulti, PolygonOrMulti } from './geojson.ts';
import { GridKind } from './grids.ts';
import { comment, HouseholdsSource } from './drafts.ts';

const name = z.string().trim().min(1).max(100);
const snapMetres = z.number().min(0).max(10).optional();

export const GridWorkerInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    phone: z.string().regex(/^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$/, 'a mobile (11 digits) or landline number'),
    role: z.enum(['full_time', 'part_time']),
    phone_public: z.boolean().default(false),
  })
  .strict();

/** The attributes a grid change may set (the editor's 属性 form sends only those that changed). */
const attributes = {
  name: name.optional(),
  kind: GridKind.optional(),
  /** Set by hand: kept through later reshapes until set back to null (follow the buildings). */
  households: z.number().int().min(0).max(100_000).nullable().optional(),
  /** Grid-level party organisations (branch or group codes) built on the grid. */
  party_orgs: z.array(z.string().min(1).max(40)).max(10).optional(),
  /** Its full- and part-time grid workers. */
  workers: z.array(GridWorkerInput).max(10).optional(),
};

/** Body of PATCH /api/drafts/:id/grids/:code: a new outline and/or attributes, and why. */
export const GridChangeBody = z
  .object({
    geometry: PolygonOrMulti.optional(),
    ...attributes,
    /** Snapping tolerance for a new outline (default 0.5 m; 0 keeps it as drawn). */
    snapMetres,
    comment,
  })
  .strict();
/** The change as the server applies it (after parsing: workers' phone_public filled in). */
export type GridChange = Omit<z.output<typeof GridChangeBody>, 'comment'>;
/** The attribute form's PATCH body without the comment (what it sends). */
export const AttributesPatch = z.object(attributes);
export type AttributesPatch = z.input<typeof AttributesPatch>;

export const CreateGridBody = z
  .object({
    geometry: PolygonOrMulti,
    community: z.string().regex(REGION_CODE),
    name,
    kind: GridKind,
    comment,
    snapMetres,
  })
  .strict();
export type CreateGridBody = z.infer<typeof CreateGridBody>;
/** Body of …/split: the line, and optionally the grid-level party organisations every part gets (default: the split grid's). */
export const SplitGridBody = z.object({ line: LineOrMulti, party_orgs: attributes.party_orgs, comment }).strict();
/** Body of …/split/preview: the line as it is drawn now. */
export const SplitPreviewBody = z.object({ line: LineOrMulti }).strict();
/** What a split by this line would give, written nowhere: each part's households and party organisations. */
export const SplitPreview = z
  .object({
    code: z.string(),
    name: z.string(),
    community_code: z.string(),
    kind: GridKind,
    households: z.number().int(),
    /** False while the line does not cut the grid into two or more parts (then `parts` is empty). */
    cuts: z.boolean(),
    /** Why the line does not cut yet (null when it does). */
    reason: z.string().nullable(),
    parts: z.array(
      z.object({
        households: z.number().int(),
        /** How the part's households were found: by its buildings, by area (an estimate), or kept by hand. */
        households_source: HouseholdsSource,
        buildings: z.number().int(),
        areaM2: z.number(),
        /** The grid-level party organisations the part would have (inherited from the grid split). */
        party_orgs: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'SplitPreview', description: "What a split would give: each part's households and party organisations" });
export type SplitPreview = z.infer<typeof SplitPreview>;
export const MergeGridsBody = z
  .object({ codes: z.array(z.string().regex(GRID_CODE)).min(2).max(50), comment })
  .strict();
export const CommentBody = z.object({ comment }).strict();
export const MoveBoundaryBody = z
  .object({ neighbour: z.string().regex(GRID_CODE), geometry: PolygonOrMulti, comment, snapMetres })
  .strict();

export const EditResponse = z
  .object({
    changeset: z.number().int(),
    /** The grids the operation wrote, with their new ETags. */
    grids: z.array(z.object({ code: z.string(), etag: z.string() })),
  })
  .meta({ id: 'EditResponse', description: 'The changeset written and the new ETags of the grids it touched' });
export type EditResponse = z.infer<typeof EditResponse>;
