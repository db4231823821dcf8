/**
 * Walking reach over the road network (station reach, issue 5).
 *
 * Distance from a source to a target = access leg of the source + shortest path along the
 * roads + access leg of the target, with the edges split at the snap points (two points on
 * the same edge are measured along it). Access legs are straight walks to the nearest edge
 * and capped at graph.accessCapM (100 m): a point farther from every road is off the network.
 * A direct straight walk of up to the cap (and up to reachM) also counts, whatever the roads
 * say: across a courtyard or a square you need no road, and it is the only way to reach
 * an off-network point or to leave one.
 *
 * Lengths: local ellipsoidal metric for pieces under 5 km, geodesic above (local-metric.ts).
 */
import KDBush from 'kdbush';
import { buildRoadGraph, DEFAULT_ACCESS_CAP_M, snapToRoad, type RoadGraph, type Snap } from './road-graph.ts';
import { localDistanceM, metresPerDegree } from './local-metric.ts';
import { BoundedSearch } from './road-search.ts';

export { buildRoadGraph, snapToRoad, DEFAULT_ACCESS_CAP_M, type RoadGraph, type Snap };

/**
 * Distances are compared with a 1 cm tolerance: coordinates are stored to 7 decimals
 * (≈ 1 cm), so a walk of exactly 240 m is reached at reachM 240 after a round trip
 * through the database.
 */
export const TOLERANCE_M = 0.01;

/** reach[s] = ascending indices into targets within reach of source s. */
export type ReachLists = Int32Array[];

export interface Disc {
  lon: number;
  lat: number;
  radiusM: number;
}

/** Degrees of a box around (lon, lat) holding every point within `metres` (with a margin). */
function boxAround(lat: number, metres: number): [number, number] {
  const [, my] = metresPerDegree(lat);
  const dLat = (metres * 1.01 + 1) / my;
  const farLat = Math.min(89.9, Math.abs(lat) + dLat);
  const [mx] = metresPerDegree(farLat);
  return [(metres * 1.01 + 1) / mx, dLat];
}

/**
 * For each source, the targets within `reachM` metres of walking (see the header). One
 * bounded search per source: it only visits the roads within reachM of it.
 */
export function reachOverNetwork(
  graph: RoadGraph,
  sources: [number, number][],
  targets: [number, number][],
  reachM: number,
): ReachLists {
  const out: ReachLists = [];
  if (targets.length === 0) return sources.map(() => new Int32Array(0));
  const index = new KDBush(targets.length);
  for (const [lon, lat] of targets) index.add(lon, lat);
  index.finish();
  // Targets are snapped lazily: only those near some source are ever looked at.
  const snapped: (Snap | null | undefined)[] = new Array(targets.length);
  const search = new BoundedSearch(graph);
  const direct = Math.min(graph.accessCapM, reachM);
  for (const [lon, lat] of sources) {
    const source = snapToRoad(graph, lon, lat);
    if (source) {
      search.seedSnap(source, reachM + TOLERANCE_M);
      search.run(reachM + TOLERANCE_M);
    }
    const [dLon, dLat] = boxAround(lat, reachM);
    const reached: number[] = [];
    for (const j of index.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
      const [tlon, tlat] = targets[j]!;
      if (localDistanceM(lon, lat, tlon, tlat) <= direct + TOLERANCE_M) {
        reached.push(j);
        continue;
      }
      if (!source) continue;
      let target = snapped[j];
      if (target === undefined) target = snapped[j] = snapToRoad(graph, tlon, tlat);
      if (target && search.distanceTo(target, source) <= reachM + TOLERANCE_M) reached.push(j);
    }
    search.reset();
    out.push(Int32Array.from(reached).sort());
  }
  return out;
}

export interface DiscOptions {
  /** Spacing of the discs along a reached road, metres (default 25). */
  spacingM?: number;
}

/**
 * The area reached from any of the sources, as discs whose union approximates the
 * isochrone: a point is reached when it is within a straight walk (≤ the access cap) of a
 * road point with budget left, so each reached road point p with remaining budget r(p)
 * stands for a disc of radius min(r(p), accessCapM). The union is an outer approximation of
 * what reachOverNetwork reaches (it contains every reached target; a point may also be in
 * it by a slanted walk to a road point that is not its nearest one). Discs sit on every reached node, on
 * each source and its snap point, and every `spacingM` along reached edges (only where not
 * already inside a neighbouring disc). Between two discs of radius R the union dips by
 * about spacing²/(8R): 0.8 m at 25 m spacing and R = 100 m. One multi-source search: the
 * union only needs the largest budget left at each point.
 */
export function reachedDiscs(
  graph: RoadGraph,
  sources: [number, number][],
  reachM: number,
  options: DiscOptions = {},
): Disc[] {
  const spacing = options.spacingM ?? 25;
  const cap = graph.accessCapM;
  const discs: Disc[] = [];
  const search = new BoundedSearch(graph);
  /** Per edge, the sources snapped on it: position along it (m) and budget left there. */
  const onEdge = new Map<number, { x: number; r: number }[]>();
  for (const [lon, lat] of sources) {
    if (reachM > 0) discs.push({ lon, lat, radiusM: Math.min(reachM, cap) });
    const snap = snapToRoad(graph, lon, lat);
    if (!snap || snap.accessM >= reachM) continue;
    search.seedSnap(snap, reachM);
    const list = onEdge.get(snap.edge) ?? [];
    list.push({ x: snap.t * graph.edgeLen[snap.edge]!, r: reachM - snap.accessM });
    onEdge.set(snap.edge, list);
  }
  search.run(reachM);
  const { nodeLon, nodeLat, edgeA, edgeB, edgeLen, adjStart, adjEdge } = graph;
  const budget = (n: number) => reachM - search.dist[n]!;
  const edges = new Set<number>(onEdge.keys());
  for (const n of search.touched) {
    const r = budget(n);
    if (r > 0) discs.push({ lon: nodeLon[n]!, lat: nodeLat[n]!, radiusM: Math.min(r, cap) });
    for (let k = adjStart[n]!; k < adjStart[n + 1]!; k++) edges.add(adjEdge[k]!);
  }
  for (const e of edges) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    const len = edgeLen[e]!;
    const here = onEdge.get(e) ?? [];
    const left = (x: number) => {
      let r = Math.max(budget(a) - x, budget(b) - (len - x));
      for (const s of here) r = Math.max(r, s.r - Math.abs(x - s.x));
      return r;
    };
    const at = (x: number, r: number): Disc => {
      const f = len === 0 ? 0 : x / len;
      return {
        lon: nodeLon[a]! + f * (nodeLon[b]! - nodeLon[a]!),
        lat: nodeLat[a]! + f * (nodeLat[b]! - nodeLat[a]!),
        radiusM: Math.min(r, cap),
      };
    };
    for (const s of here) if (s.r > 0) discs.push(at(s.x, s.r));
    const steps = Math.ceil(len / spacing);
    const step = len / steps;
    const radius = (k: number) => Math.min(left(k * step), cap);
    for (let k = 1; k < steps; k++) {
      const r = radius(k);
      if (r <= 0) continue;
      // Inside the disc before or after it: adds nothing to the union.
      if (step + r <= radius(k - 1) || step + r <= radius(k + 1)) continue;
      discs.push(at(k * step, left(k * step)));
    }
  }
  return discs;
}
