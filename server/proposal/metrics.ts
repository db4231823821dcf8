/** Measures of a plan on its unit graph (ADR 0020): the figures of a proposal's summary. Pure. */
import type { RegionPlan, UnitGraph } from './unit-graph.ts';

export interface RegionMetrics {
  households: number;
  buildings: number;
  areaM2: number;
  /** Σ unit perimeters − 2 × the shared boundaries inside the region, metres. */
  perimeterM: number;
  /** 4πA/P². */
  polsbyPopper: number;
  /** Distinct roads with an edge inside the region (a boundary could have followed them). */
  roadsCrossed: number;
}

export interface PlanMetrics {
  regions: RegionMetrics[];
  /** Compounds whose units lie in more than one region. */
  compoundsSplit: number;
  /** Households of units whose region keeps another grid than the unit's `current` (or a new one). */
  householdsMoved: number;
  /** Today's grids (the units' `current`) that no region keeps. */
  retired: string[];
  /** Regions not `unchanged`, plus retired grids. */
  gridsChanged: number;
}

export function planMetrics(graph: UnitGraph, plan: RegionPlan): PlanMetrics {
  void graph;
  void plan;
  throw new Error('planMetrics: being written (issue 19)');
}
