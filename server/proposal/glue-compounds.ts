/**
 * The work graph of a community: a compound (小区) whose households fit in one grid
 * (≤ max) becomes one node, so no plan can split it (issue 19). In rebalance only the part of
 * a compound inside one of today's grids is glued: gluing across grids would force a grid
 * that is in band today to change. A larger compound stays in units and is split where
 * cutting costs least (along its internal roads, then between buildings). Pure.
 */
import type { Bounds, UnitGraph } from './unit-graph.ts';
import { buildWorkGraph, type WorkGraph } from './work-graph.ts';

export function glueCompounds(graph: UnitGraph, bounds: Bounds, mode: 'fresh' | 'rebalance'): WorkGraph {
  const compoundHouseholds = new Map<string, number>();
  for (const u of graph.units) {
    if (u.compound != null)
      compoundHouseholds.set(u.compound, (compoundHouseholds.get(u.compound) ?? 0) + u.households);
  }
  return buildWorkGraph(graph, (u) => {
    if (u.compound == null || compoundHouseholds.get(u.compound)! > bounds.max) return null;
    return mode === 'rebalance' ? `${u.compound}\u0000${u.current ?? ''}` : u.compound;
  });
}
