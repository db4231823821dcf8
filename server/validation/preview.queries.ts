/**
 * Live re-check of one candidate outline against its neighbours only (what the editor calls
 * while a user draws), as published or as a draft sees them. Everything is one statement over the GiST index around the
 * candidate and the grid it replaces; nothing else in the city is read.
 *
 * The local picture before and after, inside the footprint F = candidate ∪ replaced grid:
 *   overlaps  candidate ∩ each neighbour (after), replaced ∩ each neighbour (before);
 *   outside   candidate − community (after), replaced − community (before);
 *   gaps      (community ∩ F) − candidate − same-community neighbours (after),
 *             (community ∩ F) − replaced − same-community neighbours (before).
 * Problems are compared by their stable id: after − before were created, before − after removed.
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import type { MeasuredArea } from './problems.ts';
import { trueWidthM } from '../geo/true-width.ts';
import { draftSource, PUBLISHED } from './grid-source.ts';
import { gridsOf } from './grid-source.queries.ts';

const sourceOf = (draft: number | null) => (draft === null ? PUBLISHED : draftSource(draft));

export interface CandidateValidity {
  valid: boolean;
  reason: string | null;
  lon: number | null;
  lat: number | null;
  parts: number;
}

/** ST_IsValidDetail of the candidate: a bow-tie is reported with its crossing point. */
export async function candidateValidity(db: Kysely<DB>, geometry: Polygon | MultiPolygon): Promise<CandidateValidity> {
  const { rows } = await sql<CandidateValidity>`
    WITH cand AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326) AS g)
    SELECT d.valid, d.reason, ST_X(d.location)::float8 AS lon, ST_Y(d.location)::float8 AS lat,
           ST_NumGeometries(cand.g)::int AS parts
    FROM cand CROSS JOIN LATERAL ST_IsValidDetail(cand.g) d`.execute(db);
  return rows[0]!;
}

export interface ReplacedGrid {
  code: string;
  community_code: string;
  parts: number;
}

export async function replacedGrid(
  db: Kysely<DB>,
  code: string,
  draft: number | null = null,
): Promise<ReplacedGrid | undefined> {
  const { rows } = await sql<ReplacedGrid>`
    SELECT code, community_code, ST_NumGeometries(geom)::int AS parts FROM ${gridsOf(sourceOf(draft))} v WHERE code = ${code}`.execute(
    db,
  );
  return rows[0];
}

export interface PreviewPiece extends MeasuredArea {
  phase: 'before' | 'after';
}

export interface CandidateStats {
  area: number;
  buildings: number;
  households: number;
}

