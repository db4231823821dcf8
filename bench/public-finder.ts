/**
 * The public finder at scale (issue 20): GET /api/public/locate under autocannon on the server
 * driver with the 100,000-grid city and 5,000 stations, at 10 and at 50 connections, the fast
 * path (server/public/finder-fast-path.ts) side by side with the Express path
 * (WANGGE_PUBLIC_FAST_PATH=0) in one run. Both servers run at once and the runs alternate
 * (Express, fast, Express, fast …) `rounds` times, so the machine's other work falls on both
 * alike; medians are reported. autocannon runs in this process: its CPU share is measured, as
 * on a 2-core machine it takes most of the second core.
 *
 *   npx tsx bench/public-finder.ts     # BENCH_CITY_URL (default postgres://postgres@localhost/wangge_bench)
 *   BENCH_FINDER_PROFILE=var/prof …    # also a CPU profile (node --cpu-prof) of each server, summarised
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { createRng } from '../data/generator/index.ts';
import { spawn } from 'node:child_process';
import {
  cityCounts,
  cpuMs,
  freePort,
  rssMB,
  sampleSchema,
  startServer,
  withSearchPath,
  type Running,
} from './public-locate.ts';
import { profileTable, summariseProfile, type ProfileWindow } from './cpu-profile.ts';
import { median } from './stats.ts';

export type FinderMode = 'express' | 'fast' | 'bare';

/**
 * The ceiling on this machine with autocannon beside it: a bare node:http server answering one
 * fixed body of the finder's size (no parsing, no lookup), the same headers' size.
 */
const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.alloc(Number(process.env.BODY_BYTES), 'x');
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length,
  'cache-control': 'no-store', 'x-padding': 'p'.repeat(Number(process.env.HEADER_BYTES)) };
