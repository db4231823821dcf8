/**
 * Gaps: parts of a community covered by none of its grids, from the exact overlay run only on
 * communities whose edges did not cancel (server/geo/match-edges), with the project gridSize
 * (DESIGN.md trap 1). The grids are read through a GridSource: the published map, or a draft's view.
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
 * How near a grid's outline must run to a gap's edge to border it: 1e-9° (0.1 mm, ten times
 * the overlay gridSize). The gap comes out of an overlay snapped to the 1e-10° gridSize, so
 * with full-precision coordinates (reprojected from Gauss–Krüger) its edges lie up to ~7e-11°
 * off the grids' own edges and an exact test ('****1****') finds no grid at all.
 */
const BORDER_TOLERANCE_DEG = 1e-9;
/** ... along at least 1e-8° (1 mm) of the gap's outline: a grid touching a corner does not border it. */
const BORDER_MIN_LENGTH_DEG = 1e-8;

/**
 * Parts of each community covered by no grid of it, each part on its own. Only the grids
 * around the residual edges are unioned (a gap's outline is made of residual edges), so a
 * community of 3,000 grids costs the union of the few around the gap. The community itself
 * is NOT clipped to the window: a clip puts new, rounded vertices on the community's outline
 * that its grids do not share, and the difference then invents slivers 0–4 mm wide along
 * the outline (DESIGN.md trap 10). The whole outline minus the local union leaves the real
 * gaps, which lie inside the window, and one piece reaching outside it (the part of the
 * community covered by grids further away), which is dropped.
 */
export async function findGaps(
  db: Kysely<DB>,
  windows: GapWindow[],
  source: GridSource = PUBLISHED,
): Promise<MeasuredArea[]> {
  if (windows.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH ${windowTable(windows)},
    u AS (
      SELECT c.code, c.geom AS cg, win.env, ST_Union(g.geom, ${GRID_SIZE}::float8) AS ug
      FROM win JOIN regions c ON c.code = win.code
      LEFT JOIN ${gridsOf(source)} g ON g.community_code = c.code AND g.geom && win.env
      GROUP BY c.code, c.geom, win.env
    ),
    d AS (
      SELECT u.code, u.env, (ST_Dump(ST_CollectionExtract(
               CASE WHEN u.ug IS NULL THEN u.cg ELSE ST_Difference(u.cg, u.ug, ${GRID_SIZE}::float8) END, 3))).geom AS g
      FROM u
    )
    SELECT d.code AS community,
           coalesce((SELECT array_agg(n.code ORDER BY n.code) FROM ${gridsOf(source)} n
                     WHERE n.community_code = d.code AND n.geom && ST_Expand(d.g, ${BORDER_TOLERANCE_DEG}::float8)
                       AND (SELECT coalesce(sum(ST_Length(s.geom)), 0) FROM ST_DumpSegments(d.g) s
                            WHERE ST_DWithin(ST_Boundary(n.geom), ST_LineInterpolatePoint(s.geom, 0.5), ${BORDER_TOLERANCE_DEG}::float8))
                           > ${BORDER_MIN_LENGTH_DEG}::float8), '{}') AS grids,
           ${measured('d.g')},
           ST_X(ST_PointOnSurface(d.g))::float8 AS lon, ST_Y(ST_PointOnSurface(d.g))::float8 AS lat,
           bl.buildings, bl.households
    FROM d CROSS JOIN LATERAL ${buildingsIn('d.g')} bl
    WHERE NOT ST_IsEmpty(d.g) AND d.g @ d.env`.execute(db);
  return toMeasured('gap', rows);
}
