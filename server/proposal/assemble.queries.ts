/**
 * What a proposal's outlines need from PostGIS besides the faces (issue 19, ADR 0020): grids
 * that stay as they are (unchanged in rebalance, commercial ones) come back as today's
 * geometry, untouched, with what they hold of the buildings crossing their outline; and the
 * community's outline on the stored grid, which settleVertices keeps rebuilt outlines inside.
 * The outlines rebuilt from faces are assembled in Node (assemble.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE, textArray } from '../db/postgis.queries.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { gridRowsOf } from '../validation/grid-source.queries.ts';
import type { AssembledOutline } from './assemble.ts';

export interface KeptInput {
  community: string;
  source: GridSource;
  /** Outlines kept as today's grid: outline index → grid code. */
  kept: readonly { outline: number; code: string }[];
}

export interface KeptOutlines {
  outlines: AssembledOutline[];
  /** Polygon buildings a kept outline's boundary crosses, and the m² the outline holds of each. */
  parts: { building: number; outline: number; areaM2: number }[];
  /** The community's outline on the stored grid (stOnGrid), or null when it has none. */
  community: MultiPolygon | null;
}

export async function readKeptOutlines(db: Kysely<DB>, input: KeptInput): Promise<KeptOutlines> {
  const { rows } = await sql<{
    kind: 'outline' | 'part' | 'community';
    outline: number | null;
    geometry: string | null;
    area: number | null;
    perimeter: number | null;
    building: number | null;
  }>`
    WITH k AS (
      SELECT t.c AS code, t.o::int AS o
      FROM unnest(${textArray(input.kept.map((k) => k.code))}, ${textArray(input.kept.map((k) => String(k.outline)))}) AS t(c, o)
    ),
    o AS MATERIALIZED (
      SELECT k.o, s.geom AS g, ST_Boundary(s.geom) AS edge FROM k JOIN ${gridRowsOf(input.source)} s ON s.code = k.code
    )
    SELECT 'outline' AS kind, o.o AS outline, ST_AsGeoJSON(o.g, 10) AS geometry, ST_Area(o.g::geography)::float8 AS area,
           ST_Perimeter(o.g::geography)::float8 AS perimeter, NULL::int AS building
    FROM o
    UNION ALL
    SELECT 'part', o.o, NULL, ST_Area(ST_Intersection(b.geom, o.g, ${GRID_SIZE}::float8)::geography)::float8, NULL, b.id::int
    FROM o JOIN buildings b ON b.geom && o.g AND ST_Intersects(o.edge, b.geom)
    WHERE b.community_code = ${input.community} AND GeometryType(b.geom) = 'POLYGON'
    UNION ALL
    SELECT 'community', NULL, ST_AsGeoJSON(${stOnGrid(sql`r.geom`)}, 10), NULL, NULL, NULL
    FROM regions r WHERE r.code = ${input.community}`.execute(db);
  const out: KeptOutlines = { outlines: [], parts: [], community: null };
  for (const r of rows) {
    if (r.kind === 'outline')
      out.outlines.push({
        outline: r.outline!,
        geometry: JSON.parse(r.geometry!) as MultiPolygon,
        areaM2: r.area!,
        perimeterM: r.perimeter!,
      });
    else if (r.kind === 'part') out.parts.push({ building: r.building!, outline: r.outline!, areaM2: r.area! });
    else out.community = JSON.parse(r.geometry!) as MultiPolygon;
  }
  out.outlines.sort((a, b) => a.outline - b.outline);
  return out;
}
