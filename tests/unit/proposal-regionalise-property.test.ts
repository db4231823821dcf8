/**
 * regionalise on 240 random communities (seeded): lattices of random size and household
 * weights, with holes (some cut off islands), roads along random lattice lines, random
 * compounds and random today's grids. Every plan must tile the units, conserve households,
 * be contiguous (an uninhabited island may join the nearest grid), meet the band whenever
 * bandLooksReachable says it can, and be the same for the same seed.
 */
import { describe, expect, it } from 'vitest';
import { bandLooksReachable } from '../../server/proposal/feasibility.ts';
import { mulberry32, type Rand } from '../../server/proposal/prng.ts';
import { regionalise } from '../../server/proposal/regionalise.ts';
import type { RegionPlan, UnitGraph } from '../../server/proposal/unit-graph.ts';
import { expectTiling } from '../helpers/plan-checks.ts';
import { latticeGraph, spread } from '../helpers/unit-graphs.ts';

const bounds = { min: 300, max: 500 };
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

function randomCommunity(seed: number, opts: { holes: boolean; compounds: boolean; maxWeight: number }) {
  const rand = mulberry32(seed);
  const cols = int(rand, 3, 22);
  const rows = int(rand, 3, 22);
  const weights = Array.from({ length: cols * rows }, () => (rand() < 0.15 ? 0 : int(rand, 1, opts.maxWeight)));
  const holes = new Set<number>();
  if (opts.holes) for (let i = 0; i < cols * rows; i++) if (rand() < 0.12) holes.add(i);
  const roadColumns = Array.from({ length: cols - 1 }, (_, i) => i + 1).filter(() => rand() < 0.25);
  const roadRows = Array.from({ length: rows - 1 }, (_, i) => i + 1).filter(() => rand() < 0.25);
  // Compounds: random rectangles (later ones win where they overlap).
  const compoundOf = new Map<number, string>();
  if (opts.compounds) {
    const n = int(rand, 0, 4);
    for (let k = 0; k < n; k++) {
      const c0 = int(rand, 0, cols - 1);
      const r0 = int(rand, 0, rows - 1);
      const w = int(rand, 1, 6);
      const h = int(rand, 1, 6);
      for (let c = c0; c < Math.min(cols, c0 + w); c++) {
        for (let r = r0; r < Math.min(rows, r0 + h); r++) compoundOf.set(r * cols + c, `K${k}`);
      }
    }
  }
  const gridCols = int(rand, 2, 6);
  return latticeGraph({
    cols,
    rows,
    hole: (c, r) => holes.has(r * cols + c),
    households: (c, r) => weights[r * cols + c]!,
    compound: (c, r) => compoundOf.get(r * cols + c) ?? null,
    current: (c, r) => (rand() < 0.05 ? null : `G${Math.floor(c / gridCols)}-${Math.floor(r / gridCols)}`),
    roadColumns,
    roadRows,
  });
}

/**
 * A lattice without holes or compounds holding exactly 400·k households, no cell above 40:
 * every part has 100 households of room on both sides, more than any cell weighs.
 */
function feasibleCommunity(seed: number) {
  const rand = mulberry32(seed);
  const cols = int(rand, 5, 22);
  const rows = int(rand, 5, 22);
  const n = cols * rows;
  const k = Math.floor(n / 20);
  const weights = Array.from({ length: n }, (_, i) => spread(400 * k, n, i));
  for (let step = 0; step < 3 * n; step++) {
    const i = int(rand, 0, n - 1);
    const j = int(rand, 0, n - 1);
    const t = int(rand, 0, 10);
    if (weights[i]! >= t && weights[j]! + t <= 40) [weights[i], weights[j]] = [weights[i]! - t, weights[j]! + t];
  }
  return latticeGraph({
    cols,
    rows,
    households: (c, r) => weights[r * cols + c]!,
    roadColumns: Array.from({ length: cols - 1 }, (_, i) => i + 1).filter(() => rand() < 0.25),
    roadRows: Array.from({ length: rows - 1 }, (_, i) => i + 1).filter(() => rand() < 0.25),
  });
}

