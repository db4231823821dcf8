import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Geometry } from 'geojson';
import { gridsOf } from './grid-source.queries.ts';
import { PUBLISHED, type GridSource } from './grid-source.ts';
import type { GridPoint } from './find-invalid.queries.ts';

export interface GridShapeRow extends GridPoint {
  geometry: Geometry;
  area: number;
  parts: number;
}

/** Outline, area and point of the given grids (for multipart problems). */
export async function gridShapes(
  db: Kysely<DB>,
  codes: string[],
  source: GridSource = PUBLISHED,
): Promise<GridShapeRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<GridShapeRow>`
    SELECT g.code AS grid, g.community_code AS community, ST_AsGeoJSON(g.geom, 7)::json AS geometry,
           ST_Area(g.geom::geography)::float8 AS area, ST_NumGeometries(g.geom)::int AS parts,
           ST_X(ST_PointOnSurface(g.geom))::float8 AS lon, ST_Y(ST_PointOnSurface(g.geom))::float8 AS lat
    FROM ${gridsOf(source)} g WHERE g.code = ANY(${codes}::text[])`.execute(db);
  return rows;
}
