/**
 * The k nearest points by geodesic distance (WGS84), optionally only those a filter accepts.
 * Same scheme as nearest-geodesic.ts (trap 3: degrees are not distances): the KD-tree only
 * proposes the points inside a box that surely holds a geodesic circle of the current radius,
 * and the radius doubles until the k-th nearest lies within it, so no point outside the box
 * could be nearer. Ties go to the lower index.
 *
 * GeographicLib costs ~4 µs a call, so candidates are first ranked by the local metric
 * (local-metric.ts, relative error < 1e-5 up to 100 km, bounded here by APPROX_ERROR = 1e-3)
 * and only those that could still be among the k nearest get the exact geodesic.
 *
 *   kNearestGeodesic(nearestIndex([[116.7, 39.5], [116.71, 39.5]]), [116.701, 39.5], 1)
 *   // → [{ index: 0, distanceM: 86.0… }]
 */
import { degreeBox, geodesicDistanceM, type LonLat } from './geodesic.ts';
import { localDistanceM } from './local-metric.ts';
import type { NearestIndex } from './nearest-geodesic.ts';

export interface Neighbour {
  index: number;
  distanceM: number;
}

/** Bound on |local − geodesic| / geodesic that the pruning relies on (tests/unit/public-geo.test.ts checks it). */
export const APPROX_ERROR = 1e-3;
/** Past this the local metric is not trusted: every candidate gets the exact geodesic. */
export const APPROX_LIMIT_M = 100_000;
const WHOLE_EARTH_M = 4e7;

const byDistance = (a: Neighbour, b: Neighbour) => a.distanceM - b.distanceM || a.index - b.index;

export function kNearestGeodesic(
  index: NearestIndex,
  p: LonLat,
  k: number,
  accept: (i: number) => boolean = () => true,
  startM = 500,
): Neighbour[] {
  if (index.points.length === 0 || k <= 0) return [];
  const ids: number[] = [];
  const approx: number[] = [];
  for (let radius = startM; ; radius *= 2) {
    const last = radius > WHOLE_EARTH_M;
    const [x0, y0, x1, y1] = degreeBox(p, radius);
    ids.length = 0;
    approx.length = 0;
    // Boxes grow, so each round re-reads the tree rather than remembering the last one.
    for (const id of index.tree.range(x0, y0, x1, y1)) {
      if (!accept(id)) continue;
      const q = index.points[id]!;
      ids.push(id);
      approx.push(localDistanceM(p[0], p[1], q[0], q[1]));
    }
    if (ids.length < k && !last) continue;
    const order = ids.map((_, j) => j).sort((a, b) => approx[a]! - approx[b]! || ids[a]! - ids[b]!);
    const kth = ids.length >= k ? approx[order[k - 1]!]! : Infinity;
    const trusted = kth <= APPROX_LIMIT_M;
    // The true k-th distance is at most kth / (1 − ε): done once the box surely holds it.
    if (trusted && kth / (1 - APPROX_ERROR) > radius && !last) continue;
    const cutoff = trusted ? (kth * (1 + APPROX_ERROR)) / (1 - APPROX_ERROR) : Infinity;
    const exact: Neighbour[] = [];
    for (const j of order) {
      if (approx[j]! > cutoff) break;
      exact.push({ index: ids[j]!, distanceM: geodesicDistanceM(p, index.points[ids[j]!]!) });
    }
    exact.sort(byDistance);
    const found = exact.slice(0, k);
    if (trusted || last || (found.length === k && found[k - 1]!.distanceM <= radius)) return found;
  }
}
