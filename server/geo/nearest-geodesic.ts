/**
 * Nearest point by geodesic distance (WGS84), from a KD-tree over lon/lat. Degrees are not
 * distances (DESIGN.md trap 3): the tree only proposes the points inside a box that surely
 * holds a geodesic circle; GeographicLib ranks them. The box doubles until the best found
 * lies within its circle, so nothing outside could be nearer.
 */
import KDBush from 'kdbush';
import { degreeBox, geodesicDistanceM, type LonLat } from './geodesic.ts';

export interface NearestIndex {
  points: LonLat[];
  tree: KDBush;
}

export function nearestIndex(points: LonLat[]): NearestIndex {
  const tree = new KDBush(Math.max(1, points.length));
  for (const [lon, lat] of points) tree.add(lon, lat);
  if (points.length === 0) tree.add(0, 0); // KDBush needs its declared count; never returned
  tree.finish();
  return { points, tree };
}

/** The index and distance of the geodesically nearest point (ties: lower index), or null when empty. */
export function nearestGeodesic(
  index: NearestIndex,
  p: LonLat,
  startM = 250,
): { index: number; distanceM: number } | null {
  if (index.points.length === 0) return null;
  for (let radius = startM; ; radius *= 2) {
    const [x0, y0, x1, y1] = degreeBox(p, radius);
    let best = -1;
    let bestD = Infinity;
    for (const id of index.tree.range(x0, y0, x1, y1)) {
      const d = geodesicDistanceM(p, index.points[id]!);
      if (d < bestD || (d === bestD && id < best)) [best, bestD] = [id, d];
    }
    if (best >= 0 && bestD <= radius) return { index: best, distanceM: bestD };
    if (radius > 2e7) return best >= 0 ? { index: best, distanceM: bestD } : null;
  }
}
