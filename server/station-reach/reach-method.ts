/**
 * Which reach a region gets: walking distance over the road layer when roads are loaded
 * around it (engineer R's road graph, server/geo/road-network.ts), straight-line geodesic
 * distance otherwise. Both give reach lists (source → sorted target indices) and the discs
 * whose union is the reached area for the unreached-area overlay.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { reachStraightLine, type ReachLists } from '../geo/reach-straight-line.ts';
import { reachedDiscs, reachOverNetwork, type Disc } from '../geo/road-network.ts';
import { GRAPH_MARGIN_M, loadRoadGraph } from '../roads/roads.queries.ts';

export interface ReachEngine {
  method: 'network' | 'straight_line';
  reach(sources: [number, number][], targets: [number, number][]): ReachLists;
  discs(sources: [number, number][]): Disc[];
}

export async function computeReach(
  db: Kysely<DB>,
  bbox: [number, number, number, number],
  reachM: number,
  /** Ignore the roads (benchmarks compare both methods on one database). */
  straightLineOnly = false,
): Promise<ReachEngine> {
  // A walk may leave the bbox and come back: load the roads up to a full reach around it.
  const graph = straightLineOnly ? null : await loadRoadGraph(db, bbox, Math.max(GRAPH_MARGIN_M, reachM + 100));
  if (graph) {
    return {
      method: 'network',
      reach: (sources, targets) => reachOverNetwork(graph, sources, targets, reachM),
      discs: (sources) => reachedDiscs(graph, sources, reachM),
    };
  }
  return {
    method: 'straight_line',
    reach: (sources, targets) => reachStraightLine(sources, targets, reachM),
    discs: (sources) => sources.map(([lon, lat]) => ({ lon, lat, radiusM: reachM })),
  };
}
