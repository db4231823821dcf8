/**
 * Which reach a region gets: walking distance over the road layer when one is loaded
 * around it, straight-line geodesic distance otherwise. Both give reach lists (source →
 * sorted target indices) and the discs whose union is the reached area.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { reachStraightLine, type ReachLists } from '../geo/reach-straight-line.ts';

export interface ReachEngine {
  method: 'network' | 'straight_line';
  reach(sources: [number, number][], targets: [number, number][]): ReachLists;
  discs(sources: [number, number][]): { lon: number; lat: number; radiusM: number }[];
}

export async function computeReach(
  _db: Kysely<DB>,
  _bbox: [number, number, number, number],
  reachM: number,
): Promise<ReachEngine> {
  // ROAD NETWORK SWITCH: when server/roads/roads.queries.ts (loadRoadGraph) and
  // server/geo/road-network.ts (reachOverNetwork, reachedDiscs) land, a loaded graph
  // around the bbox gives method 'network' here.
  return {
    method: 'straight_line',
    reach: (sources, targets) => reachStraightLine(sources, targets, reachM),
    discs: (sources) => sources.map(([lon, lat]) => ({ lon, lat, radiusM: reachM })),
  };
}
