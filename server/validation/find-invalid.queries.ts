import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { gridsOf } from './grid-source.queries.ts';
import { PUBLISHED, type GridSource } from './grid-source.ts';

/** A grid, and a point of it to zoom to. */
export interface GridPoint {
  grid: string;
  community: string;
  lon: number;
  lat: number;
}

export interface InvalidRow extends GridPoint {
  reason: string;
}

/**
 * Grids PostGIS finds invalid, with the reason and where. The schema's CHECK keeps invalid
 * geometry out of the table, so on stored data this finds something only if the two GEOS
 * versions (trap 7) disagree about a geometry; it runs on the suspect communities only.
 */
export async function findInvalid(
  db: Kysely<DB>,
  communities: string[],
  source: GridSource = PUBLISHED,
): Promise<InvalidRow[]> {
  if (communities.length === 0) return [];
  const { rows } = await sql<InvalidRow>`
    SELECT g.code AS grid, g.community_code AS community, d.reason,
           ST_X(d.location)::float8 AS lon, ST_Y(d.location)::float8 AS lat
    FROM ${gridsOf(source)} g CROSS JOIN LATERAL ST_IsValidDetail(g.geom) d
    WHERE g.community_code = ANY(${communities}::text[]) AND NOT d.valid`.execute(db);
  return rows;
}
