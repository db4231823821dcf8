/**
 * Station reach (the 3-minute work circle): which households lie within `minutes × 60 ×
 * speed` metres of a counted station, per grid and per community; which stations reach
 * nobody that stations of a comparable kind do not (redundant-stations.ts); and the
 * unreached areas. Household figures are tallied here in-process from building points;
 * PostGIS only does the overlay of the unreached areas.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type {
  StationReachQuery,
  StationReachReport,
  StationReachRow,
  StationReachStation,
} from '../../common/contracts/station-reach.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { notFound } from '../http/errors.ts';
import { reachCounts, type ReachLists } from '../geo/reach-straight-line.ts';
import { computeReach, type ReachEngine } from './reach-method.ts';
import {
  buildingPoints,
  regionCommunities,
  regionGrids,
  regionHead,
  stationsNear,
  unreachedParts,
  type BuildingPoint,
  type RegionHead,
  type StationPoint,
  type UnreachedPart,
} from './station-reach.queries.ts';
import { pointsInPolygons } from '../geo/points-in-polygons.ts';
import { redundantStations } from './redundant-stations.ts';

export const DEFAULT_MINUTES = 3;
export const DEFAULT_SPEED = 1.2;

export interface StationReachOptions {
  /** Compute the unreached-area overlay (the expensive part). Default: yes below district level. */
  areas?: boolean;
  /** Straight-line reach even where roads are loaded (benchmarks). */
  straightLineOnly?: boolean;
}

export function reachMetres(minutes: number, speed: number): number {
  return Math.round(minutes * 60 * speed * 1e6) / 1e6;
}

/** Everything the tallies and the site suggestions share: region, buildings, stations, reach. */
export interface ReachState {
  region: RegionHead;
  minutes: number;
  speed: number;
  reachM: number;
  kinds: StationKind[];
  method: 'network' | 'straight_line';
  communities: { code: string; name: string }[];
  buildings: BuildingPoint[];
  stations: StationPoint[];
  /** reach[s] = indices into buildings that station s reaches. */
  reach: ReachLists;
  /** counts[b] = how many stations reach building b. */
  counts: Int32Array;
  /** Compute reach lists from any source points to the buildings (same method). */
  reachFrom(sources: [number, number][]): ReachLists;
}

/** Region, parameters, communities, counted stations and the reach engine: all but the buildings. */
export interface ReachBase extends Omit<ReachState, 'buildings' | 'reach' | 'counts' | 'reachFrom'> {
  engine: ReachEngine;
}

export async function loadReachBase(
  db: Kysely<DB>,
  query: StationReachQuery,
  straightLineOnly = false,
): Promise<ReachBase> {
  const region = await regionHead(db, query.region);
  if (!region) throw notFound('Region', query.region);
  const minutes = query.minutes ?? DEFAULT_MINUTES;
  const speed = query.speed ?? DEFAULT_SPEED;
  const reachM = reachMetres(minutes, speed);
  const kinds = query.kinds?.length ? [...new Set(query.kinds)].sort() : [...STATION_KINDS];
  const [communities, stations, engine] = await Promise.all([
    regionCommunities(db, region.code),
    stationsNear(db, region, kinds, reachM),
    computeReach(db, region.bbox, reachM, straightLineOnly),
  ]);
  return { region, minutes, speed, reachM, kinds, method: engine.method, communities, stations, engine };
}

/** The buildings' reach from the counted stations. */
export function completeReach(base: ReachBase, buildings: BuildingPoint[]): ReachState {
  const targets = buildings.map((b) => [b.lon, b.lat] as [number, number]);
  const reach = base.engine.reach(
    base.stations.map((s) => [s.lon, s.lat]),
    targets,
  );
  const { engine, ...rest } = base;
  return {
    ...rest,
    buildings,
    reach,
    counts: reachCounts(reach, buildings.length),
    reachFrom: (sources) => engine.reach(sources, targets),
  };
}

export async function loadReachState(db: Kysely<DB>, query: StationReachQuery): Promise<ReachState> {
  const base = await loadReachBase(db, query);
  return completeReach(
    base,
    await buildingPoints(
      db,
      base.communities.map((c) => c.code),
    ),
  );
}

