/**
 * regionalise at the sizes issue 19 names: a community of ~3,000 households in ~300 and
 * ~1,500 units, and a street of ~40,000 units in 30 communities. These tests judge the plans
 * (every grid in band); speed is judged by `npm run bench` (bench/proposal.ts), not here. The
 * CPU time of this process is printed alongside, for a reader comparing with the ADR.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/proposal/prng.ts';
import { regionalise } from '../../server/proposal/regionalise.ts';
import { planMetrics } from '../../server/proposal/metrics.ts';
import type { RegionPlan } from '../../server/proposal/unit-graph.ts';
import { latticeGraph } from '../helpers/unit-graphs.ts';

const bounds = { min: 300, max: 500 };

/** A side × side community of about `households`, roads every 5–8 lines, a few compounds. */
function community(side: number, households: number, seed: number) {
  const rand = mulberry32(seed);
  const mean = households / (side * side);
  const weights = Array.from({ length: side * side }, () => Math.round(rand() * 2 * mean));
  const lines = (gap: number) => Array.from({ length: Math.floor((side - 1) / gap) }, (_, i) => (i + 1) * gap);
  const gap = 5 + Math.floor(rand() * 4);
  return latticeGraph({
    cols: side,
    rows: side,
    households: (c, r) => weights[r * side + c]!,
    roadColumns: lines(gap),
    roadRows: lines(gap + 1),
    compound: (c, r) => (c % 13 < 4 && r % 11 < 4 ? `K${Math.floor(c / 13)}-${Math.floor(r / 11)}` : null),
    current: (c, r) => `G${Math.floor(c / 6)}-${Math.floor(r / 6)}`,
  });
}

function cpuMs<T>(f: () => T): [T, number] {
  const c0 = process.cpuUsage();
  const out = f();
  const c = process.cpuUsage(c0);
  return [out, (c.user + c.system) / 1000];
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
const inBand = (plan: RegionPlan) => plan.regions.filter((r) => r.households >= 300 && r.households <= 500).length;

describe("regionalise at the issue's sizes", { timeout: 240_000 }, () => {
  it('a community of ~3,000 households in ~300 and ~1,500 units: plans with grids in band', () => {
    regionalise(community(17, 3000, 99), { bounds, mode: 'fresh', seed: 1 }); // warm the JIT
    for (const side of [17, 39]) {
      const times: number[] = [];
      const rebalanceTimes: number[] = [];
      let report = '';
      for (let seed = 1; seed <= 5; seed++) {
        const graph = community(side, 3000, seed);
        const [plan, ms] = cpuMs(() => regionalise(graph, { bounds, mode: 'fresh', seed }));
        const [, rms] = cpuMs(() => regionalise(graph, { bounds, mode: 'rebalance', seed }));
        expect(inBand(plan)).toBe(plan.regions.length);
        times.push(ms);
        rebalanceTimes.push(rms);
        if (seed === 1) {
          const m = planMetrics(graph, plan);
          report =
            `${plan.regions.length} grids, ${inBand(plan)} in band, ` +
            `PP median ${median(m.regions.map((r) => r.polsbyPopper)).toFixed(3)}, ` +
            `roads crossed ${m.regions.reduce((s, r) => s + r.roadsCrossed, 0)}`;
        }
      }
      const units = side * side;
      console.log(
        `community ${units} units: fresh median ${median(times).toFixed(0)} ms (max ${Math.max(...times).toFixed(0)}), ` +
          `rebalance median ${median(rebalanceTimes).toFixed(0)} ms; seed 1: ${report}`,
      );
    }
  });

  it('a street of ~40,000 units in 30 communities: every grid in band', () => {
    const graphs = Array.from({ length: 30 }, (_, i) => community(36 + (i % 3), 2500 + 100 * (i % 10), 500 + i));
    const units = graphs.reduce((s, g) => s + g.units.length, 0);
    let grids = 0;
    let ok = 0;
    const [, ms] = cpuMs(() => {
      for (const [i, graph] of graphs.entries()) {
        const plan = regionalise(graph, { bounds, mode: 'fresh', seed: i + 1 });
        grids += plan.regions.length;
        ok += inBand(plan);
      }
    });
    console.log(`street ${units} units, 30 communities: ${ms.toFixed(0)} ms CPU, ${ok}/${grids} grids in band`);
    expect(units).toBeGreaterThan(38_000);
    expect(ok).toBe(grids);
  });
});
