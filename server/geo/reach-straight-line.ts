/**
 * Straight-line reach: for each source, the targets within `reachM` metres of geodesic
 * (WGS84) distance. Targets sit in a KD-tree; each source asks it for a degree box that
 * safely holds its geodesic circle, a local ellipsoidal approximation settles the clear
 * cases, and GeographicLib decides every pair within the approximation's error band, so
 * the answer equals a brute-force geodesic scan exactly.
 *
 *   reachStraightLine([[116.7, 39.5]], [[116.701, 39.5], [116.72, 39.5]], 240)  // → [Int32Array [0]]
 */
import KDBush from 'kdbush';
import { degreeBox, geodesicDistanceM, metresPerDegree, type LonLat } from './geodesic.ts';

/** reach[s] = sorted indices into the targets within reach of source s. */
export type ReachLists = Int32Array[];

/**
 * Relative error band of the local approximation. Its true error below 50 km is under 1e-5
 * (second order in distance / earth radius); pairs inside the band go to GeographicLib.
 */
const BAND = 1e-3;

export function reachStraightLine(sources: LonLat[], targets: LonLat[], reachM: number): ReachLists {
  if (!(reachM > 0) || targets.length === 0) return sources.map(() => new Int32Array(0));
  const index = new KDBush(targets.length);
  for (const [lon, lat] of targets) index.add(lon, lat);
  index.finish();
  const lo = (reachM * (1 - BAND)) ** 2;
  const hi = (reachM * (1 + BAND)) ** 2;
  return sources.map((source) => {
    const [x0, y0, x1, y1] = degreeBox(source, reachM);
    const found = index.range(x0, y0, x1, y1);
    const out: number[] = [];
    for (const id of found) {
      const target = targets[id]!;
      const scale = metresPerDegree((source[1] + target[1]) / 2);
      const dx = (target[0] - source[0]) * scale.lon;
      const dy = (target[1] - source[1]) * scale.lat;
      const d2 = dx * dx + dy * dy;
      if (d2 <= lo || (d2 <= hi && geodesicDistanceM(source, target) <= reachM)) out.push(id);
    }
    return Int32Array.from(out).sort();
  });
}

/** How many sources reach each target (0 = unreached). */
export function reachCounts(reach: ReachLists, targets: number): Int32Array {
  const counts = new Int32Array(targets);
  for (const list of reach) for (const t of list) counts[t]!++;
  return counts;
}
