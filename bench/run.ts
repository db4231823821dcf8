/**
 * `npm run bench`: the read paths of the demo district, PostGIS with its GiST index side by
 * side with the naive approach, on the embedded driver (and the server driver when
 * BENCH_DATABASE_URL is set). Prints medians and ratios; record them in bench/RESULTS.md.
 * Then the coverage validation bench (bench/validation.ts; 1,000 grids by default, more
 * with BENCH_VALIDATION_SIZES=1000,10000,100000; BENCH_VALIDATION=0 skips it), and the others
 * below (case statistics over 1 M cases: bench/case-stats.ts; grid proposals: bench/proposal.ts); last the first start of a fresh clone (bench/first-start.ts; BENCH_FIRST_START=0 skips it).
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { sql, type Kysely } from 'kysely';
import * as turf from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import type { DB } from '../server/db/schema.ts';
import { listGrids } from '../server/grids/grids.queries.ts';
import { stAsGeoJSON } from '../server/db/postgis.queries.ts';
import { loadDemoIfEmpty } from '../data/load.ts';
import { createRng } from '../data/generator/index.ts';
import { benchValidation, optionsFromEnv, validationTable } from './validation.ts';
import { upperMedian as median } from './stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);

async function time(runs: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return median(samples);
}

async function withSeqScan<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_indexscan = off`.execute(trx);
    await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
    return fn(trx);
  });
}

async function benchDriver(label: string, database: Database) {
  const db = database.db;
  const t0 = performance.now();
  await migrate(db);
  await loadDemoIfEmpty(db, { demoPassword: 'bench' });
  const loadMs = performance.now() - t0;

  const ext = await sql<{ x0: number; y0: number; x1: number; y1: number }>`
    SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
    FROM (SELECT ST_Extent(geom)::geometry e FROM grids) t`.execute(db);
  const { x0, y0, x1, y1 } = ext.rows[0]!;
  const rng = createRng(7);
  const next = () => rng.next();
  const points = Array.from(
    { length: RUNS },
    () => [x0 + next() * (x1 - x0), y0 + next() * (y1 - y0)] as [number, number],
  );
  // A phone-sized viewport at z16 is about 0.005° × 0.008°.
  const boxes = points.map(([x, y]) => [x, y, x + 0.008, y + 0.005] as [number, number, number, number]);

  const pointSql = (trx: Kysely<DB>, [x, y]: [number, number]) =>
    trx
      .selectFrom('grids')
      .select('code')
      .where(sql<boolean>`ST_Contains(geom, ST_SetSRID(ST_Point(${x}, ${y}), 4326))`)
      .execute();

  const bboxIndexed = await time(RUNS, (i) => listGrids(db, { bbox: boxes[i]! }));
  const bboxSeq = await time(RUNS, (i) => withSeqScan(db, (trx) => listGrids(trx, { bbox: boxes[i]! })));
  const pipIndexed = await time(RUNS, (i) => pointSql(db, points[i]!));
  const pipSeq = await time(RUNS, (i) => withSeqScan(db, (trx) => pointSql(trx, points[i]!)));

  // Naive in-process: every grid in memory, turf point-in-polygon over all of them.
  const all = await db
    .selectFrom('grids')
    .select(['code'])
    .select((eb) => stAsGeoJSON<MultiPolygon>(eb.ref('geom')).as('g'))
    .execute();
  const pipTurf = await time(RUNS, (i) =>
    all.filter((r) => turf.booleanPointInPolygon(points[i]!, r.g)).map((r) => r.code),
  );

  return [
    { driver: label, workload: `migrate + load demo district (${all.length} grids)`, ms: loadMs, naive: NaN },
    { driver: label, workload: 'grids in a z16 viewport bbox (GiST vs seq scan)', ms: bboxIndexed, naive: bboxSeq },
    { driver: label, workload: 'point-in-grid (GiST vs seq scan)', ms: pipIndexed, naive: pipSeq },
    {
      driver: label,
      workload: 'point-in-grid (GiST vs turf loop over all grids in JS)',
      ms: pipIndexed,
      naive: pipTurf,
    },
  ];
}

const results = [];
const embedded = await openDatabase({ driver: 'embedded' });
results.push(...(await benchDriver('embedded', embedded)));
await embedded.close();

const url = process.env.BENCH_DATABASE_URL;
if (url) {
  const schema = `wt_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: url, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const server = await openDatabase({ driver: 'server', connectionString: url, schema });
  try {
    results.push(...(await benchDriver('server', server)));
  } finally {
    await server.close();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  }
}

console.log(
  `\nWangge bench · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model} · runs=${RUNS} (medians)\n`,
);
console.log('| driver | workload | Wangge (ms) | naive (ms) | naive / Wangge |');
console.log('|---|---|---:|---:|---:|');
for (const r of results) {
  const ratio = Number.isFinite(r.naive) ? `${(r.naive / r.ms).toFixed(1)}×` : '—';
  const naive = Number.isFinite(r.naive) ? r.naive.toFixed(3) : '—';
  console.log(`| ${r.driver} | ${r.workload} | ${r.ms.toFixed(3)} | ${naive} | ${ratio} |`);
}

// Case intake (issue 18): POST /api/public/cases under autocannon on the server driver, the
// demo district in a schema of its own; routing by the in-process index against PostGIS per
// case, every created case checked against ST_Covers (bench/case-intake.ts).
if (process.env.BENCH_INTAKE !== '0' && url) {
  const { benchCaseIntake, caseIntakeTable } = await import('./case-intake.ts');
  const intake = await benchCaseIntake({ databaseUrl: url, log: (l) => console.error(l) });
  console.log(`\nCase intake with a location · demo district, ${intake.grids} grids · autocannon, JSON, no photos\n`);
  console.log(caseIntakeTable(intake));
  console.log(
    `\n${intake.checked} cases checked against ST_Covers: ${intake.wrong} in the wrong grid, ${intake.outsideGrids} in no grid`,
  );
}

if (process.env.BENCH_VALIDATION !== '0') {
  const options = optionsFromEnv();
  const rows = await benchValidation(options);
  console.log(
    `\nCoverage validation · sizes ${options.sizes.join(', ')} · drivers ${options.drivers.join(', ')} (medians; engine cold = first call in a new process)\n`,
  );
  console.log(validationTable(rows));
}

// Planner coverage (issue 5): station reach of the 100,000-grid city on the server driver,
// straight-line (bench/station-reach.ts) and over the road network (bench/road-network.ts).
// Needs the city in BENCH_DATABASE_URL's public schema (README: npm run demo:city, data/load-city.ts).
if (process.env.BENCH_COVERAGE !== '0' && url) {
  const city = await openDatabase({ driver: 'server', connectionString: url });
  const grids = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM grids`.execute(city.db)).rows[0]!.n);
  if (grids < 10_000) {
    console.log(`\nStation reach: skipped (${grids} grids in ${url}; load the 100,000-grid city first)`);
    await city.close();
  } else {
    try {
      const { benchStationReach, stationReachTable } = await import('./station-reach.ts');
      const reach = await benchStationReach(city.db, {
        runs: Number(process.env.BENCH_REACH_RUNS ?? 9),
        log: (l) => console.error(l),
      });
      console.log('\n' + stationReachTable('server driver', reach));
    } finally {
      await city.close();
    }
    const { benchRoadNetwork, roadOptionsFromEnv, roadTable } = await import('./road-network.ts');
    console.log('\nWalking reach over the road network · server driver (medians)\n');
    console.log(roadTable(await benchRoadNetwork(roadOptionsFromEnv())));

    // Residents' finder (issue 6): /api/public/locate under autocannon from a second process,
    // the in-process index against PostGIS per request.
    const { benchPublicLocate } = await import('./public-locate.ts');
    const pub = await benchPublicLocate({ databaseUrl: url, naive: true, log: (l) => console.error(l) });
    console.log(
      `\nPublic locate · ${pub.grids} grids, ${pub.stations} stations · autocannon, ${(pub.insideGrid * 100).toFixed(0)} % of points inside a grid\n`,
    );
    console.log(
      '| mode | req/s | p50 (ms) | p97.5 (ms) | p99 (ms) | server CPU (µs/request) | RSS (MB) | load before |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of pub.rows) {
      console.log(
        `| ${r.mode} | ${r.requestsPerS} | ${r.p50Ms} | ${r.p97_5Ms} | ${r.p99Ms} | ${r.cpuUsPerRequest} | ${r.rssMB} | ${r.loadBefore} |`,
      );
    }

    // The finder at scale (issue 20): the fast path in front of Express against the Express
    // route, at 10 and 50 connections, alternating (bench/public-finder.ts). BENCH_FINDER=0 skips it.
    if (process.env.BENCH_FINDER !== '0') {
      const { benchPublicFinder, finderTable } = await import('./public-finder.ts');
      console.log('\n' + finderTable(await benchPublicFinder({ databaseUrl: url })));
    }

    // The same workload through nginx (deploy/), in front of one and of two API processes, against
    // one process directly, with the CPU of each part (bench/public-finder-nginx.ts).
    // BENCH_FINDER_NGINX=0 skips it; without nginx installed it is skipped with a note.
    if (process.env.BENCH_FINDER_NGINX !== '0') {
      const { nginxInstalled } = await import('../deploy/processes.ts');
      if (!nginxInstalled()) console.log('\nPublic finder through nginx: skipped (/usr/sbin/nginx is not installed)');
      else {
        const { benchPublicFinderNginx, finderNginxTable } = await import('./public-finder-nginx.ts');
        console.log('\n' + finderNginxTable(await benchPublicFinderNginx({ databaseUrl: url })));
      }
    }

    // Vector tiles (issue 7): served tiles against ST_AsMVT and unsimplified encoding (bench/tiles.ts).
    const { benchTiles, tilesTable } = await import('./tiles.ts');
    const tileDb = await openDatabase({ driver: 'server', connectionString: url });
    try {
      const tiles = await benchTiles(tileDb.db, { log: (l) => console.error(l) });
      console.log(
        `\nVector tiles · server driver · around the densest z10 tile ${tiles.center.x}/${tiles.center.y} (warm)\n`,
      );
      console.log(tilesTable(tiles.rows));
    } finally {
      await tileDb.close();
    }
  }
}

// Bulk import (issue 15): a 100,000-grid city imported as it is through the set-based path,
// side by side with one editor operation per grid (a sample, extrapolated) and ogr2ogr
// (bench/bulk-import.ts). Server driver only; BENCH_BULK=0 skips it.
if (process.env.BENCH_BULK !== '0' && url) {
  const { benchBulkImport, bulkOptionsFromEnv, bulkTable } = await import('./bulk-import.ts');
  console.log('\n' + bulkTable(await benchBulkImport(bulkOptionsFromEnv(url))));
}

// OGC paging and streaming export (issue 20): ogr2ogr with GDAL's default page size over the
// 100,000-grid city, one page at the first and the last position by keyset and by OFFSET, and a
// streamed whole-layer export (bench/ogc-paging.ts). Server driver only; BENCH_OGC=0 skips it.
if (process.env.BENCH_OGC !== '0' && url) {
  const { benchOgcPaging, ogcOptionsFromEnv, ogcTable } = await import('./ogc-paging.ts');
  console.log('\n' + ogcTable(await benchOgcPaging(ogcOptionsFromEnv(url))));
}

// Cases (issue 18): statistics for a district-year of 1,000,000 cases, the summaries against
// the naive aggregate over cases (bench/case-stats.ts). Server driver only; BENCH_CASE_STATS=0 skips it.
if (process.env.BENCH_CASE_STATS !== '0' && url) {
  const { benchCaseStats, caseStatsOptionsFromEnv, caseStatsTable } = await import('./case-stats.ts');
  console.log('\n' + caseStatsTable(await benchCaseStats(caseStatsOptionsFromEnv(url))));
}

// Grid proposals (issue 19): the proposal against turf k-means and greedy floor-only growth on
// the demo district (fresh per community, rebalance) and generated streets of 5,000 and 20,000
// buildings (bench/proposal.ts; 20,000 on the server driver only). BENCH_PROPOSAL=0 skips it.
if (process.env.BENCH_PROPOSAL !== '0') {
  const { benchProposal, proposalOptionsFromEnv } = await import('./proposal.ts');
  const { proposalTables } = await import('./proposal-table.ts');
  console.log('\n' + proposalTables(await benchProposal(proposalOptionsFromEnv(url))));
}

// Load and abuse (issue 8): 50 editors racing on two grids, 50 renames with one If-Match,
// the public API flooded from one address while a planner works (bench/reliability.ts).
if (process.env.BENCH_RELIABILITY !== '0') {
  const { benchReliability, reliabilityTable } = await import('./reliability.ts');
  console.log('\nReliability under load (demo district)\n');
  console.log(reliabilityTable(await benchReliability()));
}

// First start (issue 17): `npm start` on a fresh clone, to /api/health and to a drawn map; a
// few minutes (BENCH_FIRST_START_RUNS=3 runs of three starts each).
if (process.env.BENCH_FIRST_START !== '0') {
  const { benchFirstStart, firstStartOptionsFromEnv, firstStartTable } = await import('./first-start.ts');
  const options = firstStartOptionsFromEnv();
  const rows = await benchFirstStart(options);
  console.log(`\nFirst start · a fresh clone of HEAD · ${options.runs} runs (medians)\n`);
  console.log(firstStartTable(rows));
}
