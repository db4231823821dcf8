/**
 * GET /api/public/locate under load (issue 6): the real server (server driver) in a child
 * process, autocannon in this one, random points over the city's extent, with the in-process
 * index and with it switched off (PostGIS per request: GiST point-in-grid + KNN shortlist
 * re-ranked by geography distance), for the ratio. The city's 100,000 grids are used as they
 * are; stations are sampled down to `stations` (default 5,000, the issue's figure) in a schema
 * of views over public (only `stations` is a real table there), so nothing in public changes.
 *
 *   npx tsx bench/public-locate.ts          # BENCH_CITY_URL, default postgres://postgres@localhost/wangge_bench
 *   BENCH_PUBLIC_STATIONS=0 …               # all stations of the city
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { openDatabase } from '../server/db/database.ts';
import { createRng } from '../data/generator/index.ts';

export interface PublicLocateBenchOptions {
  databaseUrl?: string;
  /** Stations to sample (0: all of the city's). */
  stations?: number;
  durationS?: number;
  connections?: number;
  /** Also run with the index off (PostGIS per request). */
  naive?: boolean;
  log?: (line: string) => void;
}

export interface PublicLocateBenchRow {
  mode: 'index' | 'postgis';
  requestsPerS: number;
  p50Ms: number;
  p97_5Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** The server process's resident memory after the run. */
  rssMB: number;
  /** Index build time reported by the server (index mode). */
  buildMs?: number;
  /** Server CPU time per request (user + system): the cost that sets the ceiling on a quiet core. */
  cpuUsPerRequest: number;
  /** 1-minute load average just before the run: other work on the machine skews the figures. */
  loadBefore: number;
}

export interface PublicLocateBenchResult {
  grids: number;
  stations: number;
  /** Share of the random points that fall inside a grid. */
  insideGrid: number;
  rows: PublicLocateBenchRow[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A schema of views over public with `stations` replaced by a fixed sample (md5 order). */
export async function sampleSchema(databaseUrl: string, stations: number): Promise<string> {
  const schema = `bench_public_${stations}`;
  const database = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
  const db = database.db;
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('stations', 'spatial_ref_sys')`.execute(
    db,
  );
  for (const { name } of tables.rows) {
    await sql`CREATE VIEW ${sql.id(schema, name)} AS SELECT * FROM public.${sql.id(name)}`.execute(db);
  }
  await sql`CREATE TABLE ${sql.id(schema, 'stations')} AS SELECT * FROM public.stations ORDER BY md5(code) LIMIT ${stations}`.execute(
    db,
  );
  await sql`CREATE INDEX ON ${sql.id(schema, 'stations')} USING gist (geom)`.execute(db);
  await sql`CREATE UNIQUE INDEX ON ${sql.id(schema, 'stations')} (code)`.execute(db);
  await sql`ANALYZE ${sql.id(schema, 'stations')}`.execute(db);
  await database.close();
  return schema;
}

export function withSearchPath(databaseUrl: string, schema: string | null): string {
  if (!schema) return databaseUrl;
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return url.toString();
}

/** CPU time (user + system) the process has used, ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
}

export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export interface Running {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** `node --import tsx server/main.ts`, ready once validation has warmed up (and the index is built). */
export async function startServer(
  databaseUrl: string,
  index: boolean,
  log: (line: string) => void,
  /** More environment for the server (e.g. another rate limit switched off). */
  env: Record<string, string> = {},
  /** More node options (e.g. --cpu-prof). */
  nodeArgs: string[] = [],
): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      WANGGE_LOAD_DEMO: '0',
      WANGGE_PUBLIC_RATE_LIMIT: '0',
      WANGGE_PUBLIC_INDEX: index ? '1' : '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(8000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output.slice(-2000)}`);
    if (Date.now() - started > 600_000) {
      await stop();
      throw new Error(`the server was not ready in 10 minutes: ${output.slice(-2000)}`);
    }
    if (/Validation (ready|warm-up failed)/.test(output)) {
      const status = await fetch(`${url}/api/public/status`)
        .then((r) => r.json() as Promise<{ state: string; searchEntries?: number }>)
        .catch(() => null);
      if (status && (status.state === 'off' || (status.state === 'ready' && (status.searchEntries ?? 0) > 0))) break;
    }
    await sleep(500);
  }
  log(
    `  server ${index ? 'with index' : 'PostGIS per request'} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { child, url, stop };
}

/** The city's grid and station counts and the grids' extent (where the benches sample points). */
export async function cityCounts(
  db: Kysely<DB>,
): Promise<{ grids: number; stations: number; x0: number; y0: number; x1: number; y1: number }> {
  return (
    await sql<{ grids: number; stations: number; x0: number; y0: number; x1: number; y1: number }>`
    SELECT (SELECT count(*) FROM grids)::int AS grids, (SELECT count(*) FROM stations)::int AS stations,
      ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
    FROM (SELECT ST_Extent(geom)::geometry e FROM grids) t`.execute(db)
  ).rows[0]!;
}

export async function benchPublicLocate(options: PublicLocateBenchOptions = {}): Promise<PublicLocateBenchResult> {
  const databaseUrl = options.databaseUrl ?? process.env.BENCH_CITY_URL ?? 'postgres://postgres@localhost/wangge_bench';
  const wanted = options.stations ?? Number(process.env.BENCH_PUBLIC_STATIONS ?? 5000);
  const durationS = options.durationS ?? 10;
  const connections = options.connections ?? Number(process.env.BENCH_PUBLIC_CONNECTIONS ?? 50);
  const log = options.log ?? ((line: string) => console.log(line));

  const database = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
  const counts = await cityCounts(database.db);
  const rng = createRng(6);
  const points = Array.from({ length: 20_000 }, () => [
    +(counts.x0 + rng.next() * (counts.x1 - counts.x0)).toFixed(6),
    +(counts.y0 + rng.next() * (counts.y1 - counts.y0)).toFixed(6),
  ]);
  const sample = points.slice(0, 1000);
  const inside = (
    await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM unnest(${sample.map((p) => p[0])}::float8[], ${sample.map((p) => p[1])}::float8[]) AS p(x, y)
    WHERE EXISTS (SELECT 1 FROM grids g WHERE ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)))`.execute(
      database.db,
    )
  ).rows[0]!.n;
  await database.close();

