/**
 * The graph a grid proposal is computed on (issue 19, ADR 0020). Pure: no SQL, no Express.
 *
 * A community's area is cut into faces by its outline, the roads, the compound (小区)
 * outlines, today's grid outlines (rebalance) and the Voronoi edges between buildings
 * (server/proposal/units.queries.ts). Faces that one building spans are glued into one unit,
 * so no proposed boundary can cut a building. Units tile the part of the community being
 * divided exactly, so any set of units unions to grids that tile it too.
 *
 * `regionalise` (regionalise.ts) groups units into contiguous regions of households within
 * the band; `planMetrics` (metrics.ts) measures a plan on the same graph.
 */

/** One indivisible piece of the community: one or more faces, at most one building's worth of it. */
export interface Unit {
  /** Index in UnitGraph.units. */
  id: number;
  /** Households of the buildings whose point-on-surface lies in the unit. */
  households: number;
  buildings: number;
  areaM2: number;
  /** Length of the unit's whole outline, metres. */
  perimeterM: number;
  /** Centroid in a local metric frame (metres east and north of a fixed origin per graph). */
  x: number;
  y: number;
  /** The compound (小区) the unit lies in, or null. */
  compound: string | null;
  /** Today's grid holding the unit (by its point on surface), or null where no grid covers it. */
  current: string | null;
}

/** Two units that share a boundary of positive length. */
export interface UnitEdge {
  /** a < b, indexes into UnitGraph.units. */
  a: number;
  b: number;
  /** Length of the whole shared boundary, metres. */
  lengthM: number;
  /** Of which along roads, metres. */
  roadM: number;
  /** Of which along compound outlines, metres. */
  compoundM: number;
  /** Ids of the roads the shared boundary runs along (road rows; empty when none). */
  roads: number[];
  /** The most important class among those roads, or null. */
  roadClass: RoadClass | null;
}

export type RoadClass = 'arterial' | 'secondary' | 'local' | 'service';

export interface UnitGraph {
  /** The community the graph divides. */
  community: string;
  units: Unit[];
  edges: UnitEdge[];
}

/** Inclusive household bounds (common/rules/household-band.ts HouseholdBounds). */
export interface Bounds {
  min: number;
  max: number;
}

export interface RegionaliseOptions {
  bounds: Bounds;
  mode: 'fresh' | 'rebalance';
  /** Same graph and seed: the same plan. */
  seed: number;
}

/** One proposed grid: a contiguous set of units. */
export interface Region {
  /** Unit ids, ascending. */
  units: number[];
  households: number;
  /**
   * Today's grid this region continues (keeps its code, name, party organisations and
   * workers), or null for a new grid. At most one region keeps a given grid.
   */
  keeps: string | null;
  /** Rebalance: exactly today's grid `keeps`, unit for unit (its outline is not rewritten). */
  unchanged: boolean;
}

export type PlanProblemKind = 'unit_over_ceiling' | 'community_under_floor' | 'band_unreachable';

/** Why the band cannot be met somewhere, and which regions of the plan break it. */
export interface PlanProblem {
  kind: PlanProblemKind;
  /** Indexes into RegionPlan.regions. */
  regions: number[];
  households: number;
}

export interface RegionPlan {
  regions: Region[];
  problems: PlanProblem[];
}
