/**
 * Station reach at city scale (issue 5), on a database holding the generated city
 * (`npm run demo:city` + data/load-city.ts). Everything runs in one transaction that is
 * rolled back, so the stations it may add to reach `stations` leave nothing behind.
 *
 *   - one street, the whole API call (GET /api/coverage/stations without HTTP), with and
 *     without the unreached-area overlay;
 *   - the straight-line reach in-process (KD-tree + geodesic) for a street and for the whole
 *     city with `stations` stations, side by side with the naive PostGIS join
 *     (ST_DWithin on geography, buildings × stations);
 *   - nearest station for random points: KD-tree + geodesic against a brute-force geodesic
 *     scan (must agree every time), and how often planar KNN (`geom <-> point`) disagrees.
 *
 *   BENCH_CITY_URL=postgres://postgres@localhost/wangge_bench npx tsx bench/station-reach.ts
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { stationReach, reachMetres } from '../server/station-reach/station-reach.ts';
import { reachCounts, reachStraightLine } from '../server/geo/reach-straight-line.ts';
import { geodesicDistanceM } from '../server/geo/geodesic.ts';
import { nearestGeodesic, nearestIndex } from '../server/geo/nearest-geodesic.ts';
import { createRng } from '../data/generator/index.ts';

export interface StationReachBenchOptions {
  /** Runs per timed workload (medians). */
  runs?: number;
  /** Stations in the whole-city workload (a fixed sample; added at building points when the city has fewer). */
  stations?: number;
  /** Random points for the nearest-station check. */
  points?: number;
  /** Run the naive whole-city PostGIS join (minutes at 100,000 grids). */
  naiveCity?: boolean;
  log?: (line: string) => void;
}

export interface StationReachBenchRow {
  workload: string;
  ms: number;
  /** The naive approach's median, NaN when there is none. */
  naive: number;
  note?: string;
}

export interface StationReachBenchResult {
  rows: StationReachBenchRow[];
  city: { grids: number; buildings: number; stations: number; stationsUsed: number; street: string };
  nearest: { points: number; indexAgrees: number; planarDisagrees: number };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
async function time<T>(runs: number, fn: () => Promise<T> | T): Promise<{ ms: number; last: T }> {
  const samples: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), last };
}

class Rollback extends Error {}

const POINT = sql`CASE WHEN GeometryType(b.geom) = 'POINT' THEN b.geom ELSE ST_PointOnSurface(b.geom) END`;

export async function benchStationReach(
  db: Kysely<DB>,
  options: StationReachBenchOptions = {},
): Promise<StationReachBenchResult> {
  let result: StationReachBenchResult | undefined;
  // A freshly loaded city has no planner statistics yet; without them every query seq-scans.
  await sql`ANALYZE regions, grids, buildings, stations`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      result = await run(trx, options);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result!;
}