const server = http.createServer((req, res) => { res.writeHead(200, headers); res.end(body); });
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('bare ready'));
process.on('SIGTERM', () => process.exit(0));
`;

async function startBare(bodyBytes: number, headerBytes: number): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', BARE_SERVER], {
    env: { ...process.env, PORT: String(port), BODY_BYTES: String(bodyBytes), HEADER_BYTES: String(headerBytes) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('bare ready') && resolve());
    child.once('exit', () => reject(new Error('the bare server exited')));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface FinderBenchOptions {
  databaseUrl?: string;
  stations?: number;
  durationS?: number;
  connectionCounts?: number[];
  rounds?: number;
  /** A directory for CPU profiles (one profiled run per mode at the last connection count). */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface FinderRun {
  mode: FinderMode;
  connections: number;
  round: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Server CPU over the run, % of one core. */
  serverCpu: number;
  /** autocannon's (this process's) CPU over the run, % of one core. */
  clientCpu: number;
  cpuUsPerRequest: number;
  loadBefore: number;
}

export interface FinderRow {
  mode: FinderMode;
  connections: number;
  requestsPerS: number;
  p99Ms: number;
  p50Ms: number;
  serverCpu: number;
  clientCpu: number;
  cpuUsPerRequest: number;
  runs: FinderRun[];
}

export interface FinderBenchResult {
  grids: number;
  stations: number;
  durationS: number;
  rows: FinderRow[];
  rssMB: Record<'express' | 'fast', number>;
  profiles: { mode: FinderMode; table: string }[];
}

async function measure(
  server: Running,
  path: () => string,
  connections: number,
  durationS: number,
  /** Told the measured run's start and end (performance.now(), ms). */
  measured?: (startMs: number, endMs: number) => void,
): Promise<Omit<FinderRun, 'mode' | 'round'>> {
  const requests = [{ method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: path() }) }];
  await autocannon({ url: server.url, connections, duration: 2, requests }); // warm-up: JIT, sockets
  const loadBefore = +loadavg()[0]!.toFixed(1);
  const cpu0 = cpuMs(server.child.pid!);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({ url: server.url, connections, duration: durationS, requests });
  const wallMs = performance.now() - t0;
  measured?.(t0, t0 + wallMs);
  const serverMs = cpuMs(server.child.pid!) - cpu0;
  const client = process.cpuUsage(client0);
  return {
    connections,
    requestsPerS: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpu: Math.round((serverMs / wallMs) * 100),
    clientCpu: Math.round(((client.user + client.system) / 1000 / wallMs) * 100),
    cpuUsPerRequest: Math.round((serverMs * 1000) / r.requests.total),
    loadBefore,
  };
}

/**
 * The finder's workload: the city's grid and station counts and 20,000 random points over its
 * extent (seed 20), as request paths. bench/public-finder-nginx.ts sends the same points.
 */
export async function finderPoints(
  databaseUrl: string,
): Promise<{ grids: number; stations: number; points: string[] }> {
  const database = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
  const c = await cityCounts(database.db);
  await database.close();
  const rng = createRng(20);
  const points = Array.from(
    { length: 20_000 },
    () =>
      `/api/public/locate?lon=${(c.x0 + rng.next() * (c.x1 - c.x0)).toFixed(6)}&lat=${(c.y0 + rng.next() * (c.y1 - c.y0)).toFixed(6)}`,
  );
  return { grids: c.grids, stations: c.stations, points };
}

export async function benchPublicFinder(options: FinderBenchOptions = {}): Promise<FinderBenchResult> {
  const databaseUrl = options.databaseUrl ?? process.env.BENCH_CITY_URL ?? 'postgres://postgres@localhost/wangge_bench';
  const wanted = options.stations ?? Number(process.env.BENCH_PUBLIC_STATIONS ?? 5000);
  const durationS = options.durationS ?? Number(process.env.BENCH_FINDER_SECONDS ?? 10);
  const connectionCounts = options.connectionCounts ?? [10, 50];
  const rounds = options.rounds ?? Number(process.env.BENCH_FINDER_ROUNDS ?? 2);
  const profileDir = options.profileDir ?? process.env.BENCH_FINDER_PROFILE;
  const log = options.log ?? ((line: string) => console.error(line));

  const { grids, stations: stationCount, points } = await finderPoints(databaseUrl);
  const schema = wanted > 0 && wanted < stationCount ? await sampleSchema(databaseUrl, wanted) : null;
  const stations = schema ? wanted : stationCount;
  const url = withSearchPath(databaseUrl, schema);
  log(
    `public finder: ${grids} grids, ${stations} stations, ${connectionCounts.join(' and ')} connections × ${durationS} s, ${rounds} rounds`,
  );

  const modes = ['express', 'fast'] as const;
  const env = (mode: 'express' | 'fast') => ({ WANGGE_PUBLIC_FAST_PATH: mode === 'fast' ? '1' : '0' });
  const servers = new Map<FinderMode, Running>();
  const runs: FinderRun[] = [];
  const rss = {} as Record<'express' | 'fast', number>;
  const profiles: FinderBenchResult['profiles'] = [];
  try {
    for (const mode of modes) servers.set(mode, await startServer(url, true, log, env(mode)));
    // The bare server answers as many bytes as the finder does (headers and body) for the same point.
    const probe = await fetch(`${servers.get('fast')!.url}${points[0]}`);
    const bodyBytes = (await probe.arrayBuffer()).byteLength;
    let headerBytes = 0;
    probe.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
    servers.set('bare', await startBare(bodyBytes, Math.max(0, headerBytes - 120)));
    let i = 0;
    const path = () => points[i++ % points.length]!;
    for (let round = 1; round <= rounds; round++) {
      for (const connections of connectionCounts) {
        for (const mode of [...modes, 'bare' as const]) {
          const run = { mode, round, ...(await measure(servers.get(mode)!, path, connections, durationS)) };
          runs.push(run);
          log(
            `  round ${round} ${mode.padEnd(7)} ${String(connections).padStart(2)} conn ${String(run.requestsPerS).padStart(6)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  non-2xx ${run.non2xx}  errors ${run.errors}  server CPU ${run.serverCpu} % (${run.cpuUsPerRequest} µs/req)  autocannon CPU ${run.clientCpu} %  load ${run.loadBefore}`,
          );
        }
      }
    }
    for (const mode of modes) rss[mode] = rssMB(servers.get(mode)!.child.pid!);
  } finally {
    for (const server of servers.values()) await server.stop();
  }

  if (profileDir) {
    // Profiled separately: the profiler's own cost stays out of the figures above.
    const connections = connectionCounts.at(-1)!;
    for (const mode of modes) {
      const dir = resolve(profileDir, mode);
      mkdirSync(dir, { recursive: true });
      const server = await startServer(url, true, log, env(mode), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const before = new Set(readdirSync(dir));
      let window: ProfileWindow | undefined;
      let run: Omit<FinderRun, 'mode' | 'round'> | undefined;
      try {
        let i = 0;
        run = await measure(
          server,
          () => points[i++ % points.length]!,
          connections,
          durationS,
          (startMs, endMs) => {
            window = { fromEndMs: -startMs, toEndMs: -endMs };
          },
        );
      } finally {
        const stopAt = performance.now();
        await server.stop();
        // The profile ends as the server exits, just after stop(): the window counted back from there.
        if (window) window = { fromEndMs: stopAt + window.fromEndMs, toEndMs: stopAt + window.toEndMs };
      }
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
      if (file)
        profiles.push({
          mode,
          table: profileTable(
            `${mode} path, ${connections} connections, the ${durationS} s under load (profiled: ${run?.requestsPerS} req/s), ${join(dir, file)}`,
            summariseProfile(join(dir, file), 15, window),
          ),
        });
    }
  }

  if (schema) {
    const cleanup = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(cleanup.db);
    await cleanup.close();
  }
  const rows: FinderRow[] = [];
  for (const connections of connectionCounts) {
    for (const mode of [...modes, 'bare' as const]) {
      const mine = runs.filter((r) => r.mode === mode && r.connections === connections);
      const m = (k: keyof FinderRun) => median(mine.map((r) => r[k] as number));
      rows.push({
        mode,
        connections,
        requestsPerS: Math.round(m('requestsPerS')),
        p50Ms: m('p50Ms'),
        p99Ms: m('p99Ms'),
        serverCpu: Math.round(m('serverCpu')),
        clientCpu: Math.round(m('clientCpu')),
        cpuUsPerRequest: Math.round(m('cpuUsPerRequest')),
        runs: mine,
      });
    }
  }
  return { grids, stations, durationS, rows, rssMB: rss, profiles };
}

export function finderTable(r: FinderBenchResult): string {
  const lines = [
    `Public finder at scale · ${r.grids} grids, ${r.stations} stations · autocannon ${r.durationS} s per run, medians of ${r.rows[0]?.runs.length ?? 0} rounds (Express and fast path alternating)`,
    '',
    '| connections | path | req/s | p50 (ms) | p99 (ms) | server CPU (% of a core) | server µs/request | autocannon CPU (% of a core) | runs (req/s / p99) | ÷ Express |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const row of r.rows) {
    const express = r.rows.find((x) => x.mode === 'express' && x.connections === row.connections)!;
    const ratio = row.mode !== 'express' ? `${(row.requestsPerS / express.requestsPerS).toFixed(2)}×` : '—';
    const label = { express: 'Express route', fast: 'fast path', bare: 'bare node:http, fixed answer' }[row.mode];
    const runs = row.runs.map((x) => `${x.requestsPerS} / ${x.p99Ms}`).join(', ');
    lines.push(
      `| ${row.connections} | ${label} | ${row.requestsPerS} | ${row.p50Ms} | ${row.p99Ms} | ${row.serverCpu} | ${row.cpuUsPerRequest} | ${row.clientCpu} | ${runs} | ${ratio} |`,
    );
  }
  lines.push('', `Server RSS after the runs: Express path ${r.rssMB.express} MB, fast path ${r.rssMB.fast} MB.`);
  for (const p of r.profiles) lines.push('', p.table);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchPublicFinder()
    .then((r) => console.log(finderTable(r)))
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
