/**
 * SQL shared by the exact overlay's finders (find-gaps, find-overlaps, find-outside): how a
 * piece is measured, the buildings under it, and the residual windows of broken communities.
 */
import { sql } from 'kysely';

/** Buildings (by their point on surface, as everywhere in Wangge) inside `geom`. */
export const buildingsIn = (geom: string) =>
  sql.raw(`(SELECT count(*)::int AS buildings, coalesce(sum(bd.households), 0)::int AS households
     FROM buildings bd WHERE bd.geom && ${geom} AND ST_Intersects(${geom}, ST_PointOnSurface(bd.geom)))`);

// 9 decimals (0.1 mm): the true width of a 0.3 m sliver is measured from these vertices.
export const measured = (geom: string) =>
  sql.raw(`ST_AsGeoJSON(${geom}, 9)::json AS geometry,
     ST_Area(${geom}::geography)::float8 AS area,
     ST_Perimeter(${geom}::geography)::float8 AS perimeter`);

/** `win (code, env)`: each broken community's residual window, slightly expanded. */
export function windowTable(windows: GapWindow[]) {
  const col = (i: number) => windows.map((w) => w.bbox[i]!);
  return sql`win AS (
      SELECT w.code, ST_Expand(ST_MakeEnvelope(w.x0, w.y0, w.x1, w.y1, 4326), 1e-7) AS env
      FROM unnest(${windows.map((w) => w.community)}::text[], ${col(0)}::float8[], ${col(1)}::float8[],
                  ${col(2)}::float8[], ${col(3)}::float8[]) AS w (code, x0, y0, x1, y1)
    )`;
}

export interface GapWindow {
  community: string;
  /** Where the community's residual edges are: every gap of it lies inside. */
  bbox: [number, number, number, number];
}
