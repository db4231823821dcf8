/**
 * Hand-made planners for testing the proposal's geometry apart from regionalise (issue 19):
 * units grouped by today's grid, or by a key the test gives, with minimal metrics.
 */
import type { Planner } from '../../server/proposal/propose-community.ts';
import type { PlanMetrics } from '../../server/proposal/metrics.ts';
import type { Region, RegionPlan, UnitGraph } from '../../server/proposal/unit-graph.ts';

/** Units grouped by `key` (units with a null key join the group of a neighbour, or group 0 when none). */
export function planBy(
  graph: UnitGraph,
  key: (u: UnitGraph['units'][number]) => string | null,
  keeps = true,
): RegionPlan {
  const group = graph.units.map(key);
  // Units without a key take a neighbour's, repeatedly, so every unit ends in a group.
  for (let changed = true; changed;) {
    changed = false;
    for (const e of graph.edges) {
      if (group[e.a] === null && group[e.b] !== null) [group[e.a], changed] = [group[e.b]!, true];
      else if (group[e.b] === null && group[e.a] !== null) [group[e.b], changed] = [group[e.a]!, true];
    }
  }
  const regions = new Map<string, Region>();
  graph.units.forEach((u, i) => {
    const k = group[i] ?? '';
    let r = regions.get(k);
    if (!r) regions.set(k, (r = { units: [], households: 0, keeps: keeps && k ? k : null, unchanged: false }));
    r.units.push(u.id);
    r.households += u.households;
  });
  return { regions: [...regions.values()], problems: [] };
}

/** Regions whose units are exactly one of today's grids' units are `unchanged`. */
export function markUnchanged(graph: UnitGraph, plan: RegionPlan): RegionPlan {
  for (const r of plan.regions) {
    const own = graph.units.filter((u) => u.current === r.keeps).map((u) => u.id);
    r.unchanged = r.keeps !== null && own.length === r.units.length && own.every((u, k) => u === r.units[k]);
  }
  return plan;
}

export function simpleMetrics(graph: UnitGraph, plan: RegionPlan): PlanMetrics {
  return {
    regions: plan.regions.map((r) => ({
      households: r.households,
      buildings: r.units.reduce((s, u) => s + graph.units[u]!.buildings, 0),
      areaM2: 0,
      perimeterM: 0,
      polsbyPopper: 0,
      roadsCrossed: 0,
    })),
    compoundsSplit: 0,
    householdsMoved: 0,
    retired: [],
    gridsChanged: 0,
  };
}

export const byTodaysGrids = (mode: 'fresh' | 'rebalance'): Planner => ({
  regionalise: (graph) => {
    const plan = planBy(graph, (u) => u.current);
    return mode === 'rebalance' ? markUnchanged(graph, plan) : plan;
  },
  planMetrics: simpleMetrics,
});
