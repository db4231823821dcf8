/** Validation of the tiling (issue 3): problems, the report, the preview of a candidate outline. */
import { z } from 'zod';
import { count } from './fields.ts';
import { GRID_CODE, REGION_CODE } from '../domain.ts';
import { PROBLEM_TYPES, SEVERITIES } from '../rules/problem-types.ts';
import { featureCollection, Geometry, PolygonOrMulti } from './geojson.ts';
import { RegionRef } from './regions.ts';

// Which problem types exist and how grave each is are rules (common/rules/problem-types.ts).
export const ProblemType = z.enum(PROBLEM_TYPES);
export type ProblemType = z.infer<typeof ProblemType>;
export const ProblemSeverity = z.enum(SEVERITIES);

export const ProblemProperties = z
  .object({
    /** Stable across runs while the problem itself does not change, e.g. `overlap:<a>:<b>`. */
    id: z.string(),
    type: ProblemType,
    severity: ProblemSeverity,
    /** Codes of the grids involved (sorted). Empty for a gap no grid borders. */
    grids: z.array(z.string()),
    /** The names of `grids`, in the same order (a grid's code where it has no name), for people to read. */
    grid_names: z.array(z.string()).optional(),
    community_code: z.string(),
    /** Geodesic area on the WGS84 spheroid (PostGIS geography), m²; null for attribute problems. */
    areaM2: z.number().nullable(),
    /** Households affected: in the buildings inside a gap/overlap, or the grid's own count. */
    households: z.number().nullable(),
    /** Buildings whose point (or centroid) lies inside the gap/overlap/outside area. */
    buildings: z.number().nullable(),
    /** [lon, lat] to zoom to: a point on the problem's surface. */
    point: z.tuple([z.number(), z.number()]),
    /** Type-specific detail: sliver → of (gap|overlap) and widthM; invalid → reason;
     *  households → min, max; outside → share of the grid's area. */
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .meta({ id: 'ProblemProperties' });
export type ProblemProperties = z.infer<typeof ProblemProperties>;
export const ProblemCollection = featureCollection(Geometry, ProblemProperties).meta({
  id: 'ProblemCollection',
  description: 'Validation problems (gaps, overlaps, …) as features',
});
export type ProblemCollection = z.infer<typeof ProblemCollection>;
export type ProblemFeature = ProblemCollection['features'][number];
export const ProblemFeature = ProblemCollection.shape.features.element;

export const ValidationSummary = z.object({
  overlaps: count,
  gaps: count,
  slivers: count,
  outside: count,
  multipart: count,
  invalid: count,
  householdsOutOfRange: count,
  uncoveredByParty: count,
  withoutWorker: count,
});
export type ValidationSummary = z.infer<typeof ValidationSummary>;

export const CommunityStatus = z.object({
  code: z.string(),
  name: z.string(),
  /** True when the community's grids tile it exactly (no gap, overlap, sliver or outside). */
  tiled: z.boolean(),
  /** All problems in the community, by severity. */
  errors: count,
  warnings: count,
  infos: count,
});
export type CommunityStatus = z.infer<typeof CommunityStatus>;

export const ValidationReport = z
  .object({
    region: RegionRef,
    tolerances: z.object({ areaM2: z.number(), widthM: z.number() }),
    /** Household band applied (per district, from settings). */
    householdBounds: z.object({ min: z.number(), max: z.number() }),
    summary: ValidationSummary,
    communities: z.array(CommunityStatus),
    grids: z.number().int(),
    /** How the areas were measured. */
    areaMethod: z.literal('geodesic'),
    tookMs: z.number(),
    problems: ProblemCollection,
    /** Gaps an admin marked as intended (允许的缝隙): listed apart, not counted as errors. */
    allowed: ProblemCollection.optional(),
    /** Set when the report is of a draft's view of the grids (GET /api/validation?draft=). */
    draft: z.number().int().optional(),
  })
  .meta({
    id: 'ValidationReport',
    description: "The problems of a region's tiling, with a summary by type and a status per community",
  });
export type ValidationReport = z.infer<typeof ValidationReport>;

/** Body of POST /api/validation/preview (the server judges `geometry` more closely). */
export const ValidationPreviewRequest = z
  .object({
    /** The candidate outline (GeoJSON Polygon or MultiPolygon, WGS84). */
    geometry: PolygonOrMulti,
    /** The grid the candidate would replace; omit for a new grid (then give community). */
    replaces: z.string().regex(GRID_CODE, 'must be a 15-digit grid code').optional(),
    community: z.string().regex(REGION_CODE, 'must be a 12-digit region code').optional(),
    /** Check against the grids as this draft sees them. */
    draft: z.number().int().positive().optional(),
    /** Snap to the neighbours within this many metres first, as the editor's save does (default 0). */
    snapMetres: z.number().finite().min(0).max(10).optional(),
    areaTolerance: z.number().finite().min(0).max(1e6).optional(),
    widthTolerance: z.number().finite().min(0).max(1e3).optional(),
  })
  .strict();
export type ValidationPreviewRequest = z.infer<typeof ValidationPreviewRequest>;

export const ValidationPreview = z
  .object({
    community_code: z.string(),
    /** Problems the candidate would bring that are not there now. */
    created: ProblemCollection,
    /** Problems there now (around the replaced grid) that the candidate would remove. */
    removed: ProblemCollection,
    /** All geometric problems of the candidate against its neighbours, after the change. */
    after: ProblemCollection,
    /** Buildings and households whose point falls inside the candidate. */
    candidate: z.object({
      areaM2: z.number(),
      buildings: z.number().int(),
      households: z.number().int(),
      valid: z.boolean(),
    }),
    tookMs: z.number(),
  })
  .meta({ id: 'ValidationPreview', description: 'The problems a candidate outline would create and remove' });
export type ValidationPreview = z.infer<typeof ValidationPreview>;
