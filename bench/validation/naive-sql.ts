/**
 * Gaps and overlaps "the obvious way" in PostGIS, the baseline the engine has to beat:
 *   overlaps: a GiST self-join, `a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')`;
 *   gaps:     per community, ST_Difference(community, ST_Union(its grids)).
 * Both follow the project's traps: the pair filter is `a.id - b.id < 0` so PostgreSQL 15
 * cannot fold it into the index scan (DESIGN.md trap 4: `a.id < b.id` took 74 s at 100,000
 * grids), and every overlay takes the project gridSize (trap 1: the embedded GEOS can
 * return no row at all without it).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { GRID_SIZE } from '../../server/db/postgis.queries.ts';
import type { FoundProblem } from './score.ts';

/** Each pair of grids whose interiors intersect, with the overlap's geodesic area and perimeter. */
export async function naiveOverlaps(db: Kysely<DB>): Promise<FoundProblem[]> {
  const { rows } = await sql<{ a: string; b: string; area: number; perimeter: number }>`
    SELECT a, b, ST_Area(o::geography)::float8 AS area, ST_Perimeter(o::geography)::float8 AS perimeter
    FROM (
      SELECT a.code AS a, b.code AS b, ST_Intersection(a.geom, b.geom, ${GRID_SIZE}::float8) AS o
      FROM grids a
      JOIN grids b ON a.geom && b.geom AND a.id - b.id < 0
      WHERE ST_Relate(a.geom, b.geom, '2********')
    ) pairs`.execute(db);
  return rows.map((r) => ({ kind: 'overlap', grids: [r.a, r.b].sort(), areaM2: r.area, perimeterM: r.perimeter }));
}

/**
 * Each part of a community covered by none of its grids, with the grids that border it
 * (within 1e-9°, about 0.1 mm: the gap's vertices are the grids' own vertices).
 */
export async function naiveGaps(db: Kysely<DB>): Promise<FoundProblem[]> {
  const { rows } = await sql<{ grids: string[] | null; area: number; perimeter: number }>`
    WITH gaps AS (
      SELECT (ST_Dump(ST_Difference(c.geom, COALESCE(u.geom, 'GEOMETRYCOLLECTION EMPTY'::geometry), ${GRID_SIZE}::float8))).geom AS geom
      FROM regions c
      CROSS JOIN LATERAL (
        SELECT ST_Union(g.geom, ${GRID_SIZE}::float8) AS geom FROM grids g WHERE g.community_code = c.code
      ) u
      WHERE c.level = 'community'
    )
    SELECT ST_Area(geom::geography)::float8 AS area, ST_Perimeter(geom::geography)::float8 AS perimeter,
      (SELECT array_agg(g.code ORDER BY g.code) FROM grids g WHERE ST_DWithin(g.geom, gaps.geom, 1e-9)) AS grids
    FROM gaps
    WHERE NOT ST_IsEmpty(geom)`.execute(db);
  return rows.map((r) => ({ kind: 'gap', grids: r.grids ?? [], areaM2: r.area, perimeterM: r.perimeter }));
}
