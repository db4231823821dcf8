/** Repairs in a draft and allowed gaps (issue 15, ADR 0013). */
import { z } from 'zod';
import { GRID_CODE, REGION_CODE } from '../domain.ts';
import { MultiPolygon, PolygonOrMulti } from './geojson.ts';
import { ProblemType } from './validation.ts';

/** What a repair did with one problem. */
export const RepairOutcome = z.object({
  problem: z.string(),
  type: ProblemType,
  areaM2: z.number().nullable(),
  status: z.enum(['repaired', 'skipped']),
  /** repaired: the grid that took the piece, and the grids written. */
  to: z.string().optional(),
  grids: z.array(z.string()).optional(),
  /** skipped: why (the error the repair alone would have got) and its code. */
  reason: z.string().optional(),
  code: z.string().optional(),
});
export type RepairOutcome = z.infer<typeof RepairOutcome>;

/** POST /api/drafts/{id}/repairs: one changeset (null when nothing was repaired). */
export const RepairResponse = z
  .object({
    changeset: z.number().int().nullable(),
    grids: z.array(z.object({ code: z.string(), etag: z.string() })),
    repairs: z.array(RepairOutcome),
  })
  .meta({ id: 'RepairResponse' });
export type RepairResponse = z.infer<typeof RepairResponse>;

const repairComment = z.string().trim().min(1).max(2_000).optional();
export const RepairOneBody = z
  .object({
    problem: z.string().min(3).max(200),
    to: z.string().regex(GRID_CODE, 'must be a 15-digit grid code').optional(),
    comment: repairComment,
  })
  .strict();
export const RepairBatchBody = z
  .object({
    // A region code or a GeoJSON polygon (the current view): the server judges which, so a bad
    // polygon is named as precisely as on every other geometry route (a union would say only "invalid").
    region: z.unknown().describe('A 12-digit region code or a GeoJSON Polygon/MultiPolygon'),
    maxAreaM2: z.number().finite().positive().max(1e7),
    comment: repairComment,
  })
  .strict();
export const RepairRegionCode = z.object({
  region: z.string().regex(REGION_CODE, 'must be a 12-digit region code or a GeoJSON polygon'),
});

/** An allowed gap (允许的缝隙), active or removed (the row is the log). */
export const TilingException = z
  .object({
    id: z.number().int(),
    community_code: z.string(),
    problem_id: z.string().nullable(),
    geometry: MultiPolygon,
    areaM2: z.number(),
    reason: z.string(),
    created_by: z.string(),
    created_at: z.string(),
    removed_by: z.string().nullable(),
    removed_at: z.string().nullable(),
    removal_reason: z.string().nullable(),
  })
  .meta({ id: 'TilingException' });
export type TilingException = z.infer<typeof TilingException>;
export const TilingExceptionList = z
  .object({ exceptions: z.array(TilingException) })
  .meta({ id: 'TilingExceptionList' });

/** Body of POST /api/validation/exceptions: a gap by its problem id, or drawn, with the reason. */
export const AllowGapFields = z
  .object({
    problem: z.string().min(3).max(200).optional(),
    geometry: PolygonOrMulti.optional(),
    community: z.string().regex(REGION_CODE, 'must be a 12-digit region code').optional(),
    reason: z.string().trim().min(1, 'say why the gap is intended (a reason is required)').max(2_000),
  })
  .strict();
/** Exactly one of problem and geometry. */
export const problemOrGeometry: [
  (b: { problem?: unknown; geometry?: unknown }) => boolean,
  { message: string; path: string[] },
] = [
  (b) => (b.problem === undefined) !== (b.geometry === undefined),
  { message: 'give either problem (a gap id) or geometry', path: ['problem'] },
];
export const AllowGapBody = AllowGapFields.refine(...problemOrGeometry);
export const RemoveExceptionBody = z.object({ reason: z.string().trim().min(1).max(2_000).optional() }).strict();
