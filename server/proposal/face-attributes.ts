/**
 * What each face of a proposal's area holds (pure; ADR 0020): the buildings whose point on
 * surface lies in it (the lowest face id where the point is on a shared edge), the polygon
 * buildings it is part of, today's non-commercial grid and the compound holding its point on
 * surface (lowest code), its area and its centroid. All point-in-polygon questions, asked
 * here against flatbush indexes (server/geo/locate-in-rings.ts) rather than per face in SQL.
 *
 * Area is by the local metric at each face (degrees scaled by the ellipsoid's radii of
 * curvature at the face's mean latitude): for faces of tens to hundreds of metres it agrees
 * with PostGIS's geodesic ST_Area to about 1e-9. The centroid is the planar one in degrees,
 * as ST_Centroid gives.
 */
import { metresPerDegree } from '../geo/local-metric.ts';
import { locateInRings, ringIndex, ringsHolding } from '../geo/locate-in-rings.ts';
import type { FlatRing, RingSet } from '../geo/match-edges.ts';
import { ringSetFromWkb, ringSetsFromWkb } from '../geo/read-wkb.ts';

export interface FaceGeometry {
  wkb: Uint8Array;
  /** Point on surface. */
  x: number;
  y: number;
}

export interface BuildingPoint {
  id: number;
  households: number;
  /** Point on surface. */
  x: number;
  y: number;
  /** The outline of a polygon building, else null. */
  wkb: Uint8Array | null;
}

export interface FaceAttributes {
  areaM2: number;
  /** Planar centroid. */
  lon: number;
  lat: number;
  /** Today's non-commercial grid holding the face's point on surface (lowest code), or null. */
  current: string | null;
  /** The compound holding it (lowest code), or null. */
  compound: string | null;
  /** Households and buildings whose point on surface lies in the face. */
  households: number;
  buildings: number;
  /** Polygon buildings whose inside meets the face's inside (ids ascending). */
  spans: number[];
}

/**
 * Area (m², local metric) and planar centroid of rings (shells count, holes subtract), taken
 * about the first vertex. The metric is taken at the centroid's latitude, where the first-order
 * change of the scale across the face integrates to zero (at the vertices' mean latitude a
 * 300 m face was off by 1.5e-6).
 */
export function areaAndCentroid(rings: readonly FlatRing[]): { areaM2: number; lon: number; lat: number } {
  const x0 = rings[0]?.[0] ?? 0;
  const y0 = rings[0]?.[1] ?? 0;
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (const ring of rings) {
    for (let i = 0; i + 3 < ring.length; i += 2) {
      const ax = ring[i]! - x0;
      const ay = ring[i + 1]! - y0;
      const bx = ring[i + 2]! - x0;
      const by = ring[i + 3]! - y0;
      const cross = ax * by - bx * ay;
      a2 += cross;
      cx += (ax + bx) * cross;
      cy += (ay + by) * cross;
    }
  }
  // Shells and holes turn opposite ways, so the signed sums subtract holes whatever the winding.
  if (a2 === 0) return { areaM2: 0, lon: x0, lat: y0 };
  const lat = y0 + cy / (3 * a2);
  const [mx, my] = metresPerDegree(lat);
  return { areaM2: (Math.abs(a2) / 2) * mx * my, lon: x0 + cx / (3 * a2), lat };
}

/** Is vertex i of a flat ring before vertex j (by lon, then lat)? */
const before = (ring: Float64Array, i: number, j: number) =>
  ring[i]! < ring[j]! || (ring[i] === ring[j] && ring[i + 1]! < ring[j + 1]!);

/**
 * Start every ring at its least vertex (by lon, then lat) and put the holes in the order of
 * theirs. GEOS may start a face's ring anywhere and list holes in any order, depending on the
 * order the rows reached it (a reloaded table); sums over the vertices (areas, perimeters,
 * lengths) would then differ in the last bits, and the planner's ties with them. Rotated in
 * place: the rings are views into one buffer.
 */
export function canonicalRings(set: RingSet): void {
  for (const ring of set.rings as Float64Array[]) {
    const n = ring.length / 2 - 1; // distinct vertices (the last repeats the first)
    let least = 0;
    for (let i = 1; i < n; i++) if (before(ring, 2 * i, 2 * least)) least = i;
    if (least === 0) continue;
    const copy = ring.slice(0, 2 * n);
    for (let i = 0; i < n; i++) {
      ring[2 * i] = copy[2 * ((i + least) % n)]!;
      ring[2 * i + 1] = copy[2 * ((i + least) % n) + 1]!;
    }
    ring[2 * n] = ring[0]!;
    ring[2 * n + 1] = ring[1]!;
  }
  if (set.rings.length > 2) {
    const holes = (set.rings.slice(1) as Float64Array[]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    set.rings.splice(1, holes.length, ...holes);
  }
}

export function faceAttributes(
  faces: readonly FaceGeometry[],
  /** Buildings sorted by id. */
  buildings: readonly BuildingPoint[],
  /** Today's non-commercial grids, sorted by code. */
  grids: readonly { code: string; wkb: Uint8Array }[],
  /** Compounds, sorted by code. */
  compounds: readonly { code: string; wkb: Uint8Array }[],
): { attributes: FaceAttributes[]; rings: FlatRing[][] } {
  const faceSets: RingSet[] = ringSetsFromWkb(faces.map((f) => ({ owner: '', wkb: f.wkb })));
  for (const set of faceSets) canonicalRings(set);
  const attributes: FaceAttributes[] = faceSets.map((set) => ({
    ...areaAndCentroid(set.rings),
    current: null,
    compound: null,
    households: 0,
    buildings: 0,
    spans: [],
  }));

  const faceIndex = ringIndex(faceSets);
  for (const b of buildings) {
    const f = locateInRings(faceIndex, b.x, b.y);
    if (f < 0) continue;
    attributes[f]!.households += b.households;
    attributes[f]!.buildings += 1;
  }

  const gridIndex = ringIndex(grids.map((g) => ringSetFromWkb(g.code, g.wkb)));
  const compoundIndex = ringIndex(compounds.map((c) => ringSetFromWkb(c.code, c.wkb)));
  const polygons = buildings.filter((b) => b.wkb !== null);
  const polygonIndex = ringIndex(polygons.map((b) => ringSetFromWkb(String(b.id), b.wkb!)));
  faces.forEach((face, i) => {
    const a = attributes[i]!;
    const g = locateInRings(gridIndex, face.x, face.y);
    a.current = g < 0 ? null : grids[g]!.code;
    const c = locateInRings(compoundIndex, face.x, face.y);
    a.compound = c < 0 ? null : compounds[c]!.code;
    // Polygons are in id order, so ascending indexes give ascending ids.
    a.spans = ringsHolding(polygonIndex, face.x, face.y).map((k) => polygons[k]!.id);
  });
  return { attributes, rings: faceSets.map((s) => s.rings) };
}
