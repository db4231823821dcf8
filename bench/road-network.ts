/**
 * Road-network reach bench (issue 5): walking reach of stations over the generated street
 * network (data/generator/roads.ts) of the 100,000-grid city on the server driver, for one
 * street and for the whole city with 5,000 stations and every building as a target; side
 * by side with an unbounded per-source Dijkstra (the naive search) and with straight-line
 * reach (KDBush + local geodesic metric) for contrast. Called by bench/run.ts, or alone:
 *
 *   BENCH_DATABASE_URL=postgres://postgres@localhost/wangge_bench npx tsx bench/road-network.ts
 *
 * Needs the city loaded (npm run demo:city -- --grids 100000; data/load-city.ts). The first
 * run generates and stores the city's roads (one replace per district, ~1 M lines) and
 * applies migration 0004 only (no other pending migration is touched).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import KDBush from 'kdbush';
import { openDatabase } from '../server/db/database.ts';
import { migrate, readMigrations } from '../server/db/migrate.ts';
import type { DB } from '../server/db/schema.ts';
import { generateDistrictRoads } from '../data/generator/roads.ts';
import type { Dataset } from '../data/generator/types.ts';
import { clearRoadGraphCache, loadRoadGraph, replaceRoads } from '../server/roads/roads.queries.ts';
import {
  buildRoadGraph,
  reachedDiscs,
  reachOverNetwork,
  snapToRoad,
  TOLERANCE_M,
  type RoadGraph,
} from '../server/geo/road-network.ts';
import { BoundedSearch } from '../server/geo/road-search.ts';
import { localDistanceM, metresPerDegree } from '../server/geo/local-metric.ts';

type P = [number, number];
type BBox = [number, number, number, number];

export interface RoadBenchRow {
  workload: string;
  ms: number;
  naive: number;
  note: string;
}

export interface RoadBenchOptions {
  url: string;
  cityDir: string;
  stations: number;
  reachM: number;
  streetRuns: number;
  cityRuns: number;
  /** Sources the naive search runs from at city scale (it is extrapolated to all of them). */
  naiveSample: number;
}

export function roadOptionsFromEnv(env = process.env): RoadBenchOptions {
  return {
    url: env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost/wangge_bench',
    cityDir: env.BENCH_CITY_DIR ?? 'data/city',
    stations: Number(env.BENCH_ROAD_STATIONS ?? 5_000),
    reachM: Number(env.BENCH_ROAD_REACH_M ?? 216), // 3 min at 1.2 m/s
    streetRuns: Number(env.BENCH_ROAD_STREET_RUNS ?? 20),
    cityRuns: Number(env.BENCH_ROAD_CITY_RUNS ?? 3),
    naiveSample: Number(env.BENCH_ROAD_NAIVE_SAMPLE ?? 20),
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
async function time<T>(runs: number, fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const samples: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), value };
}

