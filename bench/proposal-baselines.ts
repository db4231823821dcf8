/**
 * The two baselines the grid proposal (issue 19) is measured against in `npm run bench`, on
 * the same UnitGraph and through the same planMetrics as regionalise. Pure.
 *
 * - kmeansBaseline: `@turf/turf` clustersKmeans on the unit centroids with k = ⌈H / 400⌉.
 *   Turf's k-means takes no weights, so a unit's centroid is repeated once per 20 households
 *   (at least once): a unit of 120 households pulls like six points. The points are shuffled
 *   (seeded) with one copy of every unit first, because turf starts from the first k points
 *   as centroids. A unit's copies share one position, so they land in one cluster; a cluster
 *   is one region, contiguous or not (nonContiguousRegions counts the ones that are not).
 * - greedyBaseline: plain region growing with a floor only, what max-p's construction phase
 *   does: from a seed unit (seeded random order), add neighbouring unassigned units
 *   breadth-first until the region holds ≥ min households, then start the next region;
 *   regions that run out of neighbours below the floor are dissolved, and their units
 *   (leftovers) join the adjacent region with the fewest households. No ceiling, no roads,
 *   no compounds.
 */
import * as turf from '@turf/turf';
import type { Bounds, Region, RegionPlan, UnitGraph } from '../server/proposal/unit-graph.ts';
import { mulberry32, shuffle } from '../server/proposal/prng.ts';

/** Households a repeated k-means point stands for. */
export const KMEANS_POINT_HOUSEHOLDS = 20;
/** The k: one cluster per 400 households. */
export const KMEANS_HOUSEHOLDS_PER_GRID = 400;

/** Neighbour lists of the graph's units, ascending. */
export function adjacency(graph: UnitGraph): number[][] {
  const out = graph.units.map(() => [] as number[]);
  for (const e of graph.edges) {
    out[e.a]!.push(e.b);
    out[e.b]!.push(e.a);
  }
  return out.map((list) => [...new Set(list)].sort((p, q) => p - q));
}

/** Regions from a unit → group labelling (labels ≥ 0), in order of their lowest unit. */
function regionsOf(graph: UnitGraph, label: readonly number[]): Region[] {
  const groups = new Map<number, number[]>();
  graph.units.forEach((u) => {
    const l = label[u.id]!;
    groups.set(l, [...(groups.get(l) ?? []), u.id]);
  });
  return [...groups.values()]
    .map((units) => units.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!)
    .map((units) => ({
      units,
      households: units.reduce((s, id) => s + graph.units[id]!.households, 0),
      keeps: null,
      unchanged: false,
    }));
}

/** k-means on household-weighted unit centroids (turf clustersKmeans), k = ⌈H / 400⌉. */
export function kmeansBaseline(graph: UnitGraph, seed: number): RegionPlan {
  if (graph.units.length === 0) return { regions: [], problems: [] };
  const households = graph.units.reduce((s, u) => s + u.households, 0);
  const next = mulberry32(seed);
  const first = shuffle(
    graph.units.map((u) => u.id),
    next,
  );
  const repeats = shuffle(
    graph.units.flatMap((u) =>
      Array.from({ length: Math.max(0, Math.round(u.households / KMEANS_POINT_HOUSEHOLDS) - 1) }, () => u.id),
    ),
    next,
  );
  const ids = [...first, ...repeats];
  const k = Math.min(graph.units.length, Math.max(1, Math.ceil(households / KMEANS_HOUSEHOLDS_PER_GRID)));
  const points = turf.featureCollection(ids.map((id) => turf.point([graph.units[id]!.x, graph.units[id]!.y], { id })));
  const clustered = turf.clustersKmeans(points, { numberOfClusters: k, mutate: true });
  const label = new Array<number>(graph.units.length).fill(-1);
  // The first copy of each unit decides (all its copies share the position, so the cluster).
  for (const f of clustered.features) {
    const id = f.properties.id;
    if (label[id] === -1) label[id] = f.properties.cluster!;
  }
  return { regions: regionsOf(graph, label), problems: [] };
}

/** Region growing to a floor only (max-p's construction), leftovers to the smallest adjacent region. */
export function greedyBaseline(graph: UnitGraph, bounds: Pick<Bounds, 'min'>, seed: number): RegionPlan {
  const n = graph.units.length;
  if (n === 0) return { regions: [], problems: [] };
  const next = mulberry32(seed);
  const neighbours = adjacency(graph).map((list) => shuffle([...list], next));
  const label = new Array<number>(n).fill(-1);
  const regionHouseholds: number[] = [];
  for (const start of shuffle(
    graph.units.map((u) => u.id),
    next,
  )) {
    if (label[start] !== -1) continue;
    const id = regionHouseholds.length;
    const members = [start];
    label[start] = id;
    let sum = graph.units[start]!.households;
    for (let k = 0; k < members.length && sum < bounds.min; k++) {
      for (const m of neighbours[members[k]!]!) {
        if (sum >= bounds.min) break;
        if (label[m] !== -1) continue;
        label[m] = id;
        members.push(m);
        sum += graph.units[m]!.households;
      }
    }
    if (sum >= bounds.min) regionHouseholds.push(sum);
    else {
      // Ran out of room below the floor: dissolve; these units are leftovers.
      for (const m of members) label[m] = -2;
      regionHouseholds.push(-1);
    }
  }
  // No region at all (a community under the floor, or one of its islands): one region each.
  let leftovers = graph.units.filter((u) => label[u.id] === -2).map((u) => u.id);
  while (leftovers.length > 0) {
    const placed: [number, number][] = [];
    for (const u of leftovers) {
      let best = -1;
      for (const m of neighbours[u]!) {
        const r = label[m]!;
        if (r < 0) continue;
        if (
          best < 0 ||
          regionHouseholds[r]! < regionHouseholds[best]! ||
          (regionHouseholds[r] === regionHouseholds[best] && r < best)
        )
          best = r;
      }
      if (best >= 0) placed.push([u, best]);
    }
    if (placed.length === 0) {
      // Islands with no region: each connected set of leftovers is a region of its own.
      const u = leftovers[0]!;
      const id = regionHouseholds.length;
      regionHouseholds.push(0);
      const queue = [u];
      label[u] = id;
      for (let k = 0; k < queue.length; k++)
        for (const m of neighbours[queue[k]!]!)
          if (label[m] === -2) {
            label[m] = id;
            queue.push(m);
          }
      for (const m of queue) regionHouseholds[id]! += graph.units[m]!.households;
    } else {
      for (const [u, r] of placed) {
        label[u] = r;
        regionHouseholds[r]! += graph.units[u]!.households;
      }
    }
    leftovers = leftovers.filter((u) => label[u] === -2);
  }
  return { regions: regionsOf(graph, label), problems: [] };
}

/** Regions whose units are not connected through the graph's edges. */
export function nonContiguousRegions(graph: UnitGraph, plan: RegionPlan): number {
  const neighbours = adjacency(graph);
  let count = 0;
  for (const region of plan.regions) {
    const inside = new Set(region.units);
    const seen = new Set(region.units.slice(0, 1));
    const queue = region.units.slice(0, 1);
    for (let k = 0; k < queue.length; k++)
      for (const m of neighbours[queue[k]!]!)
        if (inside.has(m) && !seen.has(m)) {
          seen.add(m);
          queue.push(m);
        }
    if (seen.size < inside.size) count++;
  }
  return count;
}
