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
import { solveFresh, solveInBand, type SolveContext } from './solve-fresh.ts';
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
  const frozen = isolateOversize(state, bounds.max, changed);

  // A grid that lies in pieces today stays so only while unchanged: one that changes keeps
  // its main piece, and the other pieces are gaps for its neighbours.
  let open = gaps;
  for (;;) {
    fillGaps(state, open, changed, outOfBand, frozen);
    const detached: number[] = [];
    state.regions.forEach((_, r) => {
      if (changed[r] || outOfBand(r)) detached.push(...strayPieces(state, r));
    });
    if (detached.length === 0) break;
    for (const v of detached) removeNode(state, v);
    for (const v of detached) gaps.push(v);
    open = detached;
  }
  const orphans: number[][] = [];
  const stranded = [...new Set(gaps)].filter((v) => state.assign[v]! < 0);
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
    .filter((r) => outOfBand(r) && !frozen.has(r))
    .sort(
      (p, q) =>
        violation(state.regions[q]!.households, bounds.min, bounds.max) -
          violation(state.regions[p]!.households, bounds.min, bounds.max) || p - q,
    );
  for (const r of worstFirst) {
    if (!outOfBand(r)) continue;
    fixGrid(ctx, state, r, changed, frozen);
  }
  // Polish only among the grids that change anyway.
  improvePlan(state, {
    lo: bounds.min,
    hi: bounds.max,
    weights: ctx.weights,
    movable: (r) => changed[r]! && !frozen.has(r),
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

/** Nodes of region r outside its main piece (most households, then most nodes). */
function strayPieces(state: PlanState, r: number): number[] {
  const nodes: number[] = [];
  for (let v = 0; v < state.g.n; v++) if (state.assign[v] === r) nodes.push(v);
  const pieces = componentsOf(state.g, nodes);
  if (pieces.length <= 1) return [];
  const weight = (p: number[]) => sumOf(state.g.households, p);
  pieces.sort((p, q) => weight(q) - weight(p) || q.length - p.length || p[0]! - q[0]!);
  return pieces.slice(1).flat();
}

/**
 * A unit above the ceiling is a grid of its own (with empty land at most): a grid holding one
 * beside other households gives it up and keeps the rest; a grid that is just that unit stays.
 * Returns these oversize regions, which no later step changes or uses as a neighbour.
 */
function isolateOversize(state: PlanState, max: number, changed: boolean[]): Set<number> {
  const g = state.g;
  const frozen = new Set<number>();
  const count = state.regions.length;
  for (let r = 0; r < count; r++) {
    const own: number[] = [];
    for (let v = 0; v < g.n; v++) if (state.assign[v] === r) own.push(v);
    const over = own.filter((v) => g.households[v]! > max);
    if (over.length === 0) continue;
    if (over.length === 1 && sumOf(g.households, own) === g.households[over[0]!]) {
      frozen.add(r);
      continue;
    }
    changed[r] = true;
    for (const v of over) {
      removeNode(state, v);
      const alone = state.regions.length;
      state.regions.push(emptyRegion());
      changed.push(true);
      addNode(state, v, alone);
      frozen.add(alone);
    }
  }
  return frozen;
}

function fillGaps(
  state: PlanState,
  gaps: number[],
  changed: boolean[],
  outOfBand: (r: number) => boolean,
  frozen: Set<number>,
) {
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
        // An oversize grid takes empty land only.
        if (r >= 0 && (!frozen.has(r) || g.households[v] === 0)) shared.set(r, (shared.get(r) ?? 0) + e.lengthM);
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
function neighbours(state: PlanState, set: Set<number>, changed: boolean[], frozen: Set<number>): number[] {
  const shared = new Map<number, number>();
  const g = state.g;
  for (let v = 0; v < g.n; v++) {
    if (!set.has(state.assign[v]!)) continue;
    for (const e of g.adj[v]!) {
      const r = state.assign[e.to]!;
      if (r >= 0 && !set.has(r) && !frozen.has(r)) shared.set(r, (shared.get(r) ?? 0) + e.lengthM);
    }
  }
  return [...shared]
    .sort((p, q) => Number(changed[q[0]]) - Number(changed[p[0]]) || q[1] - p[1] || p[0] - q[0])
    .map(([r]) => r);
}

function fixGrid(ctx: SolveContext, state: PlanState, r: number, changed: boolean[], frozen: Set<number>): void {
  const { bounds } = ctx;
  const inBand = (x: number) => violation(state.regions[x]!.households, bounds.min, bounds.max) === 0;
  const first = neighbours(state, new Set([r]), changed, frozen);
  for (const n of first) {
    const nWasIn = inBand(n);
    const scope: number[] = [];
    for (let v = 0; v < state.g.n; v++) if (state.assign[v] === r || state.assign[v] === n) scope.push(v);
    const moves = improvePlan(state, {
      scope,
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
    const ring = neighbours(state, set, changed, frozen);
    if (ring.length === 0) break;
    for (const x of ring) set.add(x);
    if (repartition(ctx, state, [...set], changed)) return;
  }
  // The whole piece cannot be put in band: its least-bad division, if it is less bad.
  repartition(ctx, state, [...set], changed, true);
}

/** Worst and total households outside the band over some regions' households. */
function badness(households: number[], lo: number, hi: number): [number, number] {
  let worst = 0;
  let total = 0;
  for (const h of households) {
    const x = violation(h, lo, hi);
    worst = Math.max(worst, x);
    total += x;
  }
  return [worst, total];
}

/**
 * Divide the union of `regions` anew; keep it only if every part is in band, or (leastBad)
 * if it breaks the band less than the regions do now.
 */
function repartition(
  ctx: SolveContext,
  state: PlanState,
  regions: number[],
  changed: boolean[],
  leastBad = false,
): boolean {
  const { g, bounds } = ctx;
  const set = new Set(regions);
  const nodes: number[] = [];
  for (let v = 0; v < g.n; v++) if (set.has(state.assign[v]!)) nodes.push(v);
  if (componentsOf(g, nodes).length !== 1) return false;
  let parts: number[][] | null;
  if (leastBad) {
    parts = solveFresh(ctx, nodes);
    const now = badness(
      regions.map((x) => state.regions[x]!.households),
      bounds.min,
      bounds.max,
    );
    const then = badness(
      parts.map((p) => sumOf(g.households, p)),
      bounds.min,
      bounds.max,
    );
    if (then[0] > now[0] || (then[0] === now[0] && then[1] >= now[1])) return false;
  } else parts = solveInBand(ctx, nodes);
  if (!parts) return false;
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
