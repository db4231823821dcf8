/**
 * The k nearest points by geodesic distance (WGS84), optionally only those a filter accepts.
 * Same scheme as nearest-geodesic.ts (trap 3: degrees are not distances): the KD-tree only
 * proposes the points inside a box that surely holds a geodesic circle of the current radius;
 * GeographicLib ranks them; the radius doubles until the k-th best lies within it, so no
 * point outside the box could be nearer. Ties go to the lower index.
 *
 *   kNearestGeodesic(nearestIndex([[116.7, 39.5], [116.71, 39.5]]), [116.701, 39.5], 1)
 *   // → [{ index: 0, distanceM: 86.0… }]
 */
import { degreeBox, geodesicDistanceM, type LonLat } from './geodesic.ts';
import type { NearestIndex } from './nearest-geodesic.ts';

export interface Neighbour {
  index: number;
  distanceM: number;
}

const byDistance = (a: Neighbour, b: Neighbour) => a.distanceM - b.distanceM || a.index - b.index;

export function kNearestGeodesic(
  index: NearestIndex,
  p: LonLat,
  k: number,
  accept: (i: number) => boolean = () => true,
  startM = 500,
): Neighbour[] {
  if (index.points.length === 0 || k <= 0) return [];
  const seen = new Map<number, number>();
  for (let radius = startM; ; radius *= 2) {
    const [x0, y0, x1, y1] = degreeBox(p, radius);
    for (const id of index.tree.range(x0, y0, x1, y1)) {
      if (seen.has(id) || !accept(id)) continue;
      seen.set(id, geodesicDistanceM(p, index.points[id]!));
    }
    const found: Neighbour[] = [];
    for (const [i, d] of seen) found.push({ index: i, distanceM: d });
    found.sort(byDistance);
    const kth = found[k - 1];
    // Everything within `radius` is in the box, so the k found are the k nearest.
    if ((kth && kth.distanceM <= radius) || radius > 4e7) return found.slice(0, k);
  }
}
