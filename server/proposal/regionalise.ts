/**
 * Group a community's units into contiguous grids within the household band (ADR 0020).
 * Pure and deterministic for a given graph and seed.
 *
 * Steps: glue compounds that fit in one grid into single nodes (work-graph.ts); per connected
 * piece of the graph with households, divide it (solve-fresh.ts, or rebalance.ts from today's
 * grids); a piece without households (an island of park) joins the region whose nearest unit
 * centroid is closest to its own centroid: it touches no region, so no choice is contiguous
 * and the nearest is the least surprising; then name the regions (keeps.ts) and the problems.
 */
import { glueCompounds } from './glue-compounds.ts';
import { planProblems } from './plan-problems.ts';
import { mulberry32 } from './prng.ts';
import { solveRebalance } from './rebalance.ts';
import { solveFresh, type SolveContext } from './solve-fresh.ts';
import { assignKeeps } from './keeps.ts';
import type { Region, RegionPlan, RegionaliseOptions, UnitGraph } from './unit-graph.ts';
import { componentsOf, sumOf, type WorkGraph } from './work-graph.ts';

/** Spanning trees per cut: 8 found the zero-cost road cut in every hand-made case; more cost time, not quality. */
const TREES = 8;
const PASSES = 12;
const RESTARTS = 1;
const CUT_COMPACT = 20;

function medianEdgeLength(g: WorkGraph): number {
  const lengths: number[] = [];
  for (const list of g.adj) for (const e of list) lengths.push(e.lengthM);
  if (lengths.length === 0) return 1;
  lengths.sort((p, q) => p - q);
  return Math.max(1, lengths[lengths.length >> 1]!);
}

/**
 * fresh: ignore today's grids. rebalance: keep every in-band grid unit for unit (unchanged)
 * and change only the out-of-band ones and as few neighbours as needed. Regions keep the
 * code of the today's grid they mostly continue. Where the band cannot be met, the plan that
 * breaks it least, with a problem naming the regions and why.
 *
 * @example
 * // two 400-household blocks either side of a road → two grids split along the road
 * regionalise(graph, { bounds: { min: 300, max: 500 }, mode: 'fresh', seed: 1 });
 * // → { regions: [{ units: [0, 1, …], households: 400, keeps: null, unchanged: false }, …], problems: [] }
 */
export function regionalise(graph: UnitGraph, options: RegionaliseOptions): RegionPlan {
  const g = glueCompounds(graph, options.bounds, options.mode);
  const scale = medianEdgeLength(g);
  const ctx: SolveContext = {
    g,
    bounds: options.bounds,
    rand: mulberry32(options.seed),
    weights: { road: 10 * scale, compact: 60 * scale },
    trees: TREES,
    balanceWeight: 4 * scale,
    cutCompactWeight: CUT_COMPACT * scale,
    passes: PASSES,
    restarts: RESTARTS,
  };
  const all = Array.from({ length: g.n }, (_, i) => i);
  const pieces = componentsOf(g, all);
  const inhabited = pieces.filter((p) => sumOf(g.households, p) > 0);
  const empty = pieces.filter((p) => sumOf(g.households, p) === 0);
  // Nothing lives here at all: the largest piece is the one region the rest joins.
  if (inhabited.length === 0 && empty.length > 0) {
    empty.sort((p, q) => q.length - p.length || p[0]! - q[0]!);
    inhabited.push(empty.shift()!);
  }
  let nodeRegions: number[][];
  let unchanged: boolean[];
  let fixedKeeps: (string | null)[];
  if (options.mode === 'rebalance') {
    // Today's grids may own uninhabited pieces too: only pieces no grid covers are orphans.
    const result = solveRebalance(ctx, graph, [...inhabited, ...empty]);
    ({ regions: nodeRegions, unchanged, keeps: fixedKeeps } = result);
    empty.splice(0, empty.length, ...result.orphans);
  } else {
    nodeRegions = inhabited.flatMap((p) => solveFresh(ctx, p));
    unchanged = nodeRegions.map(() => false);
    fixedKeeps = nodeRegions.map(() => null);
  }
  for (const piece of empty) attachToNearest(g, piece, nodeRegions, unchanged);

  const unitRegions = nodeRegions.map((nodes) => nodes.flatMap((v) => g.members[v]!).sort((p, q) => p - q));
  const taken = new Set(fixedKeeps.filter((k): k is string => k != null));
  const open = unitRegions.map((_, i) => !unchanged[i]);
  const greedy = assignKeeps(
    graph.units,
    unitRegions.map((ids, i) => (open[i] ? ids : [])),
    taken,
  );
  const regions: Region[] = unitRegions.map((ids, i) => ({
    units: ids,
    households: ids.reduce((s, id) => s + graph.units[id]!.households, 0),
    keeps: unchanged[i] ? fixedKeeps[i]! : greedy[i]!,
    unchanged: unchanged[i]!,
  }));
  const order = regions.map((_, i) => i).sort((p, q) => regions[p]!.units[0]! - regions[q]!.units[0]!);
  const sorted = order.map((i) => regions[i]!);
  return { regions: sorted, problems: planProblems(graph, sorted, options.bounds) };
}

function attachToNearest(g: WorkGraph, piece: number[], regions: number[][], unchanged: boolean[]): void {
  let ax = 0;
  let ay = 0;
  let aw = 0;
  for (const v of piece) {
    const w = g.area[v]! > 0 ? g.area[v]! : 1e-9;
    ax += g.x[v]! * w;
    ay += g.y[v]! * w;
    aw += w;
  }
  ax /= aw;
  ay /= aw;
  let best = -1;
  let bestD = Infinity;
  regions.forEach((nodes, r) => {
    for (const v of nodes) {
      const d = (g.x[v]! - ax) ** 2 + (g.y[v]! - ay) ** 2;
      if (d < bestD) [best, bestD] = [r, d];
    }
  });
  regions[best]!.push(...piece);
  regions[best]!.sort((p, q) => p - q);
  unchanged[best] = false;
}
