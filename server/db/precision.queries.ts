/** The precision model's SQL (see precision.ts, ADR 0011): rounding to the stored grid, measuring what lies outside. */
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './schema.ts';
import { GRID_SIZE } from './postgis.queries.ts';
import { STORE_DECIMALS, type OutsidePart } from './precision.ts';

/** A geometry on the stored grid: coordinates rounded to STORE_DECIMALS decimals, SRID kept. */
export function stOnGrid(geom: Expression<unknown>): RawBuilder<string> {
  return sql<string>`ST_GeomFromEWKT(ST_AsEWKT(${geom}, ${STORE_DECIMALS}::int))`;
}

/**
 * What of `geom` lies outside `container`, measured at the overlay gridSize: its geodesic
 * area and how far its farthest vertex is from the container (degrees × 111,320 m: "about",
 * which is all a tolerance of 1 mm needs).
 */
export async function outsidePart(
  db: Kysely<DB>,
  geom: Expression<unknown>,
  container: Expression<unknown>,
): Promise<OutsidePart> {
  const { rows } = await sql<OutsidePart>`
    WITH c AS (SELECT ${container} AS g),
    o AS (SELECT ST_CollectionExtract(ST_Difference(${geom}, c.g, ${GRID_SIZE}::float8), 3) AS g FROM c)
    SELECT coalesce(ST_Area(o.g::geography), 0)::float8 AS "areaM2",
           coalesce((SELECT max(ST_Distance(d.geom, c.g)) FROM ST_DumpPoints(o.g) d), 0)::float8 * 111320 AS "reachM"
    FROM o, c`.execute(db);
  return rows[0] ?? { areaM2: 0, reachM: 0 };
}