export async function previewPieces(
  db: Kysely<DB>,
  geometry: Polygon | MultiPolygon,
  replaces: string | null,
  community: string,
  draft: number | null = null,
  snapMetres = 0,
): Promise<{ pieces: PreviewPiece[]; candidate: CandidateStats }> {
  const snapDegrees = snapMetres / 111_000;
  const gs = sql`${GRID_SIZE}::float8`;
  const label = replaces ?? 'new';
  const { rows } = await sql<{
    phase: 'before' | 'after' | 'candidate';
    kind: MeasuredArea['kind'];
    grids: string[];
    geometry: Geometry | null;
    area: number;
    perimeter: number;
    lon: number | null;
    lat: number | null;
    buildings: number;
    households: number;
    share: number | null;
  }>`
    WITH drawn AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)) AS g),
    xraw AS (SELECT geom FROM ${gridsOf(sourceOf(draft))} r WHERE r.code = ${replaces}),
    -- Everything the check reads lies around the drawing and the grid it replaces.
    near AS (SELECT ST_Expand(ST_Envelope(coalesce(ST_Collect(drawn.g, (SELECT geom FROM xraw LIMIT 1)), drawn.g)),
                              ${Math.max(snapDegrees, 1e-6)}::float8) AS g FROM drawn),
    view AS MATERIALIZED (SELECT v.code, v.community_code, v.geom FROM ${gridsOf(sourceOf(draft))} v, near WHERE v.geom && near.g),
    -- Snapped to the neighbours' outlines as the editor's save snaps it (GeoJSON's 7 decimals
    -- would otherwise leave millimetre slivers at every shared vertex).
    cand AS (SELECT CASE WHEN ${snapDegrees}::float8 > 0 THEN coalesce(ST_Multi(ST_Snap(drawn.g,
                      (SELECT ST_Collect(ST_Boundary(v.geom)) FROM view v
                       WHERE v.geom && ST_Expand(drawn.g, ${snapDegrees}::float8) AND v.code IS DISTINCT FROM ${replaces}),
                      ${snapDegrees}::float8)), drawn.g) ELSE drawn.g END AS g FROM drawn),
    x AS (SELECT geom AS g FROM view WHERE code = ${replaces}),
    c AS (SELECT geom AS g FROM regions WHERE code = ${community}),
    fp AS (SELECT CASE WHEN x.g IS NULL THEN cand.g ELSE ST_Union(cand.g, x.g, ${gs}) END AS g
           FROM cand LEFT JOIN x ON true),
    n AS (SELECT gr.code, gr.community_code, gr.geom AS g FROM view gr, fp
          WHERE gr.geom && fp.g AND gr.code IS DISTINCT FROM ${replaces}),
    nu AS (SELECT ST_Union(n.g, ${gs}) AS g FROM n, fp
           WHERE n.community_code = ${community} AND ST_Intersects(n.g, fp.g)),
    w AS (SELECT ST_Intersection(c.g, fp.g, ${gs}) AS g FROM c, fp),
    pieces AS (
      SELECT 'after' AS phase, 'overlap' AS kind, ARRAY[${label}::text, n.code] AS grids,
             ST_Intersection(cand.g, n.g, ${gs}) AS g, NULL::geometry AS whole
      FROM cand, n WHERE ST_Relate(cand.g, n.g, '2********')
      UNION ALL
      SELECT 'before', 'overlap', ARRAY[${label}::text, n.code], ST_Intersection(x.g, n.g, ${gs}), NULL
      FROM x, n WHERE ST_Relate(x.g, n.g, '2********')
      UNION ALL
      SELECT 'after', 'outside', ARRAY[${label}::text], ST_Difference(cand.g, c.g, ${gs}), cand.g FROM cand, c
      UNION ALL
      SELECT 'before', 'outside', ARRAY[${label}::text], ST_Difference(x.g, c.g, ${gs}), x.g FROM x, c
      UNION ALL
      SELECT 'after', 'gap', '{}', (ST_Dump(ST_Difference(w.g,
               CASE WHEN nu.g IS NULL THEN cand.g ELSE ST_Union(cand.g, nu.g, ${gs}) END, ${gs}))).geom, NULL
      FROM w, cand, nu
      UNION ALL
      SELECT 'before', 'gap', '{}', (ST_Dump(ST_Difference(w.g,
               CASE WHEN nu.g IS NULL THEN x.g ELSE ST_Union(x.g, nu.g, ${gs}) END, ${gs}))).geom, NULL
      FROM w, x, nu
    ),
    areal AS (
      SELECT phase, kind, grids, ST_Multi(ST_CollectionExtract(g, 3)) AS g, whole FROM pieces
    )
    SELECT a.phase, a.kind,
           CASE WHEN a.kind = 'gap' THEN coalesce((SELECT array_agg(DISTINCT b.code ORDER BY b.code) FROM (
               SELECT ${label}::text AS code, CASE a.phase WHEN 'after' THEN cand.g ELSE x.g END AS g
               FROM cand LEFT JOIN x ON true
               UNION ALL SELECT n.code, n.g FROM n WHERE n.community_code = ${community}) b
             WHERE b.g IS NOT NULL AND ST_Relate(b.g, a.g, '****1****')), '{}') ELSE a.grids END AS grids,
           ST_AsGeoJSON(a.g, 9)::json AS geometry,
           ST_Area(a.g::geography)::float8 AS area, ST_Perimeter(a.g::geography)::float8 AS perimeter,
           ST_X(ST_PointOnSurface(a.g))::float8 AS lon, ST_Y(ST_PointOnSurface(a.g))::float8 AS lat,
           bl.buildings, bl.households,
           CASE WHEN a.whole IS NULL THEN NULL ELSE (ST_Area(a.g::geography) / nullif(ST_Area(a.whole::geography), 0))::float8 END AS share
    FROM areal a
    CROSS JOIN LATERAL (SELECT count(*)::int AS buildings, coalesce(sum(bd.households), 0)::int AS households
                        FROM buildings bd WHERE bd.geom && a.g AND ST_Intersects(a.g, ST_PointOnSurface(bd.geom))) bl
    WHERE NOT ST_IsEmpty(a.g)
    UNION ALL
    SELECT 'candidate', 'gap', '{}', NULL, ST_Area(cand.g::geography)::float8, 0, NULL, NULL, bl.buildings, bl.households, NULL
    FROM cand CROSS JOIN LATERAL (SELECT count(*)::int AS buildings, coalesce(sum(bd.households), 0)::int AS households
                        FROM buildings bd WHERE bd.geom && cand.g AND ST_Intersects(cand.g, ST_PointOnSurface(bd.geom))) bl`.execute(
    db,
  );

  const pieces: PreviewPiece[] = [];
  let candidate: CandidateStats = { area: 0, buildings: 0, households: 0 };
  for (const r of rows) {
    if (r.phase === 'candidate') {
      candidate = { area: r.area, buildings: r.buildings, households: r.households };
      continue;
    }
    pieces.push({
      phase: r.phase,
      kind: r.kind,
      community,
      grids: r.grids,
      geometry: r.geometry as Geometry,
      areaM2: r.area,
      perimeterM: r.perimeter,
      widthM:
        r.geometry && (r.geometry.type === 'Polygon' || r.geometry.type === 'MultiPolygon')
          ? trueWidthM(r.geometry)
          : 0,
      point: [r.lon ?? 0, r.lat ?? 0],
      buildings: r.buildings,
      households: r.households,
      ...(r.share != null ? { share: r.share } : {}),
    });
  }
  return { pieces, candidate };
}