/** Generate and store the roads of every district of the city (once). */
async function ensureCityRoads(db: Kysely<DB>, cityDir: string, log: (m: string) => void): Promise<void> {
  const have = await db
    .selectFrom('roads')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  if (have.n > 0) return;
  const index = JSON.parse(readFileSync(join(cityDir, 'index.json'), 'utf8')) as {
    districts: { code: string; file: string; grids: number }[];
  };
  const started = performance.now();
  let lines = 0;
  for (const [k, d] of index.districts.entries()) {
    const dataset = JSON.parse(readFileSync(join(cityDir, d.file), 'utf8')) as Dataset;
    // The district's own plan: same seed, centre, cell size, lattice and streets.
    const roads = generateDistrictRoads(
      {
        seed: dataset.meta.seed,
        centre: dataset.meta.centre,
        nx: dataset.meta.lattice.nx,
        ny: dataset.meta.lattice.ny,
        areaKm2: dataset.meta.lattice.areaKm2,
        streets: dataset.regions
          .filter((r) => r.level === 'street')
          .map((r) => ({ seq: r.code.slice(6, 9), name: r.name })),
        cellSize: dataset.meta.cellSize,
        code: d.code.slice(0, 6),
      },
      dataset,
    );
    const rows = roads.features.map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      kind: f.properties.kind,
      coordinates: f.geometry.coordinates as P[],
    }));
    await replaceRoads(db, d.code, rows);
    lines += rows.length;
    if ((k + 1) % 50 === 0 || k + 1 === index.districts.length)
      log(
        `[roads] ${k + 1}/${index.districts.length} districts, ${lines} lines, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  }
}

async function points(db: Kysely<DB>, table: 'stations' | 'buildings', bbox: BBox | null): Promise<P[]> {
  const where = bbox ? sql`WHERE geom && ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)` : sql``;
  const rows = await sql<{ x: number; y: number }>`
    SELECT ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT id, ST_PointOnSurface(geom) p FROM ${sql.table(table)} ${where}) t ORDER BY id`.execute(
    db,
  );
  return rows.rows.map((r) => [r.x, r.y]);
}

/** The naive search: a full Dijkstra from each source (no bound), then every target checked. */
function naiveReach(graph: RoadGraph, sources: P[], targets: P[], reachM: number): Int32Array[] {
  const snaps = targets.map(([lon, lat]) => snapToRoad(graph, lon, lat));
  const search = new BoundedSearch(graph);
  const direct = Math.min(graph.accessCapM, reachM);
  return sources.map(([lon, lat]) => {
    const source = snapToRoad(graph, lon, lat);
    if (source) {
      search.seedSnap(source, Infinity);
      search.run(Infinity);
    }
    const out: number[] = [];
    targets.forEach(([tlon, tlat], j) => {
      const snap = snaps[j];
      if (localDistanceM(lon, lat, tlon, tlat) <= direct + TOLERANCE_M) out.push(j);
      else if (source && snap && search.distanceTo(snap, source) <= reachM + TOLERANCE_M) out.push(j);
    });
    search.reset();
    return Int32Array.from(out);
  });
}

/** Straight-line reach for contrast: KDBush box query, local metric check. */
function straightReach(sources: P[], targets: P[], reachM: number): Int32Array[] {
  const index = new KDBush(targets.length);
  for (const [lon, lat] of targets) index.add(lon, lat);
  index.finish();
  return sources.map(([lon, lat]) => {
    const [mx, my] = metresPerDegree(lat);
    const dLon = (reachM * 1.01) / mx;
    const dLat = (reachM * 1.01) / my;
    const ids = index
      .range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)
      .filter((j) => localDistanceM(lon, lat, targets[j]![0], targets[j]![1]) <= reachM);
    return Int32Array.from(ids).sort();
  });
}

const same = (a: Int32Array[], b: Int32Array[]) =>
  a.length === b.length && a.every((x, k) => x.length === b[k]!.length && x.every((v, i) => v === b[k]![i]));
const total = (lists: Int32Array[]) => lists.reduce((s, l) => s + l.length, 0);

export async function benchRoadNetwork(
  options: RoadBenchOptions,
  log: (m: string) => void = console.error,
): Promise<RoadBenchRow[]> {
  const database = await openDatabase({ driver: 'server', connectionString: options.url });
  const db = database.db;
  const rows: RoadBenchRow[] = [];
  try {
    await migrate(
      db,
      readMigrations().filter((m) => m.version <= '0004'),
    );
    await ensureCityRoads(db, options.cityDir, log);
    const { reachM } = options;

    // One street: its bbox, the roads around it, its stations, the buildings within reach.
    const street = await sql<{ code: string; x0: number; y0: number; x1: number; y1: number }>`
      SELECT code, ST_XMin(geom)::float8 x0, ST_YMin(geom)::float8 y0, ST_XMax(geom)::float8 x1, ST_YMax(geom)::float8 y1
      FROM regions WHERE level = 'street' ORDER BY code LIMIT 1`.execute(db);
    const s = street.rows[0]!;
    const bbox: BBox = [s.x0, s.y0, s.x1, s.y1];
    const [mx, my] = metresPerDegree(s.y1);
    const grown: BBox = [s.x0 - reachM / mx, s.y0 - reachM / my, s.x1 + reachM / mx, s.y1 + reachM / my];
    const stations = await points(db, 'stations', bbox);
    const buildings = await points(db, 'buildings', grown);
    const load = await time(options.streetRuns, () => (clearRoadGraphCache(db), loadRoadGraph(db, bbox)));
    const warm = await time(options.streetRuns, () => loadRoadGraph(db, bbox));
    const graph = load.value!;
    const build = await time(options.streetRuns, () => buildRoadGraph(graphLines(graph)));
    const reach = await time(options.streetRuns, () => reachOverNetwork(graph, stations, buildings, reachM));
    const naive = await time(Math.min(5, options.streetRuns), () => naiveReach(graph, stations, buildings, reachM));
    const straight = await time(options.streetRuns, () => straightReach(stations, buildings, reachM));
    const where = `street ${s.code}: ${stations.length} stations, ${buildings.length} buildings, ${graph.edgeLen.length} edges`;
    rows.push({
      workload: `one street: load roads + build graph (SQL + JS)`,
      ms: load.ms,
      naive: NaN,
      note: `${where}; build alone ${build.ms.toFixed(1)} ms; cached (roads unchanged) ${warm.ms.toFixed(1)} ms`,
    });
    rows.push({
      workload: `one street: reachOverNetwork ${reachM} m (bounded vs unbounded Dijkstra)`,
      ms: reach.ms,
      naive: naive.ms,
      note: `${total(reach.value)} station–building pairs; same answers: ${same(reach.value, naive.value)}`,
    });
    rows.push({
      workload: `one street: straight-line reach ${reachM} m (contrast)`,
      ms: straight.ms,
      naive: NaN,
      note: `${total(straight.value)} pairs (network reaches ${((100 * total(reach.value)) / Math.max(1, total(straight.value))).toFixed(0)} % of them)`,
    });
    const discs = await time(options.streetRuns, () => reachedDiscs(graph, stations, reachM));
    rows.push({
      workload: `one street: reachedDiscs ${reachM} m (the reached area as discs)`,
      ms: discs.ms,
      naive: NaN,
      note: `${discs.value.length} discs`,
    });
    log(`[roads] street done`);

    // The whole city: every road, 5,000 stations (every k-th by id), every building.
    const allStations = await points(db, 'stations', null);
    const step = Math.max(1, Math.floor(allStations.length / options.stations));
    const cityStations = allStations.filter((_, k) => k % step === 0).slice(0, options.stations);
    const cityBuildings = await points(db, 'buildings', null);
    const ext = await sql<{ x0: number; y0: number; x1: number; y1: number }>`
      SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1 FROM (SELECT ST_Extent(geom)::geometry e FROM roads) t`.execute(
      db,
    );
    const e = ext.rows[0]!;
    const cityBox: BBox = [e.x0, e.y0, e.x1, e.y1];
    const cityLoad = await time(options.cityRuns, () => (clearRoadGraphCache(db), loadRoadGraph(db, cityBox, 0)));
    const cityWarm = await time(options.cityRuns, () => loadRoadGraph(db, cityBox, 0));
    const cityGraph = cityLoad.value!;
    const cityBuild = await time(options.cityRuns, () => buildRoadGraph(graphLines(cityGraph)));
    const cityReach = await time(options.cityRuns, () =>
      reachOverNetwork(cityGraph, cityStations, cityBuildings, reachM),
    );
    const sample = cityStations.slice(0, options.naiveSample);
    const cityNaive = await time(1, () => naiveReach(cityGraph, sample, cityBuildings, reachM));
    const cityStraight = await time(options.cityRuns, () => straightReach(cityStations, cityBuildings, reachM));
    const agree = same(cityReach.value.slice(0, sample.length), cityNaive.value);
    rows.push({
      workload: `city: load roads + build graph (SQL + JS)`,
      ms: cityLoad.ms,
      naive: NaN,
      note: `${cityGraph.edgeLen.length} edges, ${cityGraph.nodeLon.length} nodes, ${(cityGraph.lengthM / 1000).toFixed(0)} km; build alone ${cityBuild.ms.toFixed(0)} ms; cached ${cityWarm.ms.toFixed(0)} ms`,
    });
    rows.push({
      workload: `city: reachOverNetwork ${reachM} m, ${cityStations.length} stations × ${cityBuildings.length} buildings`,
      ms: cityReach.ms,
      naive: (cityNaive.ms * cityStations.length) / sample.length,
      note: `${total(cityReach.value)} pairs; naive = unbounded Dijkstra, timed on ${sample.length} stations and scaled; same answers on those: ${agree}`,
    });
    const cityDiscs = await time(options.cityRuns, () => reachedDiscs(cityGraph, cityStations, reachM));
    rows.push({
      workload: `city: reachedDiscs ${reachM} m, ${cityStations.length} stations`,
      ms: cityDiscs.ms,
      naive: NaN,
      note: `${cityDiscs.value.length} discs`,
    });
    rows.push({
      workload: `city: straight-line reach ${reachM} m (contrast)`,
      ms: cityStraight.ms,
      naive: NaN,
      note: `${total(cityStraight.value)} pairs`,
    });
  } finally {
    await database.close();
  }
  return rows;
}

/** The graph's edges as two-point lines (to time the build alone on the same input size). */
function graphLines(g: RoadGraph): P[][] {
  const lines: P[][] = [];
  for (let k = 0; k < g.edgeA.length; k++) {
    lines.push([
      [g.nodeLon[g.edgeA[k]!]!, g.nodeLat[g.edgeA[k]!]!],
      [g.nodeLon[g.edgeB[k]!]!, g.nodeLat[g.edgeB[k]!]!],
    ]);
  }
  return lines;
}

export function roadTable(rows: RoadBenchRow[]): string {
  const out = ['| workload | Wangge (ms) | naive (ms) | naive / Wangge | note |', '|---|---:|---:|---:|---|'];
  for (const r of rows) {
    const naive = Number.isFinite(r.naive) ? r.naive.toFixed(1) : '—';
    const ratio = Number.isFinite(r.naive) ? `${(r.naive / r.ms).toFixed(1)}×` : '—';
    out.push(`| ${r.workload} | ${r.ms.toFixed(1)} | ${naive} | ${ratio} | ${r.note} |`);
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchRoadNetwork(roadOptionsFromEnv());
  console.log(roadTable(rows));
}
