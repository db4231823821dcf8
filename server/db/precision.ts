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

/** Decimal places of every stored grid coordinate (1e-10°, the overlay gridSize). */
export const STORE_DECIMALS = 10;

/** How far outside its street a stored outline may reach and still be inside: 1 mm. */
export const CONTAINMENT_TOLERANCE_M = 0.001;

/** What of a geometry lies outside its container: area in m², farthest reach in metres (0, 0 when nothing). */
export interface OutsidePart {
  areaM2: number;
  reachM: number;
}

/** Whether an outside part is only the precision model's noise (nothing farther than the tolerance). */
export const isNegligibleOutside = (part: OutsidePart) => part.reachM <= CONTAINMENT_TOLERANCE_M;