/** Pieces of the region (BFS); every piece but the largest-household one must be a whole uninhabited island. */
function expectContiguousOrIsland(graph: UnitGraph, plan: RegionPlan, label: string) {
  const adj: number[][] = graph.units.map(() => []);
  for (const e of graph.edges) {
    adj[e.a]!.push(e.b);
    adj[e.b]!.push(e.a);
  }
  const component = new Int32Array(graph.units.length).fill(-1);
  const componentSize: number[] = [];
  const componentHouseholds: number[] = [];
  for (let s = 0; s < graph.units.length; s++) {
    if (component[s]! >= 0) continue;
    const c = componentSize.length;
    const queue = [s];
    component[s] = c;
    for (let i = 0; i < queue.length; i++) {
      for (const t of adj[queue[i]!]!) {
        if (component[t]! >= 0) continue;
        component[t] = c;
        queue.push(t);
      }
    }
    componentSize.push(queue.length);
    componentHouseholds.push(queue.reduce((sum, id) => sum + graph.units[id]!.households, 0));
  }
  for (const r of plan.regions) {
    // Rebalance keeps an in-band grid as it is, even one that today lies in pieces.
    if (r.unchanged) continue;
    const inRegion = new Set(r.units);
    const seen = new Set<number>();
    const pieces: number[][] = [];
    for (const s of r.units) {
      if (seen.has(s)) continue;
      const queue = [s];
      seen.add(s);
      for (let i = 0; i < queue.length; i++) {
        for (const t of adj[queue[i]!]!) {
          if (!inRegion.has(t) || seen.has(t)) continue;
          seen.add(t);
          queue.push(t);
        }
      }
      pieces.push(queue);
    }
    const inhabited = pieces.filter((p) => p.some((id) => graph.units[id]!.households > 0));
    expect(inhabited.length, label).toBeLessThanOrEqual(1);
    const main = inhabited[0] ?? pieces[0]!;
    for (const p of pieces) {
      if (p === main) continue;
      const c = component[p[0]!]!;
      expect(componentHouseholds[c]).toBe(0);
      expect(componentSize[c]).toBe(p.length);
    }
  }
}

const inBand = (plan: RegionPlan) =>
  plan.regions.every((r) => r.households >= bounds.min && r.households <= bounds.max);

describe('regionalise on random communities', { timeout: 240_000 }, () => {
  it('200 random communities with holes, roads and compounds, fresh and rebalance', () => {
    let reachable = 0;
    let met = 0;
    const t0 = performance.now();
    for (let seed = 1; seed <= 200; seed++) {
      const graph = randomCommunity(seed, {
        holes: true,
        compounds: true,
        maxWeight: int(mulberry32(seed * 7), 3, 60),
      });
      const looks = bandLooksReachable(graph, bounds);
      for (const mode of ['fresh', 'rebalance'] as const) {
        const plan = regionalise(graph, { bounds, mode, seed });
        expectTiling(graph, plan);
        expectContiguousOrIsland(graph, plan, `seed ${seed} ${mode}`);
        if (looks) expect(inBand(plan), `seed ${seed} ${mode}`).toBe(true);
        if (mode === 'fresh') {
          reachable += looks ? 1 : 0;
          met += inBand(plan) ? 1 : 0;
          // Every out-of-band region is named by a problem.
          const named = new Set(plan.problems.flatMap((p) => p.regions));
          plan.regions.forEach((r, i) => {
            if (r.households < bounds.min || r.households > bounds.max) expect(named.has(i)).toBe(true);
          });
          expect(regionalise(graph, { bounds, mode, seed })).toEqual(plan);
        } else if (seed % 10 === 0) {
          expect(regionalise(graph, { bounds, mode, seed })).toEqual(plan);
        }
      }
    }
    console.log(
      `random communities: ${reachable}/200 reachable by the check, ${met}/200 fresh plans in band, ` +
        `${(performance.now() - t0).toFixed(0)} ms for 600 runs`,
    );
    expect(reachable).toBeGreaterThan(40);
  });

  it('60 communities built to be feasible (400·k households, weights ≤ 40): the check agrees, the band is met', () => {
    for (let seed = 1001; seed <= 1060; seed++) {
      const graph = feasibleCommunity(seed);
      expect(bandLooksReachable(graph, bounds), `seed ${seed}`).toBe(true);
      const plan = regionalise(graph, { bounds, mode: 'fresh', seed });
      expectTiling(graph, plan);
      expect(inBand(plan), `seed ${seed}`).toBe(true);
      expect(plan.problems).toEqual([]);
    }
  });
});
