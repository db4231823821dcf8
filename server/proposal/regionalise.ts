/**
 * Group a community's units into contiguous grids within the household band (ADR 0020).
 * Pure and deterministic for a given graph and seed.
 */
import type { RegionPlan, RegionaliseOptions, UnitGraph } from './unit-graph.ts';

/**
 * fresh: ignore today's grids. rebalance: keep every in-band grid unit for unit (unchanged)
 * and change only the out-of-band ones and as few neighbours as needed. Regions keep the
 * code of the today's grid they mostly continue. Where the band cannot be met, the plan that
 * breaks it least, with a problem naming the regions and why.
 */
export function regionalise(graph: UnitGraph, options: RegionaliseOptions): RegionPlan {
  void graph;
  void options;
  throw new Error('regionalise: being written (issue 19)');
}
