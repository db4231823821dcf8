/**
 * Divide one connected piece of a community into grids, ignoring today's grids (重新划分).
 * Pure.
 *
 * Nodes above the ceiling (a 620-household building) are grids of their own; what they leave
 * is divided piece by piece, and a piece without households joins the neighbouring oversize
 * grid it shares most boundary with. Each other piece is cut by recursive spanning-tree
 * bisection into k parts, trying the counts of band-counts.ts in turn, and then improved by
 * local moves; the first plan wholly in band wins, else the one that breaks the band least.
 */
import { bandCounts, countsToTry } from './band-counts.ts';
import { improvePlan, planCost, violation, type MoveWeights } from './local-moves.ts';
import type { Rand } from './prng.ts';
import { createState, regionNodes } from './plan-state.ts';
import { partition } from './tree-cut.ts';
import type { Bounds } from './unit-graph.ts';
import { componentsOf, sumOf, type WorkGraph } from './work-graph.ts';

export interface SolveContext {
  g: WorkGraph;
  bounds: Bounds;
  rand: Rand;
  weights: MoveWeights;
  /** Spanning trees per cut. */
  trees: number;
  /** Metres of cut one full band-width of imbalance is worth. */
  balanceWeight: number;
  /** Metres of cut one unit of Polsby–Popper lost by a side is worth. */
  cutCompactWeight: number;
  /** Local-move passes after the cuts. */
  passes: number;
  /** Further in-band plans drawn after the first; the cheapest (planCost) is kept. */
  restarts: number;
}

/** Plans tried per piece before settling for the least-bad one. */
const MAX_COUNTS = 5;
const ATTEMPTS_PER_COUNT = 2;

export function solveFresh(ctx: SolveContext, nodes: number[]): number[][] {
  const { g, bounds } = ctx;
  const over = nodes.filter((v) => g.households[v]! > bounds.max);
  if (over.length === 0) return solveConnected(ctx, nodes);
  const isOver = new Set(over);
  const regions = over.map((v) => [v]);
  const regionOf = new Map(over.map((v, i) => [v, i]));
  const rest = nodes.filter((v) => !isOver.has(v));
  for (const piece of componentsOf(g, rest)) {
    if (sumOf(g.households, piece) > 0) {
      regions.push(...solveConnected(ctx, piece));
      continue;
    }
    // No households: the oversize neighbour it shares most boundary with takes it.
    const shared = new Map<number, number>();
    for (const v of piece) {
      for (const e of g.adj[v]!) {
        const r = regionOf.get(e.to);
        if (r !== undefined) shared.set(r, (shared.get(r) ?? 0) + e.lengthM);
      }
    }
    const best = [...shared].sort((p, q) => q[1] - p[1] || p[0] - q[0])[0]!;
    regions[best[0]]!.push(...piece);
  }
  return regions;
}

function planViolation(households: number[], b: Bounds): { worst: number; total: number } {
  let worst = 0;
  let total = 0;
  for (const h of households) {
    const x = violation(h, b.min, b.max);
    worst = Math.max(worst, x);
    total += x;
  }
  return { worst, total };
}

/** A connected piece without oversize nodes: the first plan in band, else the least-bad one. */
export function solveConnected(ctx: SolveContext, nodes: number[]): number[][] {
  return solvePiece(ctx, nodes, false)!;
}

/** Like solveConnected, but only a plan wholly in band will do (null when none was found). */
export function solveInBand(ctx: SolveContext, nodes: number[]): number[][] | null {
  return solvePiece(ctx, nodes, true);
}

function solvePiece(ctx: SolveContext, nodes: number[], bandOnly: boolean): number[][] | null {
  const { g, bounds } = ctx;
  const total = sumOf(g.households, nodes);
  if (bandOnly && bandCounts(total, bounds).length === 0) return null;
  if (total < bounds.min || nodes.length === 1) return [nodes];
  let best: { parts: number[][]; worst: number; total: number; cost: number } | null = null;
  const counts = bandOnly ? bandCounts(total, bounds).slice(0, MAX_COUNTS) : countsToTry(total, bounds, MAX_COUNTS);
  for (const k of counts) {
    // Cut with the band widened just enough for an even split into k (only when k is out of band).
    const lo = Math.min(bounds.min, Math.floor(total / k));
    const hi = Math.max(bounds.max, Math.ceil(total / k));
    let inBand = 0;
    for (let attempt = 0; attempt < ATTEMPTS_PER_COUNT + ctx.restarts && inBand <= ctx.restarts; attempt++) {
      if (attempt >= ATTEMPTS_PER_COUNT && inBand === 0) break;
      const parts = partition(g, nodes, k, {
        lo,
        hi,
        trees: ctx.trees,
        balanceWeight: ctx.balanceWeight,
        compactWeight: ctx.cutCompactWeight,
        rand: ctx.rand,
      });
      const state = createState(g, parts);
      improvePlan(state, {
        lo: bounds.min,
        hi: bounds.max,
        weights: ctx.weights,
        movable: () => true,
        rand: ctx.rand,
        passes: ctx.passes,
      });
      const out = regionNodes(state).filter((p) => p.length > 0);
      const v = {
        ...planViolation(
          out.map((p) => sumOf(g.households, p)),
          bounds,
        ),
        cost: planCost(state, ctx.weights),
      };
      if (
        !best ||
        v.worst < best.worst ||
        (v.worst === best.worst && (v.total < best.total || (v.total === best.total && v.cost < best.cost)))
      ) {
        best = { parts: out, ...v };
      }
      if (v.total === 0) inBand++;
    }
    if (inBand > 0) return best!.parts;
  }
  return bandOnly ? null : best!.parts;
}