async function run(db: Kysely<DB>, options: StationReachBenchOptions): Promise<StationReachBenchResult> {
  const runs = options.runs ?? 10;
  const wanted = options.stations ?? 5000;
  const log = options.log ?? (() => {});
  const reachM = reachMetres(3, 1.2);
  const counts = (
    await sql<{ grids: number; buildings: number; stations: number }>`
      SELECT (SELECT count(*)::int FROM grids) grids, (SELECT count(*)::int FROM buildings) buildings, (SELECT count(*)::int FROM stations) stations`.execute(
      db,
    )
  ).rows[0]!;
  if (counts.stations < wanted) {
    log(
      `[bench] the city has ${counts.stations} stations: adding ${wanted - counts.stations} at random building points (rolled back)`,
    );
    await sql`INSERT INTO stations (code, name, kind, region_code, geom)
      SELECT 'BENCH' || row_number() OVER (), '测试站', 'red_post', b.community_code, ${POINT}
      FROM buildings b ORDER BY md5(b.code) LIMIT ${wanted - counts.stations}`.execute(db);
  }
  // A fixed sample of stations for the whole-city workload, kept in a temp table for the SQL side.
  await sql`CREATE TEMP TABLE bench_stations ON COMMIT DROP AS
    SELECT code, geom FROM stations ORDER BY md5(code) LIMIT ${wanted}`.execute(db);
  await sql`CREATE INDEX ON bench_stations USING gist (geom)`.execute(db);
  await sql`ANALYZE bench_stations`.execute(db);
  const street = (
    await sql<{ code: string }>`SELECT code FROM regions WHERE level = 'street' ORDER BY code OFFSET 1 LIMIT 1`.execute(
      db,
    )
  ).rows[0]!.code;
  const rows: StationReachBenchRow[] = [];

  // 1. One street: the whole call, as GET /api/coverage/stations runs it.
  log(`[bench] street ${street}: whole call`);
  const roads = Number((await sql<{ n: number }>`SELECT count(*)::int n FROM roads`.execute(db)).rows[0]!.n);
  let r!: Awaited<ReturnType<typeof stationReach>>;
  for (const straightLineOnly of roads > 0 ? [true, false] : [true]) {
    const method = straightLineOnly ? 'straight line' : `over the roads (${roads} lines loaded)`;
    await stationReach(db, { region: street }, { straightLineOnly }); // warm
    const call = await time(runs, () => stationReach(db, { region: street }, { straightLineOnly }));
    const callNoAreas = await time(runs, () =>
      stationReach(db, { region: street }, { areas: false, straightLineOnly }),
    );
    const last = call.last;
    if (straightLineOnly) r = last;
    const note = `${last.grids.length} grids, ${last.communities.length} communities, ${last.stations.length} stations, share ${(last.share * 100).toFixed(1)} %`;
    rows.push({
      workload: `one street, whole call ${method}, with unreached areas`,
      ms: call.ms,
      naive: NaN,
      note: `${note}, ${last.unreached.features.length} areas`,
    });
    rows.push({
      workload: `one street, whole call ${method}, without areas (areas=0)`,
      ms: callNoAreas.ms,
      naive: NaN,
      note,
    });
  }

  // 2. One street: straight-line reach (load points + KD-tree + geodesic) vs the PostGIS join.
  const loadPoints = async (where: ReturnType<typeof sql>) =>
    (
      await sql<{ lon: number; lat: number; h: number }>`
      SELECT ST_X(p)::float8 lon, ST_Y(p)::float8 lat, households h
      FROM (SELECT ${POINT} p, b.households FROM buildings b WHERE ${where}) t`.execute(db)
    ).rows;
  const inStreet = sql`b.community_code IN (SELECT code FROM regions WHERE parent_code = ${street})`;
  const streetStations = r.stations.map((s) => [s.lon, s.lat] as [number, number]);
  const reached = (pts: { lon: number; lat: number; h: number }[], stations: [number, number][]) => {
    const c = reachCounts(
      reachStraightLine(
        stations,
        pts.map((p) => [p.lon, p.lat] as [number, number]),
        reachM,
      ),
      pts.length,
    );
    return pts.reduce((s, p, i) => s + (c[i]! > 0 ? p.h : 0), 0);
  };
  const streetFast = await time(runs, async () => reached(await loadPoints(inStreet), streetStations));
  // The SQL a careful author writes: the GiST index on geom proposes, geography decides.
  const naiveStreet = await time(
    Math.min(runs, 5),
    async () =>
      (
        await sql<{ h: number }>`
      SELECT coalesce(sum(b.households), 0)::int h FROM buildings b
      WHERE ${inStreet} AND EXISTS (SELECT 1 FROM stations s WHERE s.geom && ST_Expand(${POINT}, 0.004)
        AND ST_DWithin(s.geom::geography, (${POINT})::geography, ${reachM}))`.execute(db)
      ).rows[0]!.h,
  );
  if (streetFast.last !== naiveStreet.last)
    throw new Error(`street: in-process ${streetFast.last} ≠ PostGIS ${naiveStreet.last} households reached`);
  rows.push({
    workload:
      'one street, straight-line reach (load + KD-tree + geodesic) vs ST_DWithin(geography) join with a GiST bbox prefilter',
    ms: streetFast.ms,
    naive: naiveStreet.ms,
    note: `${streetFast.last} households reached, same in both`,
  });

  // 3. The whole city: every building, `wanted` stations.
  log('[bench] whole city: loading building points');
  const loaded = await time(1, () => loadPoints(sql`true`));
  const pts = loaded.last;
  const targets = pts.map((p) => [p.lon, p.lat] as [number, number]);
  const cityStations = (
    await sql<{
      lon: number;
      lat: number;
    }>`SELECT ST_X(geom)::float8 lon, ST_Y(geom)::float8 lat FROM bench_stations ORDER BY code`.execute(db)
  ).rows.map((s) => [s.lon, s.lat] as [number, number]);
  log(`[bench] whole city: ${targets.length} buildings, ${cityStations.length} stations`);
  const cityFast = await time(Math.max(3, Math.min(runs, 5)), () => {
    const c = reachCounts(reachStraightLine(cityStations, targets, reachM), targets.length);
    return pts.reduce((s, p, i) => s + (c[i]! > 0 ? p.h : 0), 0);
  });
  let naiveCity = NaN;
  let naiveNote = 'naive join not run (BENCH_STATION_NAIVE_CITY=1 runs it)';
  if (options.naiveCity) {
    log('[bench] whole city: naive PostGIS join');
    const naive = await time(
      1,
      async () =>
        (
          await sql<{ h: number }>`
        SELECT coalesce(sum(b.households), 0)::int h FROM buildings b
        WHERE EXISTS (SELECT 1 FROM bench_stations s WHERE ST_DWithin(s.geom::geography, (${POINT})::geography, ${reachM}))`.execute(
            db,
          )
        ).rows[0]!.h,
    );
    if (naive.last !== cityFast.last) throw new Error(`city: in-process ${cityFast.last} ≠ PostGIS ${naive.last}`);
    naiveCity = naive.ms;
    naiveNote = 'same households in both';
  }
  const indexedCity = await time(
    1,
    async () =>
      (
        await sql<{ h: number }>`
      SELECT coalesce(sum(b.households), 0)::int h FROM buildings b
      WHERE EXISTS (SELECT 1 FROM bench_stations s WHERE s.geom && ST_Expand(${POINT}, 0.004)
        AND ST_DWithin(s.geom::geography, (${POINT})::geography, ${reachM}))`.execute(db)
      ).rows[0]!.h,
  );
  if (indexedCity.last !== cityFast.last)
    throw new Error(`city: in-process ${cityFast.last} ≠ indexed PostGIS ${indexedCity.last}`);
  const cityNote = `${targets.length} buildings, ${cityStations.length} stations, ${cityFast.last} of ${pts.reduce((s, p) => s + p.h, 0)} households reached`;
  rows.push({
    workload: `whole city, straight-line reach in-process (${cityStations.length} stations) vs ST_DWithin(geography) join`,
    ms: cityFast.ms,
    naive: naiveCity,
    note: `${cityNote}; ${naiveNote}`,
  });
  rows.push({
    workload: 'whole city, straight-line reach in-process vs ST_DWithin(geography) join with a GiST bbox prefilter',
    ms: cityFast.ms,
    naive: indexedCity.ms,
    note: 'same households in both',
  });
  rows.push({
    workload: `whole city, loading ${targets.length} building points from PostGIS (once)`,
    ms: loaded.ms,
    naive: NaN,
  });
  const allStations = (
    await sql<{
      lon: number;
      lat: number;
    }>`SELECT ST_X(geom)::float8 lon, ST_Y(geom)::float8 lat FROM stations`.execute(db)
  ).rows.map((s) => [s.lon, s.lat] as [number, number]);
  const cityAll = await time(3, () => {
    const c = reachCounts(reachStraightLine(allStations, targets, reachM), targets.length);
    return pts.reduce((s, p, i) => s + (c[i]! > 0 ? p.h : 0), 0);
  });
  rows.push({
    workload: `whole city, straight-line reach in-process with every station (${allStations.length})`,
    ms: cityAll.ms,
    naive: NaN,
    note: `${cityAll.last} households reached`,
  });

  // 4. Nearest station: KD-tree + geodesic vs brute force; planar KNN for comparison (trap 3).
  const n = options.points ?? 1000;
  log(`[bench] nearest station for ${n} random points`);
  const rng = createRng(5);
  const index = nearestIndex(cityStations);
  let agrees = 0;
  let planarDisagrees = 0;
  const stationCodes = (
    await sql<{ code: string }>`SELECT code FROM bench_stations ORDER BY code`.execute(db)
  ).rows.map((s) => s.code);
  for (let i = 0; i < n; i++) {
    const home = targets[Math.floor(rng.next() * targets.length)]!;
    const p: [number, number] = [home[0] + (rng.next() - 0.5) * 0.02, home[1] + (rng.next() - 0.5) * 0.02];
    const fast = nearestGeodesic(index, p)!;
    let brute = 0;
    let bruteD = Infinity;
    cityStations.forEach((s, k) => {
      const d = geodesicDistanceM(p, s);
      if (d < bruteD) [brute, bruteD] = [k, d];
    });
    if (fast.index === brute) agrees++;
    const knn = (
      await sql<{ code: string }>`
      SELECT code FROM bench_stations ORDER BY geom <-> ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326) LIMIT 1`.execute(
        db,
      )
    ).rows[0]!.code;
    if (knn !== stationCodes[brute]) planarDisagrees++;
  }
  return {
    rows,
    city: { ...counts, stationsUsed: cityStations.length, street },
    nearest: { points: n, indexAgrees: agrees, planarDisagrees },
  };
}

