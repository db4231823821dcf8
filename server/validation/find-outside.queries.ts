/** Outside parts: the area of a grid that lies outside its own community (overlay with the project gridSize, trap 1). */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import type { MeasuredArea } from './problems.ts';
import { gridsOf } from './grid-source.queries.ts';
import { PUBLISHED, type GridSource } from './grid-source.ts';
import { toMeasured, type AreaRow } from './measure-pieces.ts';
import { buildingsIn, measured } from './overlay-pieces.queries.ts';

/** Grids with area outside their own community (only grids owning residual edges can). */
export async function findOutside(
  db: Kysely<DB>,
  suspects: string[],
  source: GridSource = PUBLISHED,
): Promise<MeasuredArea[]> {
  if (suspects.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH o AS (
      SELECT g.code, g.community_code, g.geom AS gg,
             ST_Multi(ST_CollectionExtract(ST_Difference(g.geom, c.geom, ${GRID_SIZE}::float8), 3)) AS g
      FROM ${gridsOf(source)} g JOIN regions c ON c.code = g.community_code
      WHERE g.code = ANY(${suspects}::text[]) AND NOT ST_Covers(c.geom, g.geom)
    )
    SELECT o.community_code AS community, ARRAY[o.code] AS grids, ${measured('o.g')},
           ST_X(ST_PointOnSurface(o.g))::float8 AS lon, ST_Y(ST_PointOnSurface(o.g))::float8 AS lat,
           bl.buildings, bl.households,
           (ST_Area(o.g::geography) / nullif(ST_Area(o.gg::geography), 0))::float8 AS share
    FROM o CROSS JOIN LATERAL ${buildingsIn('o.g')} bl
    WHERE NOT ST_IsEmpty(o.g)`.execute(db);
  return toMeasured('outside', rows);
}
