/**
 * Overlaps, from the exact overlay run only on communities whose edges did not cancel
 * (server/geo/match-edges). The overlay passes the project gridSize (DESIGN.md trap 1) and the
 * pair filter is written `a.id - b.id < 0` so PostgreSQL 15 cannot fold it into the index
 * scan (trap 4). The grids are read through a GridSource: the published map, or a draft's view.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import type { MeasuredArea } from './problems.ts';
import { gridsOf } from './grid-source.queries.ts';
import { PUBLISHED, type GridSource } from './grid-source.ts';
import { toMeasured, type AreaRow } from './measure-pieces.ts';
import { buildingsIn, measured, windowTable, type GapWindow } from './overlay-pieces.queries.ts';

/**
 * Pairs of grids whose interiors intersect, with at least one grid in `suspects` (grids that
 * own a residual edge). The other grid is looked for only around the suspect's community's
 * residual window: an overlap is bounded by residual edges, so it meets that window. A pair
 * of two suspects of one community is measured once (`a.id - b.id < 0`, trap 4); a pair
 * across two communities from both sides, and the report keeps one by its id.
 */
export async function findOverlaps(
  db: Kysely<DB>,
  suspects: string[],
  windows: GapWindow[],
  source: GridSource = PUBLISHED,
): Promise<MeasuredArea[]> {
  if (suspects.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH ${windowTable(windows)},
    s AS (SELECT g.id, g.code, g.community_code, g.geom, win.env FROM ${gridsOf(source)} g JOIN win ON win.code = g.community_code
          WHERE g.code = ANY(${suspects}::text[])),
    pairs AS (
      SELECT a.code AS a_code, b.code AS b_code, a.community_code, b.community_code AS b_community, a.geom AS ag, b.geom AS bg,
             ST_Multi(ST_CollectionExtract(ST_Intersection(a.geom, b.geom, ${GRID_SIZE}::float8), 3)) AS g
      FROM s a
      JOIN ${gridsOf(source)} b ON b.geom && a.geom AND b.geom && a.env AND b.id <> a.id
      LEFT JOIN s sb ON sb.id = b.id
      WHERE (sb.id IS NULL OR sb.community_code <> a.community_code OR a.id - b.id < 0)
        AND ST_Relate(a.geom, b.geom, '2********')
    )
    SELECT p.community_code AS community, ARRAY[p.a_code, p.b_code] AS grids,
           ARRAY[p.community_code, p.b_community] AS communities,
           ${measured('p.g')},
           ST_X(pt)::float8 AS lon, ST_Y(pt)::float8 AS lat, bl.buildings, bl.households
    FROM pairs p
    CROSS JOIN LATERAL (SELECT CASE WHEN ST_IsEmpty(p.g) THEN ST_ClosestPoint(p.ag, ST_Boundary(p.bg))
                                    ELSE ST_PointOnSurface(p.g) END AS pt) q
    CROSS JOIN LATERAL ${buildingsIn('p.g')} bl`.execute(db);
  return toMeasured('overlap', rows);
}
