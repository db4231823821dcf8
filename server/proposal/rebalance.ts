/**
 * 调整: start from today's grids and change only the ones out of the band, with as few
 * neighbours as needed (issue 19). Pure.
 *
 * Gaps (units no grid covers) join an adjacent grid, one that changes anyway first. Each
 * out-of-band grid, worst first, is then fixed by the cheapest step that works:
 *   1. border moves between it and one neighbour (neighbours already changed first);
 *   2. repartition it with one neighbour;
 *   3. repartition it with its neighbours ring by ring until the set can be divided in band.
 * Grids no step touched stay unit for unit as they are (unchanged, keeping their code).
 */
import { improvePlan, undoMoves, violation } from './local-moves.ts';
import { addNode, createState, emptyRegion, regionNodes, removeNode, type PlanState } from './plan-state.ts';
import { solveConnected, solveFresh, type SolveContext } from './solve-fresh.ts';
import type { UnitGraph } from './unit-graph.ts';
import { componentsOf, sumOf } from './work-graph.ts';

export interface RebalanceResult {
  /** Node lists per region (empty pieces without any grid are left out for the caller). */
  regions: number[][];
  unchanged: boolean[];
  /** Today's code for unchanged regions, null otherwise. */
  keeps: (string | null)[];
  /** Nodes no grid covers and no grid touches, without households. */
  orphans: number[][];
}

export function solveRebalance(ctx: SolveContext, graph: UnitGraph, pieces: number[][]): RebalanceResult {
  const { g, bounds } = ctx;
  const nodes = pieces.flat();
  const nodeCode = (v: number) => graph.units[g.members[v]![0]!]!.current;
  const codes = [...new Set(nodes.map(nodeCode).filter((c): c is string => c != null))].sort();
  const regionOfCode = new Map(codes.map((c, i) => [c, i]));
  const parts: number[][] = codes.map(() => []);
  const gaps: number[] = [];
  for (const v of nodes) {
    const code = nodeCode(v);
    if (code == null) gaps.push(v);
    else parts[regionOfCode.get(code)!]!.push(v);
  }
  const state = createState(g, parts);
  const changed = codes.map(() => false);
  const outOfBand = (r: number) => violation(state.regions[r]!.households, bounds.min, bounds.max) > 0;

  fillGaps(state, gaps, changed, outOfBand);
  const orphans: number[][] = [];
  const stranded = gaps.filter((v) => state.assign[v]! < 0);
  for (const piece of componentsOf(g, stranded)) {
    if (sumOf(g.households, piece) === 0) {
      orphans.push(piece);
      continue;
    }
    for (const part of solveFresh(ctx, piece)) {
      const r = state.regions.length;
      state.regions.push(emptyRegion());
      changed.push(true);
      for (const v of part) addNode(state, v, r);
    }
  }

  const worstFirst = state.regions
    .map((_, r) => r)
    .filter(outOfBand)
    .sort(
      (p, q) =>
        violation(state.regions[q]!.households, bounds.min, bounds.max) -
          violation(state.regions[p]!.households, bounds.min, bounds.max) || p - q,
    );
  for (const r of worstFirst) {
    if (!outOfBand(r)) continue;
    fixGrid(ctx, state, r, changed);
  }
  // Polish only among the grids that change anyway.
  improvePlan(state, {
    lo: bounds.min,
    hi: bounds.max,
    weights: ctx.weights,
    movable: (r) => changed[r]!,
    rand: ctx.rand,
    passes: ctx.passes,
  });
  const all = regionNodes(state);
  const keep = all.map((p) => p.length > 0);
  return {
    regions: all.filter((_, r) => keep[r]),
    unchanged: changed.filter((_, r) => keep[r]).map((c) => !c),
    keeps: all.map((_, r) => (r < codes.length && !changed[r] ? codes[r]! : null)).filter((_, r) => keep[r]),
    orphans,
  };
}

