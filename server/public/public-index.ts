/**
 * The public finder's in-process indexes: grids (flatbush over boxes + exact ring test),
 * stations (KD-tree + geodesic re-rank) and the name search, loaded from PostGIS and rebuilt
 * in the background when the data changes. A poll every few seconds reads one cheap version
 * (topology_epochs + public_epochs, kept by triggers); a new version triggers a rebuild, and
 * the new index replaces the old in one assignment. Requests never wait for a rebuild: before
 * the first build they take the per-request PostGIS path. With a read replica (DATABASE_READ_URL)
 * the version and the tables are both read there (public.routes.ts passes the read handle), so
 * they agree: an edit published on the primary reaches the finder once the replica has replayed it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PublicIndexStatus } from '../../common/contracts/public.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { ringSetsFromWkb } from '../geo/read-wkb.ts';
import { locateInRings, ringIndex, type RingIndex } from '../geo/locate-in-rings.ts';
import type { RingSet } from '../geo/match-edges.ts';
import { nearestIndex, type NearestIndex } from '../geo/nearest-geodesic.ts';
import { kNearestGeodesic } from '../geo/k-nearest-geodesic.ts';
import { publicWorker, type GridInfo, type StationRecord } from './public-answers.ts';
import { loadLocateTables, loadSearchEntries, readPublicVersion } from './public.queries.ts';
import { buildSearchIndex, type SearchIndex } from './search.ts';

export const DEFAULT_POLL_MS = 2_000;
const WKB_SLICE = 10_000;

export interface LocateIndex {
  version: string;
  grids: RingIndex;
  gridInfo: GridInfo[];
  stations: StationRecord[];
  stationTree: NearestIndex;
  /** Bit per station kind (STATION_KINDS order), for the kind filter. */
  kindBits: Uint8Array;
  stationByCode: Map<string, number>;
  builtAt: Date;
  buildMs: number;
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

export async function buildLocateIndex(db: Kysely<DB>): Promise<LocateIndex> {
  const started = performance.now();
  const t = await loadLocateTables(db);
  await nextTick();
  // In slices, yielding between them: one pass over a city's WKB held the event loop ~0.6 s.
  const sets: RingSet[] = [];
  for (let i = 0; i < t.grids.length; i += WKB_SLICE) {
    for (const set of ringSetsFromWkb(t.grids.slice(i, i + WKB_SLICE).map((g) => ({ owner: g.code, wkb: g.wkb }))))
      sets.push(set);
    await nextTick();
  }
  const grids = ringIndex(sets);
  await nextTick();
  const gridInfo = t.grids.map((g): GridInfo => {
    const community = t.communities.get(g.community_code);
    const org = t.orgs.get(g.code);
    return {
      code: g.code,
      name: g.name,
      community: community === undefined ? null : { code: g.community_code, name: community },
      worker: publicWorker(t.workers.get(g.code)),
      partyOrg: org === undefined ? null : { name: org },
    };
  });
  await nextTick();
  const stationTree = nearestIndex(t.stations.map((s) => [s.lon, s.lat] as const));
  const kindBits = Uint8Array.from(t.stations, (s) => 1 << STATION_KINDS.indexOf(s.kind));
  const stationByCode = new Map(t.stations.map((s, i) => [s.code, i]));
  return {
    version: t.version,
    grids,
    gridInfo,
    stations: t.stations,
    stationTree,
    kindBits,
    stationByCode,
    builtAt: new Date(),
    buildMs: Math.round(performance.now() - started),
  };
}

/** The grid a point lies in, as its position in index.gridInfo (-1: none). */
export const locateGridIndex = (index: LocateIndex, lon: number, lat: number): number =>
  locateInRings(index.grids, lon, lat);

export function locateGrid(index: LocateIndex, lon: number, lat: number): GridInfo | null {
  const i = locateGridIndex(index, lon, lat);
  return i < 0 ? null : index.gridInfo[i]!;
}

/** The k nearest stations of the kinds asked for, as positions in index.stations. */
export function nearestStationIndexes(
  index: LocateIndex,
  lon: number,
  lat: number,
  k: number,
  kinds: StationKind[] | undefined,
) {
  let mask = 0;
  for (const kind of kinds ?? []) mask |= 1 << STATION_KINDS.indexOf(kind);
  const accept = mask === 0 ? undefined : (i: number) => (index.kindBits[i]! & mask) !== 0;
  return kNearestGeodesic(index.stationTree, [lon, lat], k, accept);
}

export function nearestStations(
  index: LocateIndex,
  lon: number,
  lat: number,
  k: number,
  kinds: StationKind[] | undefined,
) {
  return nearestStationIndexes(index, lon, lat, k, kinds).map((n) => ({
    station: index.stations[n.index]!,
    distanceM: n.distanceM,
  }));
}

export type { PublicIndexStatus };

/** One per database: every app over the same database shares the index and its poller. */
export class PublicIndexes {
  locate: LocateIndex | null = null;
  search: SearchIndex | null = null;
  private searchVersion: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastError = '';
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pollMs = DEFAULT_POLL_MS,
  ) {}

  /** Build now and keep polling (the timer does not keep the process alive). */
  start(): void {
    this.stopped = false;
    if (this.timer || this.running) return;
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Rebuild if the version moved; resolves when done. Concurrent callers share one run. */
  refresh(): Promise<void> {
    this.running ??= this.refreshOnce().finally(() => {
      this.running = null;
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.refresh(), this.pollMs);
      this.timer.unref();
    });
    return this.running;
  }

  private async refreshOnce(): Promise<void> {
    try {
      const version = await readPublicVersion(this.db);
      if (this.locate?.version !== version) this.locate = await buildLocateIndex(this.db);
      if (this.searchVersion !== this.locate!.version) {
        // Read after the locate build: a version newer than the locate index's is caught next poll.
        const builtFor = this.locate!.version;
        this.search = await buildSearchIndex(await loadSearchEntries(this.db));
        this.searchVersion = builtFor;
      }
      this.lastError = '';
    } catch (error) {
      const message = (error as Error).message;
      // The database was closed (a test server closed, a shutdown): stop quietly. A connection cut
      // off (a replica or the primary restarting) is not that: keep polling and serve the last index.
      if (/closed|destroyed|after calling end/i.test(message)) {
        this.stop();
        return;
      }
      if (message !== this.lastError)
        console.error(`[public] index refresh failed (serving the last index): ${message}`);
      this.lastError = message;
    }
  }

  status(): PublicIndexStatus {
    const l = this.locate;
    return {
      state: l ? 'ready' : 'building',
      version: l?.version ?? null,
      grids: l?.gridInfo.length ?? 0,
      stations: l?.stations.length ?? 0,
      searchEntries: this.search?.entries.length ?? 0,
      builtAt: l?.builtAt.toISOString() ?? null,
      buildMs: l?.buildMs ?? null,
    };
  }
}

const shared = new WeakMap<Kysely<DB>, PublicIndexes>();

export function publicIndexesFor(db: Kysely<DB>, pollMs?: number): PublicIndexes {
  let indexes = shared.get(db);
  if (!indexes) {
    indexes = new PublicIndexes(db, pollMs);
    shared.set(db, indexes);
    indexes.start();
  }
  return indexes;
}
