/** The grid-proposal bench's options and rows (bench/proposal.ts runs it, bench/proposal-table.ts prints it). */
import type { DriverName } from '../server/db/database.ts';

export type Algorithm = 'proposal' | 'k-means' | 'greedy';
export const ALGORITHMS: readonly Algorithm[] = ['proposal', 'k-means', 'greedy'];

export interface ProposalBenchOptions {
  databaseUrl?: string;
  drivers: DriverName[];
  sizes: number[];
  /** The demo district's cases (fresh per community, rebalance). */
  demo: boolean;
  algorithms: Algorithm[];
  runs: number;
  seed: number;
  log?: (line: string) => void;
}

export interface ProblemCount {
  kind: string;
  count: number;
  example: string;
}

export interface QualityRow {
  driver: DriverName;
  case: string;
  algorithm: Algorithm;
  communities: number;
  households: number;
  grids: number;
  residential: number;
  inBand: number;
  ppMedian: number;
  roadsCrossed: number;
  compoundsSplit: number;
  nonContiguous: number;
  buildingsCut: number;
  /** End to end (graph from PostGIS, plan, outlines, metrics): median of runs, or of communities. */
  ms: number;
  /** The planner alone (regionalise or the baseline), summed over the case's communities. */
  planMs: number;
  /** The community closest to 3,000 households, end to end, median of runs (demo only). */
  communityMs?: number;
  communityHouseholds?: number;
  peakRssMB: number;
  heapDeltaMB: number;
  problems: ProblemCount[];
}

export interface RebalanceRow {
  driver: DriverName;
  outOfBandBefore: string[];
  fixed: string[];
  residential: number;
  inBand: number;
  /** The summaries' count: changed, new and retired grids. */
  gridsChanged: number;
  changed: number;
  added: number;
  retired: number;
  /** Regions the planner did not keep unit for unit (the rest of `changed` are outlines rebuilt from faces). */
  plannerChanged: number;
  householdsMoved: number;
  ms: number;
  problems: ProblemCount[];
}

export interface ProposalBenchResult {
  quality: QualityRow[];
  rebalance: RebalanceRow[];
  loads: { driver: DriverName; case: string; buildings: number; seconds: number }[];
  /** 1-minute load average before and after (the machine is shared: timings are only as good as this). */
  /** Cases that failed (the rest still ran). */
  errors: string[];
  loadBefore: number;
  loadAfter: number;
}