  const schema = wanted > 0 && wanted < counts.stations ? await sampleSchema(databaseUrl, wanted) : null;
  const stations = schema ? wanted : counts.stations;
  log(
    `public locate: ${counts.grids} grids, ${stations} stations${schema ? ` (sample in schema ${schema})` : ''}, ${connections} connections × ${durationS} s`,
  );
  const url = withSearchPath(databaseUrl, schema);

  const rows: PublicLocateBenchRow[] = [];
  for (const index of options.naive === false ? [true] : [true, false]) {
    const server = await startServer(url, index, log);
    try {
      let i = 0;
      const next = () => {
        const p = points[i++ % points.length]!;
        return `/api/public/locate?lon=${p[0]}&lat=${p[1]}`;
      };
      // A short warm-up (JIT, pool connections), then the measured run.
      await autocannon({
        url: server.url,
        connections,
        duration: 2,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: next() }) }],
      });
      const loadBefore = +loadavg()[0]!.toFixed(1);
      const cpu0 = cpuMs(server.child.pid!);
      const r = await autocannon({
        url: server.url,
        connections,
        duration: durationS,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: next() }) }],
      });
      const cpuUsPerRequest = Math.round(((cpuMs(server.child.pid!) - cpu0) * 1000) / r.requests.total);
      const status = await fetch(`${server.url}/api/public/status`).then(
        (res) => res.json() as Promise<{ buildMs?: number }>,
      );
      const row: PublicLocateBenchRow = {
        mode: index ? 'index' : 'postgis',
        requestsPerS: Math.round(r.requests.average),
        p50Ms: r.latency.p50,
        p97_5Ms: r.latency.p97_5,
        p99Ms: r.latency.p99,
        maxMs: r.latency.max,
        non2xx: r.non2xx,
        errors: r.errors,
        rssMB: rssMB(server.child.pid!),
        cpuUsPerRequest,
        loadBefore,
        ...(status.buildMs ? { buildMs: status.buildMs } : {}),
      };
      rows.push(row);
      log(
        `  ${row.mode.padEnd(8)} ${String(row.requestsPerS).padStart(6)} req/s  p50 ${row.p50Ms} ms  p97.5 ${row.p97_5Ms} ms  p99 ${row.p99Ms} ms  max ${row.maxMs} ms  non-2xx ${row.non2xx}  errors ${row.errors}  server CPU ${row.cpuUsPerRequest} µs/request  RSS ${row.rssMB} MB  load ${row.loadBefore}${row.buildMs ? `  index built in ${row.buildMs} ms` : ''}`,
      );
    } finally {
      await server.stop();
    }
  }
  if (schema) {
    const cleanup = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(cleanup.db);
    await cleanup.close();
  }
  if (rows.length === 2)
    log(`  index / PostGIS: ${(rows[0]!.requestsPerS / rows[1]!.requestsPerS).toFixed(1)}× the requests per second`);
  return { grids: counts.grids, stations, insideGrid: inside / sample.length, rows };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchPublicLocate()
    .then((r) => console.log(`  ${(r.insideGrid * 100).toFixed(0)} % of the random points fall inside a grid`))
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
