/** planMetrics with figures computed by hand (issue 19). */
import { describe, expect, it } from 'vitest';
import { planMetrics } from '../../server/proposal/metrics.ts';
import type { Region } from '../../server/proposal/unit-graph.ts';
import { latticeGraph } from '../helpers/unit-graphs.ts';

const region = (units: number[], households: number, keeps: string | null = null, unchanged = false): Region => ({
  units,
  households,
  keeps,
  unchanged,
});

describe('planMetrics', () => {
  it('a 2 × 2 square of unit squares: PP = π/4, perimeter 8, area 4', () => {
    const graph = latticeGraph({ cols: 2, rows: 2, side: 1, households: () => 10 });
    const m = planMetrics(graph, { regions: [region([0, 1, 2, 3], 40)], problems: [] });
    expect(m.regions[0]!.areaM2).toBe(4);
    expect(m.regions[0]!.perimeterM).toBe(8);
    expect(m.regions[0]!.polsbyPopper).toBeCloseTo(Math.PI / 4, 12);
    expect(m.regions[0]!.households).toBe(40);
    expect(m.regions[0]!.buildings).toBe(4);
  });

  it('a 1 × 3 strip: PP = 4π·3/64; two 1 × 1 pieces PP = π/4 each', () => {
    const graph = latticeGraph({ cols: 4, rows: 1, side: 1 });
    const m = planMetrics(graph, { regions: [region([0, 1, 2], 0), region([3], 0)], problems: [] });
    expect(m.regions[0]!.perimeterM).toBe(8);
    expect(m.regions[0]!.polsbyPopper).toBeCloseTo((4 * Math.PI * 3) / 64, 12);
    expect(m.regions[1]!.polsbyPopper).toBeCloseTo(Math.PI / 4, 12);
  });

  it('counts roads inside regions, not roads on their boundary', () => {
    //  4 × 2 cells, roads on x = 1 (id 101) and x = 2 (id 102); regions: columns 0–1 | 2–3
    const graph = latticeGraph({ cols: 4, rows: 2, roadColumns: [1, 2] });
    const west = [graph.at(0, 0), graph.at(1, 0), graph.at(0, 1), graph.at(1, 1)].sort((p, q) => p - q);
    const east = [graph.at(2, 0), graph.at(3, 0), graph.at(2, 1), graph.at(3, 1)].sort((p, q) => p - q);
    const m = planMetrics(graph, { regions: [region(west, 0), region(east, 0)], problems: [] });
    // Road 101 runs inside the west region; road 102 is its boundary with the east.
    expect(m.regions.map((r) => r.roadsCrossed)).toEqual([1, 0]);
  });

  it('compounds split, households moved, retired grids and grids changed', () => {
    //  1 × 4 cells, 10 households each; today A = cells 0–1, B = cells 2–3; compound K = cells 1–2
    const graph = latticeGraph({
      cols: 4,
      rows: 1,
      households: () => 10,
      current: (c) => (c < 2 ? 'A' : 'B'),
      compound: (c) => (c === 1 || c === 2 ? 'K' : null),
    });
    // Region 0 = cells 0–2 keeps A (cell 2 moved from B), region 1 = cell 3, new: B retired.
    const m = planMetrics(graph, { regions: [region([0, 1, 2], 30, 'A'), region([3], 10)], problems: [] });
    expect(m.compoundsSplit).toBe(0);
    expect(m.householdsMoved).toBe(20);
    expect(m.retired).toEqual(['B']);
    expect(m.gridsChanged).toBe(3);
    const split = planMetrics(graph, {
      regions: [region([0, 1], 20, 'A', true), region([2, 3], 20, 'B', true)],
      problems: [],
    });
    expect(split.compoundsSplit).toBe(1);
    expect(split.householdsMoved).toBe(0);
    expect(split.gridsChanged).toBe(0);
  });
});
