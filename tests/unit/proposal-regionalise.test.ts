/** regionalise on hand-made communities with known answers (issue 19). */
import { describe, expect, it } from 'vitest';
import { planMetrics } from '../../server/proposal/metrics.ts';
import { regionalise } from '../../server/proposal/regionalise.ts';
import type { UnitGraph } from '../../server/proposal/unit-graph.ts';
import { expectTiling, households, isContiguous } from '../helpers/plan-checks.ts';
import { latticeGraph, spread } from '../helpers/unit-graphs.ts';

const bounds = { min: 300, max: 500 };
const fresh = (graph: UnitGraph, seed = 1) => regionalise(graph, { bounds, mode: 'fresh', seed });

/** A graph of one building of `h` households and `empty` empty cells beside it. */
function building(h: number, empty: number) {
  return latticeGraph({ cols: empty + 1, rows: 1, households: (c) => (c === 0 ? h : 0) });
}

describe('regionalise (fresh) on hand-made communities', () => {
  it('4 compounds × 300 households, compounds unsplittable: exactly the 4 compounds', () => {
    //  8 × 8 cells, compounds A B / C D of 4 × 4 cells, 300 households each
    const compound = (c: number, r: number) => (r < 4 ? (c < 4 ? 'A' : 'B') : c < 4 ? 'C' : 'D');
    const graph = latticeGraph({
      cols: 8,
      rows: 8,
      compound,
      households: (c, r) => spread(300, 16, (r % 4) * 4 + (c % 4)),
    });
    const plan = fresh(graph);
    expectTiling(graph, plan);
    expect(households(plan)).toEqual([300, 300, 300, 300]);
    for (const r of plan.regions) expect(new Set(r.units.map((id) => graph.units[id]!.compound)).size).toBe(1);
    expect(plan.problems).toEqual([]);
    expect(planMetrics(graph, plan).compoundsSplit).toBe(0);
  });

  it('1,200 households without compounds: 3 or 4 grids, all in band', () => {
    const graph = latticeGraph({ cols: 8, rows: 8, households: (c, r) => spread(1200, 64, r * 8 + c) });
    const plan = fresh(graph);
    expectTiling(graph, plan);
    expect([3, 4]).toContain(plan.regions.length);
    for (const h of households(plan)) expect(h >= 300 && h <= 500).toBe(true);
  });

  it('a single 620-household building: its own grid, unit_over_ceiling', () => {
    const graph = building(620, 3);
    const plan = fresh(graph);
    expectTiling(graph, plan);
    expect(plan.regions).toHaveLength(1);
    expect(plan.problems).toEqual([{ kind: 'unit_over_ceiling', regions: [0], households: 620 }]);
  });

  it('a 620-household building beside 800 more: alone, and the rest in band', () => {
    //  [620][ 0 ] then a 10 × 4 block of 800 households to its right
    const graph = latticeGraph({
      cols: 11,
      rows: 4,
      hole: (c, r) => c === 0 && r > 0,
      households: (c, r) => (c === 0 ? 620 : spread(800, 40, r * 10 + c - 1)),
    });
    const plan = fresh(graph);
    expectTiling(graph, plan);
    const big = plan.regions.findIndex((r) => r.units.includes(graph.at(0, 0)));
    expect(plan.regions[big]!.households).toBe(620);
    expect(plan.problems).toEqual([{ kind: 'unit_over_ceiling', regions: [big], households: 620 }]);
    for (const [i, r] of plan.regions.entries()) if (i !== big) expect(r.households).toBeGreaterThanOrEqual(300);
  });

  it('250 households: one grid, community_under_floor', () => {
    const graph = latticeGraph({ cols: 5, rows: 5, households: (c, r) => spread(250, 25, r * 5 + c) });
    const plan = fresh(graph);
    expect(plan.regions).toHaveLength(1);
    expect(plan.problems).toEqual([{ kind: 'community_under_floor', regions: [0], households: 250 }]);
  });

  it('520 households: band_unreachable, one grid of 520 (20 over beats 2 × 40 under)', () => {
    const graph = latticeGraph({ cols: 4, rows: 4, households: (c, r) => spread(520, 16, r * 4 + c) });
    const plan = fresh(graph);
    expect(households(plan)).toEqual([520]);
    expect(plan.problems).toEqual([{ kind: 'band_unreachable', regions: [0], households: 520 }]);
  });

  it('two 400-household blocks across a road: 2 grids split exactly along the road', () => {
    const graph = latticeGraph({
      cols: 10,
      rows: 4,
      roadColumns: [5],
      households: (c, r) => spread(400, 20, r * 5 + (c % 5)),
    });
    for (const seed of [1, 2, 3, 4, 5]) {
      const plan = fresh(graph, seed);
      expectTiling(graph, plan);
      expect(households(plan)).toEqual([400, 400]);
      for (const r of plan.regions) expect(new Set(r.units.map((id) => graph.units[id]!.x < 100)).size).toBe(1);
      expect(planMetrics(graph, plan).regions.map((m) => m.roadsCrossed)).toEqual([0, 0]);
    }
  });

  it('three road blocks of 400 | 350 | 450: exactly the blocks, no road crossed (10 seeds)', () => {
    //  12 × 5 cells, roads on x = 4 and x = 8
    const load = [400, 350, 450];
    const graph = latticeGraph({
      cols: 12,
      rows: 5,
      roadColumns: [4, 8],
      households: (c, r) => spread(load[Math.floor(c / 4)]!, 20, r * 4 + (c % 4)),
    });
    for (let seed = 1; seed <= 10; seed++) {
      const plan = fresh(graph, seed);
      expect(households(plan)).toEqual([350, 400, 450]);
      expect(planMetrics(graph, plan).regions.every((m) => m.roadsCrossed === 0)).toBe(true);
    }
  });

  it('a 1,200-household compound with an internal road: split along that road', () => {
    //  12 × 5 cells in one compound, a road on x = 4: 400 households west of it, 800 east
    const graph = latticeGraph({
      cols: 12,
      rows: 5,
      roadColumns: [4],
      compound: () => 'big',
      households: (c, r) => (c < 4 ? spread(400, 20, r * 4 + c) : spread(800, 40, r * 8 + c - 4)),
    });
    const plan = fresh(graph);
    expectTiling(graph, plan);
    expect(plan.regions).toHaveLength(3);
    for (const h of households(plan)) expect(h >= 300 && h <= 500).toBe(true);
    for (const r of plan.regions) expect(new Set(r.units.map((id) => graph.units[id]!.x < 80)).size).toBe(1);
    expect(planMetrics(graph, plan).regions.every((m) => m.roadsCrossed === 0)).toBe(true);
  });

  it('an empty island joins the nearest grid; an inhabited island has its own', () => {
    //  block of 800 at x 0..199, gap column, an empty island at x 220..259 and beyond it
    //  a 400-household island at x 300..399
    const graph = latticeGraph({
      cols: 20,
      rows: 4,
      hole: (c) => c === 10 || c === 13 || c === 14,
      households: (c, r) => (c < 10 ? spread(800, 40, r * 10 + c) : c >= 15 ? spread(400, 20, r * 5 + c - 15) : 0),
    });
    const plan = fresh(graph);
    expectTiling(graph, plan);
    expect(households(plan)).toHaveLength(3);
    const island = plan.regions.find((r) => r.units.includes(graph.at(15, 0)))!;
    expect(island.households).toBe(400);
    // The empty island (x 220..259) is nearer the 400 island's cells (x ≥ 300)? No: 230 − 190 = 40 < 70.
    const park = plan.regions.find((r) => r.units.includes(graph.at(11, 0)))!;
    expect(park.units).toContain(graph.at(9, 0));
    for (const r of plan.regions.filter((x) => x !== park)) expect(isContiguous(graph, r.units)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const graph = latticeGraph({ cols: 15, rows: 10, households: (c, r) => ((c * 7 + r * 13) % 11) + 5 });
    expect(fresh(graph, 42)).toEqual(fresh(graph, 42));
  });

  it('keeps the code of the grid a region mostly continues', () => {
    //  today: west half "W", east half "E", each 400 households across a road
    const graph = latticeGraph({
      cols: 10,
      rows: 4,
      roadColumns: [5],
      current: (c) => (c < 5 ? 'W' : 'E'),
      households: (c, r) => spread(400, 20, r * 5 + (c % 5)),
    });
    const plan = fresh(graph);
    const west = plan.regions.find((r) => r.units.includes(graph.at(0, 0)))!;
    const east = plan.regions.find((r) => r.units.includes(graph.at(9, 0)))!;
    expect([west.keeps, east.keeps]).toEqual(['W', 'E']);
    expect(planMetrics(graph, plan).householdsMoved).toBe(0);
  });
});