function fillGaps(state: PlanState, gaps: number[], changed: boolean[], outOfBand: (r: number) => boolean) {
  const g = state.g;
  let progress = true;
  while (progress) {
    progress = false;
    for (const v of gaps) {
      if (state.assign[v]! >= 0) continue;
      let best = -1;
      let bestKey: [number, number] = [0, 0];
      const shared = new Map<number, number>();
      for (const e of g.adj[v]!) {
        const r = state.assign[e.to]!;
        if (r >= 0) shared.set(r, (shared.get(r) ?? 0) + e.lengthM);
      }
      for (const [r, len] of shared) {
        const key: [number, number] = [changed[r] || outOfBand(r) ? 1 : 0, len];
        if (
          best < 0 ||
          key[0] > bestKey[0] ||
          (key[0] === bestKey[0] && (key[1] > bestKey[1] || (key[1] === bestKey[1] && r < best)))
        ) {
          best = r;
          bestKey = key;
        }
      }
      if (best < 0) continue;
      addNode(state, v, best);
      changed[best] = true;
      progress = true;
    }
  }
}

/** Regions adjacent to any region in `set`, not in it: already changed ones first, then by shared boundary. */
function neighbours(state: PlanState, set: Set<number>, changed: boolean[]): number[] {
  const shared = new Map<number, number>();
  const g = state.g;
  for (let v = 0; v < g.n; v++) {
    if (!set.has(state.assign[v]!)) continue;
    for (const e of g.adj[v]!) {
      const r = state.assign[e.to]!;
      if (r >= 0 && !set.has(r)) shared.set(r, (shared.get(r) ?? 0) + e.lengthM);
    }
  }
  return [...shared]
    .sort((p, q) => Number(changed[q[0]]) - Number(changed[p[0]]) || q[1] - p[1] || p[0] - q[0])
    .map(([r]) => r);
}

function fixGrid(ctx: SolveContext, state: PlanState, r: number, changed: boolean[]): void {
  const { bounds } = ctx;
  const inBand = (x: number) => violation(state.regions[x]!.households, bounds.min, bounds.max) === 0;
  const first = neighbours(state, new Set([r]), changed);
  for (const n of first) {
    const nWasIn = inBand(n);
    const moves = improvePlan(state, {
      lo: bounds.min,
      hi: bounds.max,
      weights: ctx.weights,
      movable: (x) => x === r || x === n,
      rand: ctx.rand,
      passes: 4 * ctx.passes,
    });
    if (inBand(r) && (inBand(n) || !nWasIn)) {
      if (moves.length > 0) changed[r] = changed[n] = true;
      return;
    }
    undoMoves(state, moves);
  }
  for (const n of first) if (repartition(ctx, state, [r, n], changed)) return;
  const set = new Set([r]);
  for (;;) {
    const ring = neighbours(state, set, changed);
    if (ring.length === 0) return;
    for (const x of ring) set.add(x);
    if (repartition(ctx, state, [...set], changed)) return;
  }
}

/** Divide the union of `regions` anew; keep it only if every part is in band. */
function repartition(ctx: SolveContext, state: PlanState, regions: number[], changed: boolean[]): boolean {
  const { g, bounds } = ctx;
  const set = new Set(regions);
  const nodes: number[] = [];
  for (let v = 0; v < g.n; v++) if (set.has(state.assign[v]!)) nodes.push(v);
  if (componentsOf(g, nodes).length !== 1) return false;
  const parts = solveConnected(ctx, nodes);
  if (parts.some((p) => violation(sumOf(g.households, p), bounds.min, bounds.max) > 0)) return false;
  for (const v of nodes) removeNode(state, v);
  const slots = [...regions].sort((p, q) => p - q);
  parts.forEach((part, i) => {
    let slot = slots[i];
    if (slot === undefined) {
      slot = state.regions.length;
      state.regions.push(emptyRegion());
      changed.push(true);
    }
    for (const v of part) addNode(state, v, slot);
  });
  for (const x of regions) changed[x] = true;
  return true;
}