const row = (code: string, name: string, households: number, householdsReached: number): StationReachRow => ({
  code,
  name,
  households,
  householdsReached,
  share: households === 0 ? 1 : householdsReached / households,
});

/** Per-community, per-grid and per-station tallies from the reach lists (pure). */
export function tallyReach(
  state: Pick<ReachState, 'communities' | 'buildings' | 'stations' | 'reach' | 'counts'>,
  grids: { code: string; name: string; community_code: string }[],
): Pick<
  StationReachReport,
  'households' | 'householdsReached' | 'share' | 'communities' | 'grids' | 'stations' | 'redundant'
> {
  const byCommunity = new Map(state.communities.map((c) => [c.code, [0, 0] as [number, number]]));
  const byGrid = new Map(grids.map((g) => [g.code, [0, 0] as [number, number]]));
  let households = 0;
  let reached = 0;
  state.buildings.forEach((b, i) => {
    const hit = state.counts[i]! > 0 ? b.households : 0;
    households += b.households;
    reached += hit;
    for (const tally of [byCommunity.get(b.community_code), b.grid_code ? byGrid.get(b.grid_code) : undefined]) {
      if (tally) {
        tally[0] += b.households;
        tally[1] += hit;
      }
    }
  });
  const judged = redundantStations(state);
  const stations: StationReachStation[] = state.stations.map((s, i) => ({
    code: s.code,
    name: s.name,
    kind: s.kind,
    lon: s.lon,
    lat: s.lat,
    households: judged.households[i]!,
    householdsOnlyHere: judged.onlyHere[i]!,
  }));
  return {
    households,
    householdsReached: reached,
    share: households === 0 ? 1 : reached / households,
    communities: state.communities.map((c) => row(c.code, c.name, ...byCommunity.get(c.code)!)),
    grids: grids.map((g) => row(g.code, g.name, ...byGrid.get(g.code)!)),
    stations,
    redundant: judged.redundant,
  };
}

/**
 * Households and buildings in each unreached part: the buildings no station reaches (from
 * the reach lists, so the figures agree with the tallies) whose point lies in the part.
 */
export function unreachedTally(
  state: Pick<ReachState, 'buildings' | 'counts'>,
  parts: UnreachedPart[],
): { households: number; buildings: number }[] {
  const tally = parts.map(() => ({ households: 0, buildings: 0 }));
  const unreached = state.buildings.filter((_, i) => state.counts[i] === 0);
  const inPart = pointsInPolygons(
    unreached.map((b) => [b.lon, b.lat]),
    parts.map((p) => p.geometry),
  );
  unreached.forEach((b, i) => {
    const t = tally[inPart[i]!];
    if (t) {
      t.households += b.households;
      t.buildings++;
    }
  });
  return tally;
}

export async function stationReach(
  db: Kysely<DB>,
  query: StationReachQuery,
  options: StationReachOptions = {},
): Promise<StationReachReport> {
  const started = performance.now();
  const base = await loadReachBase(db, query, options.straightLineOnly);
  const codes = base.communities.map((c) => c.code);
  const areas = options.areas ?? base.region.level !== 'district';
  // Independent reads: on the server driver they run on separate pool connections.
  const [buildings, grids, parts] = await Promise.all([
    buildingPoints(db, codes),
    regionGrids(db, codes),
    // Discs only when asked: over a network they take a search of their own.
    areas ? unreachedParts(db, codes, base.engine.discs(base.stations.map((s) => [s.lon, s.lat]))) : [],
  ]);
  const state = completeReach(base, buildings);
  const totals = tallyReach(state, grids);
  const unreached = unreachedTally(state, parts);
  return {
    region: { code: state.region.code, name: state.region.name, level: state.region.level },
    minutes: state.minutes,
    speed: state.speed,
    reachM: state.reachM,
    kinds: state.kinds,
    method: state.method,
    ...totals,
    unreached: {
      type: 'FeatureCollection',
      features: parts.map(({ geometry, community_code, areaM2 }, i) => ({
        type: 'Feature',
        id: i + 1,
        geometry,
        properties: {
          community_code,
          community_name: base.communities.find((c) => c.code === community_code)?.name ?? community_code,
          ...unreached[i]!,
          areaM2,
        },
      })),
    },
    tookMs: Math.round(performance.now() - started),
  };
}
