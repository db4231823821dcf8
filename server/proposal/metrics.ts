/** Measures of a plan on its unit graph (ADR 0020): the figures of a proposal's summary. Pure. */
import type { RegionPlan, UnitGraph } from './unit-graph.ts';
import { polsbyPopper } from './plan-state.ts';

export interface RegionMetrics {
  households: number;
  buildings: number;
  areaM2: number;
  /** Σ unit perimeters − 2 × the shared boundaries inside the region, metres. */
  perimeterM: number;
  /** 4πA/P². */
  polsbyPopper: number;
  /**
   * Distinct public roads (arterial, secondary, local; not service lanes) with an edge inside
   * the region: a boundary could have followed them.
   */
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
  const regionOf = new Int32Array(graph.units.length).fill(-1);
  plan.regions.forEach((r, i) => {
    for (const id of r.units) regionOf[id] = i;
  });
  const regions: RegionMetrics[] = plan.regions.map((r) => {
    let households = 0;
    let buildings = 0;
    let areaM2 = 0;
    let perimeterM = 0;
    for (const id of r.units) {
      const u = graph.units[id]!;
      households += u.households;
      buildings += u.buildings;
      areaM2 += u.areaM2;
      perimeterM += u.perimeterM;
    }
    return { households, buildings, areaM2, perimeterM, polsbyPopper: 0, roadsCrossed: 0 };
  });
  const roads = plan.regions.map(() => new Set<number>());
  for (const e of graph.edges) {
    const r = regionOf[e.a]!;
    if (r < 0 || r !== regionOf[e.b]) continue;
    regions[r]!.perimeterM -= 2 * e.lengthM;
    // A service lane (小区内道路) inside a grid is no boundary it should have followed.
    if (e.roadClass !== 'service') for (const road of e.roads) roads[r]!.add(road);
  }
  regions.forEach((m, i) => {
    m.perimeterM = Math.max(0, m.perimeterM);
    m.polsbyPopper = polsbyPopper(m.areaM2, m.perimeterM);
    m.roadsCrossed = roads[i]!.size;
  });

  const compoundRegions = new Map<string, Set<number>>();
  let householdsMoved = 0;
  const current = new Set<string>();
  for (const u of graph.units) {
    const r = regionOf[u.id]!;
    if (u.current != null) current.add(u.current);
    if (u.compound != null) {
      const set = compoundRegions.get(u.compound) ?? new Set<number>();
      set.add(r);
      compoundRegions.set(u.compound, set);
    }
    const keeps = r >= 0 ? plan.regions[r]!.keeps : null;
    if (keeps !== u.current) householdsMoved += u.households;
  }
  const kept = new Set(plan.regions.map((r) => r.keeps).filter((k): k is string => k != null));
  const retired = [...current].filter((c) => !kept.has(c)).sort();
  return {
    regions,
    compoundsSplit: [...compoundRegions.values()].filter((s) => s.size > 1).length,
    householdsMoved,
    retired,
    gridsChanged: plan.regions.filter((r) => !r.unchanged).length + retired.length,
  };
}