export function stationReachTable(label: string, result: StationReachBenchResult): string {
  const lines = [
    `Station reach · ${label} · ${result.city.grids} grids, ${result.city.buildings} buildings, ${result.city.stations} stations (reach 216 m = 3 min × 1.2 m/s; medians)`,
    '',
    '| workload | Wangge (ms) | naive (ms) | naive / Wangge | note |',
    '|---|---:|---:|---:|---|',
    ...result.rows.map((r) => {
      const naive = Number.isFinite(r.naive) ? r.naive.toFixed(1) : '—';
      const ratio = Number.isFinite(r.naive) ? `${(r.naive / r.ms).toFixed(1)}×` : '—';
      return `| ${r.workload} | ${r.ms.toFixed(1)} | ${naive} | ${ratio} | ${r.note ?? ''} |`;
    }),
    '',
    `Nearest station, ${result.nearest.points} random points: KD-tree + geodesic equals the brute-force geodesic scan ${result.nearest.indexAgrees}/${result.nearest.points}; ` +
      `planar KNN (geom <-> point) picks another station ${result.nearest.planarDisagrees}/${result.nearest.points} ` +
      `(${((100 * result.nearest.planarDisagrees) / result.nearest.points).toFixed(1)} %).`,
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_CITY_URL ?? 'postgres://postgres@localhost/wangge_bench';
  const { openDatabase } = await import('../server/db/database.ts');
  const database = await openDatabase({ driver: 'server', connectionString: url });
  try {
    const result = await benchStationReach(database.db, {
      runs: Number(process.env.BENCH_RUNS ?? 10),
      naiveCity: process.env.BENCH_STATION_NAIVE_CITY === '1',
      log: (line) => console.error(line),
    });
    console.log(stationReachTable('server driver', result));
  } finally {
    await database.close();
  }
}
