/**
 * Redundant stations (冗余站点): stations whose every household is also reached by another
 * station of a comparable kind (common/rules/station-kinds.ts, STATION_TIERS), so closing
 * them together loses nobody. A 党群服务中心 overlapped only by 驿站 and 帮办 circles is not
 * redundant. Judged greedily, the station reaching the fewest households first: two stations
 * of one tier that reach the same households make one of them redundant, not both (closing
 * both would leave those households unreached). Pure.
 */
import { STATION_TIERS, type StationKind, type StationTier } from '../../common/rules/station-kinds.ts';
import type { ReachLists } from '../geo/reach-straight-line.ts';

export interface RedundancyInput {
  stations: readonly { code: string; kind: StationKind }[];
  /** reach[s] = indices into buildings that station s reaches. */
  reach: ReachLists;
  buildings: readonly { households: number }[];
}

export interface StationRedundancy {
  /** Per station: households no other station of its tier reaches. */
  onlyHere: number[];
  /** Per station: households it reaches. */
  households: number[];
  /** Codes of the redundant stations, in station order. */
  redundant: string[];
}

export function redundantStations({ stations, reach, buildings }: RedundancyInput): StationRedundancy {
  const tierCounts = new Map<StationTier, Int32Array>();
  stations.forEach((s, i) => {
    const tier = STATION_TIERS[s.kind];
    let counts = tierCounts.get(tier);
    if (!counts) tierCounts.set(tier, (counts = new Int32Array(buildings.length)));
    for (const b of reach[i]!) counts[b]!++;
  });
  const households: number[] = [];
  const onlyHere: number[] = [];
  stations.forEach((s, i) => {
    const counts = tierCounts.get(STATION_TIERS[s.kind])!;
    let all = 0;
    let only = 0;
    for (const b of reach[i]!) {
      all += buildings[b]!.households;
      if (counts[b] === 1) only += buildings[b]!.households;
    }
    households.push(all);
    onlyHere.push(only);
  });
  // Greedy: the least useful first; ties by code, the later code closing first.
  const order = stations
    .map((_, i) => i)
    .filter((i) => onlyHere[i] === 0)
    .sort((a, b) => households[a]! - households[b]! || (stations[a]!.code < stations[b]!.code ? 1 : -1));
  const closed = new Set<number>();
  for (const i of order) {
    const counts = tierCounts.get(STATION_TIERS[stations[i]!.kind])!;
    const list = reach[i]!;
    let stillCovered = true;
    for (const b of list)
      if (buildings[b]!.households > 0 && counts[b]! < 2) {
        stillCovered = false;
        break;
      }
    if (!stillCovered) continue;
    closed.add(i);
    for (const b of list) counts[b]!--;
  }
  return { onlyHere, households, redundant: stations.filter((_, i) => closed.has(i)).map((s) => s.code) };
}
