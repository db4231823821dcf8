/**
 * Case intake with a location (issue 18): POST /api/public/cases under autocannon, JSON without
 * photos, at random points of the demo district, on the server driver (a child process, as in
 * bench/public-locate.ts), with the public and case rate limits off. Routed with the finder's
 * in-process index, and again the naive way (WANGGE_PUBLIC_INDEX=0: a PostGIS point-in-grid
 * query per case), for the ratio. Afterwards every case the runs created is checked against
 * PostGIS: its grid must cover its point (ST_Covers), and a case in no grid must lie in none.
 *
 * The demo district is loaded into a schema of its own in the database, dropped at the end.
 *
 *   npx tsx bench/case-intake.ts            # BENCH_DATABASE_URL, default postgres://postgres@localhost/wangge_bench
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadDemoIfEmpty } from '../data/load.ts';
import { createRng } from '../data/generator/index.ts';
import { cpuMs, startServer, withSearchPath } from './public-locate.ts';

export interface CaseIntakeBenchOptions {
  databaseUrl?: string;
  durationS?: number;
  connections?: number;
  log?: (line: string) => void;
}

export interface CaseIntakeBenchRow {
  mode: 'index' | 'postgis';
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  created: number;
  non2xx: number;
  errors: number;
  cpuUsPerRequest: number;
  loadBefore: number;
}

export interface CaseIntakeBenchResult {
  grids: number;
  rows: CaseIntakeBenchRow[];
  /** Cases checked against ST_Covers, and how many were in the wrong grid (or wrongly in none). */
  checked: number;
  wrong: number;
  outsideGrids: number;
}

const CATEGORIES = ['safety', 'sanitation', 'illegal_building', 'dispute', 'livelihood', 'clutter', 'public_order'];

export async function benchCaseIntake(options: CaseIntakeBenchOptions = {}): Promise<CaseIntakeBenchResult> {
  const databaseUrl =
    options.databaseUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost/wangge_bench';
  const durationS = options.durationS ?? Number(process.env.BENCH_INTAKE_SECONDS ?? 10);
  const connections = options.connections ?? Number(process.env.BENCH_INTAKE_CONNECTIONS ?? 20);
  const log = options.log ?? ((line: string) => console.log(line));

  const schema = `bench_intake_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const database = await openDatabase({ driver: 'server', connectionString: databaseUrl, schema, max: 2 });
  try {
    const db = database.db;
    await migrate(db);
    await loadDemoIfEmpty(db, { demoPassword: 'bench' });
    const grids = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM grids`.execute(db)).rows[0]!.n);

    // Random points of the district (its outline, not its bounding box).
    const ext = (
      await sql<{ x0: number; y0: number; x1: number; y1: number }>`
      SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
      FROM (SELECT ST_Extent(geom)::geometry e FROM regions WHERE level = 'district') t`.execute(db)
    ).rows[0]!;
    const rng = createRng(18);
    const candidates = Array.from({ length: 30_000 }, () => [
      +(ext.x0 + rng.next() * (ext.x1 - ext.x0)).toFixed(6),
      +(ext.y0 + rng.next() * (ext.y1 - ext.y0)).toFixed(6),
    ]);
    const points = (
      await sql<{ x: number; y: number }>`
      SELECT p.x, p.y FROM unnest(${candidates.map((p) => p[0])}::float8[], ${candidates.map((p) => p[1])}::float8[]) AS p(x, y)
      WHERE EXISTS (SELECT 1 FROM regions r WHERE r.level = 'district'
        AND ST_Covers(r.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)))`.execute(db)
    ).rows;
    log(
      `case intake: demo district, ${grids} grids, ${points.length} random points, ${connections} connections × ${durationS} s`,
    );

    const url = withSearchPath(databaseUrl, schema);
    const rows: CaseIntakeBenchRow[] = [];
    for (const index of [true, false]) {
      const server = await startServer(url, index, log, { WANGGE_CASE_RATE_LIMIT: '0' });
      try {
        let i = 0;
        const body = () => {
          const p = points[i % points.length]!;
          const category = CATEGORIES[i++ % CATEGORIES.length]!;
          return JSON.stringify({ category, description: `压测上报 ${i}`, lon: p.x, lat: p.y });
        };
        const request = {
          method: 'POST',
          path: '/api/public/cases',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req: { body?: string }) => ({ ...req, body: body() }),
        };
        await autocannon({ url: server.url, connections, duration: 2, requests: [request] });
        const before = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(db)).rows[0]!.n);
        const loadBefore = +loadavg()[0]!.toFixed(1);
        const cpu0 = cpuMs(server.child.pid!);
        const r = await autocannon({ url: server.url, connections, duration: durationS, requests: [request] });
        const cpuUsPerRequest = Math.round(((cpuMs(server.child.pid!) - cpu0) * 1000) / r.requests.total);
        const after = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM cases`.execute(db)).rows[0]!.n);
        const row: CaseIntakeBenchRow = {
          mode: index ? 'index' : 'postgis',
          requestsPerS: Math.round(r.requests.average),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          maxMs: r.latency.max,
          created: after - before,
          non2xx: r.non2xx,
          errors: r.errors,
          cpuUsPerRequest,
          loadBefore,
        };
        rows.push(row);
        log(
          `  ${row.mode.padEnd(8)} ${String(row.requestsPerS).padStart(6)} req/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  max ${row.maxMs} ms  created ${row.created}  non-2xx ${row.non2xx}  errors ${row.errors}  server CPU ${row.cpuUsPerRequest} µs/request  load ${row.loadBefore}`,
        );
      } finally {
        await server.stop();
      }
    }

    // Every case of both runs (warm-ups included) against PostGIS.
    const check = (
      await sql<{ checked: number; wrong: number; outside: number }>`
      SELECT count(*)::int AS checked,
        count(*) FILTER (WHERE NOT CASE WHEN c.grid_code IS NULL
          THEN NOT EXISTS (SELECT 1 FROM grids g WHERE ST_Covers(g.geom, c.geom))
          ELSE EXISTS (SELECT 1 FROM grids g WHERE g.code = c.grid_code AND ST_Covers(g.geom, c.geom)) END)::int AS wrong,
        count(*) FILTER (WHERE c.grid_code IS NULL)::int AS outside
      FROM cases c WHERE c.geom IS NOT NULL`.execute(db)
    ).rows[0]!;
    log(`  routing checked against ST_Covers: ${check.wrong} of ${check.checked} cases in the wrong grid`);
    if (rows.length === 2)
      log(`  index / PostGIS: ${(rows[0]!.requestsPerS / rows[1]!.requestsPerS).toFixed(2)}× the requests per second`);
    return { grids, rows, checked: check.checked, wrong: check.wrong, outsideGrids: check.outside };
  } finally {
    await database.close();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  }
}

/** The Markdown table for bench/RESULTS.md. */
export function caseIntakeTable(result: CaseIntakeBenchResult): string {
  const lines = [
    '| routing | req/s | p50 (ms) | p99 (ms) | max (ms) | cases created | non-2xx | server CPU (µs/request) | load before |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    const label = r.mode === 'index' ? 'in-process index' : 'PostGIS per case';
    lines.push(
      `| ${label} | ${r.requestsPerS} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.created} | ${r.non2xx} | ${r.cpuUsPerRequest} | ${r.loadBefore} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchCaseIntake()
    .then((r) => {
      console.log(`\n${caseIntakeTable(r)}\n`);
      console.log(`${r.checked} cases checked against ST_Covers, ${r.wrong} wrong, ${r.outsideGrids} in no grid`);
      if (r.wrong > 0) process.exitCode = 1;
    })
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
