/**
 * The precision model (ADR 0011, DESIGN.md trap 8): one fixed grid for stored coordinates and
 * one stated tolerance for containment, used by every write path (the editor, grid import
 * and OGC writes all pass through editing/geometry.queries.ts).
 *
 * - Every grid outline is stored with coordinates rounded to STORE_DECIMALS decimal places
 *   (1e-10° ≈ 0.01 mm, the overlay gridSize of trap 1). The rounding is a text round trip
 *   (ST_AsEWKT(g, 10) → ST_GeomFromEWKT), not ST_SnapToGrid: rint(x / 1e-10) · 1e-10 can be
 *   one ulp away from the decimal a neighbour was stored with (116.1234567 becomes
 *   116.12345670000001), and a shared vertex one ulp apart is no longer shared. Parsing the
 *   rounded decimal gives the same double as parsing the neighbour's own text.
 * - "Inside the street" is judged with a stated tolerance: what lies outside the street is
 *   measured (ST_Difference at the overlay gridSize) and ignored when no part of it is
 *   farther than CONTAINMENT_TOLERANCE_M from the street. Reprojection from Gauss–Krüger
 *   metres and the gridSize overlay move vertices by up to 5e-11° (5 µm); a vertex drawn
 *   1 mm past the street is a real excursion.
 */
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from './schema.ts';
import { GRID_SIZE } from './postgis.ts';

/** Decimal places of every stored grid coordinate (1e-10°, the overlay gridSize). */
export const STORE_DECIMALS = 10;

/** How far outside its street a stored outline may reach and still be inside: 1 mm. */
export const CONTAINMENT_TOLERANCE_M = 0.001;

/** A geometry on the stored grid: coordinates rounded to STORE_DECIMALS decimals, SRID kept. */
export function stOnGrid(geom: Expression<unknown>): RawBuilder<string> {
  return sql<string>`ST_GeomFromEWKT(ST_AsEWKT(${geom}, ${STORE_DECIMALS}::int))`;
}

/** What of a geometry lies outside its container: area in m², farthest reach in metres (0, 0 when nothing). */
export interface OutsidePart {
  areaM2: number;
  reachM: number;
}

/**
 * What of `geom` lies outside `container`, measured at the overlay gridSize: its geodesic
 * area and how far its farthest vertex is from the container (degrees × 111,320 m: "about",
 * which is all a tolerance of 1 mm needs).
 */
export async function outsidePart(db: Kysely<DB>, geom: Expression<unknown>, container: Expression<unknown>): Promise<OutsidePart> {
  const { rows } = await sql<OutsidePart>`
    WITH c AS (SELECT ${container} AS g),
    o AS (SELECT ST_CollectionExtract(ST_Difference(${geom}, c.g, ${GRID_SIZE}::float8), 3) AS g FROM c)
    SELECT coalesce(ST_Area(o.g::geography), 0)::float8 AS "areaM2",
           coalesce((SELECT max(ST_Distance(d.geom, c.g)) FROM ST_DumpPoints(o.g) d), 0)::float8 * 111320 AS "reachM"
    FROM o, c`.execute(db);
  return rows[0] ?? { areaM2: 0, reachM: 0 };
}

/** Whether an outside part is only the precision model's noise (nothing farther than the tolerance). */
export const isNegligibleOutside = (part: OutsidePart) => part.reachM <= CONTAINMENT_TOLERANCE_M;
