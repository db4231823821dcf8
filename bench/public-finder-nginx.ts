/**
 * The public finder through nginx (issue 20): the workload of bench/public-finder.ts (the same
 * 20,000 sampled points, autocannon at 10 and 50 connections, fast path on, rate limit off)
 * against (a) one API process directly, (b) nginx (deploy/nginx.conf.template) in front of that
 * one process, (c) nginx in front of two API processes. The three alternate `rounds` times so the
 * machine's other work falls on all alike; medians are reported. The CPU time of nginx (master
 * and workers), of each API process and of autocannon (this process) is read over each run, to
 * say what limits the throughput on a 2-core machine. Processes behind nginx get
 * WANGGE_TRUST_PROXY=1, as deployed; processes and nginx come from deploy/processes.ts.
 *
 *   BENCH_CITY_URL=postgres://… npx tsx bench/public-finder-nginx.ts
 *   BENCH_NGINX_ROUNDS=2 BENCH_NGINX_SECONDS=10 BENCH_NGINX_WORKERS=auto BENCH_NGINX_PORT=7600
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { startApi, startNginx, type Child, type Nginx } from '../deploy/processes.ts';
import { cpuMs, sampleSchema, withSearchPath } from './public-locate.ts';
import { finderPoints } from './public-finder.ts';
import { median } from './stats.ts';

export type NginxMode = 'direct' | 'nginx-1' | 'nginx-2';

const LABEL: Record<NginxMode, string> = {
  direct: '(a) one API process, direct',
  'nginx-1': '(b) nginx → one API process',
  'nginx-2': '(c) nginx → two API processes',
};

export interface NginxBenchOptions {
  databaseUrl?: string;
  stations?: number;
  durationS?: number;
  connectionCounts?: number[];
  rounds?: number;
  /** nginx worker_processes (the deployment's default: auto, one per core). */
  workers?: number | 'auto';
  /** First of the ports used (API 1, API 2, nginx 1, nginx 2: port … port + 3). */
  basePort?: number;
  log?: (line: string) => void;
}

export interface NginxRun {
  mode: NginxMode;
  connections: number;
  round: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** % of one core over the run. */
  nginxCpu: number;
  api1Cpu: number;
  api2Cpu: number;
  clientCpu: number;
  /** All four together, % of one core (200 % = both cores). */
  totalCpu: number;
  /** CPU of nginx and the API processes together per request, µs (autocannon left out). */
  serverUsPerRequest: number;
  loadBefore: number;
}

export interface NginxRow extends Omit<NginxRun, 'round' | 'non2xx' | 'errors' | 'loadBefore'> {
  runs: NginxRun[];
}

export interface NginxBenchResult {
  grids: number;
  stations: number;
  durationS: number;
  workers: number | 'auto';
  cores: number;
  rows: NginxRow[];
}

/** nginx's master and its workers (the master's children, from /proc). */
function processTree(rootPid: number): number[] {
  const pids = [rootPid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === rootPid) pids.push(Number(entry));
    } catch {
      // gone in between
    }
  }
  return pids;
}

/** CPU ms of each process now; a process gone since (nginx's cache loader exits after a minute) counts 0. */
function treeCpuMs(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuMs(pid));
    } catch {
      // exited
    }
  }
  return out;
}

/** CPU ms used between two readings by the processes present in both. */
const treeDelta = (before: Map<number, number>, after: Map<number, number>) =>
  [...before].reduce((sum, [pid, ms]) => sum + (after.has(pid) ? after.get(pid)! - ms : 0), 0);

/** Ready once the finder's index is built (the same check as bench/public-locate.ts's startServer). */
async function waitForIndex(url: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/api/public/status`)
      .then((r) => r.json() as Promise<{ state: string; searchEntries?: number }>)
      .catch(() => null);
    if (status?.state === 'ready' && (status.searchEntries ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error(`${url}: the finder's index was not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function benchPublicFinderNginx(options: NginxBenchOptions = {}): Promise<NginxBenchResult> {
  const databaseUrl = options.databaseUrl ?? process.env.BENCH_CITY_URL ?? 'postgres://postgres@localhost/wangge_bench';
  const wanted = options.stations ?? Number(process.env.BENCH_PUBLIC_STATIONS ?? 5000);
  const durationS = options.durationS ?? Number(process.env.BENCH_NGINX_SECONDS ?? 10);
  const connectionCounts = options.connectionCounts ?? [10, 50];
  const rounds = options.rounds ?? Number(process.env.BENCH_NGINX_ROUNDS ?? 2);
  const workersEnv = process.env.BENCH_NGINX_WORKERS;
  const workers = options.workers ?? (workersEnv && workersEnv !== 'auto' ? Number(workersEnv) : 'auto');
  const basePort = options.basePort ?? Number(process.env.BENCH_NGINX_PORT ?? 7600);
  const log = options.log ?? ((line: string) => console.error(line));

  const { grids, stations: stationCount, points } = await finderPoints(databaseUrl);
  const schema = wanted > 0 && wanted < stationCount ? await sampleSchema(databaseUrl, wanted) : null;
  const stations = schema ? wanted : stationCount;
  log(
    `public finder through nginx: ${grids} grids, ${stations} stations, ${connectionCounts.join(' and ')} connections × ${durationS} s, ${rounds} rounds, nginx workers ${workers}`,
  );

  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: withSearchPath(databaseUrl, schema),
    WANGGE_LOAD_DEMO: '0',
    WANGGE_PUBLIC_RATE_LIMIT: '0',
    WANGGE_PUBLIC_INDEX: '1',
    WANGGE_PUBLIC_FAST_PATH: '1',
    WANGGE_TRUST_PROXY: '1',
  };
  const dir = mkdtempSync(join(tmpdir(), 'wangge-finder-nginx-'));
  const apis: (Child & { url: string; port: number })[] = [];
  const nginxes: Nginx[] = [];
  const runs: NginxRun[] = [];
  try {
    const t0 = Date.now();
    apis.push(
      ...(await Promise.all(
        [0, 1].map((i) => startApi(`api ${i + 1}`, basePort + i, env, { startTimeoutMs: 600_000 })),
      )),
    );
    await Promise.all(apis.map((a) => waitForIndex(a.url)));
    log(`  two API processes ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const [i, count] of [1, 2].entries()) {
      nginxes.push(
        await startNginx(join(dir, `nginx-${count}`), {
          port: basePort + 2 + i,
          apis: apis.slice(0, count).map((a) => `127.0.0.1:${a.port}`),
          workers,
        }),
      );
    }
    const targets: Record<NginxMode, string> = {
      direct: apis[0]!.url,
      'nginx-1': nginxes[0]!.url,
      'nginx-2': nginxes[1]!.url,
    };
    let next = 0;
    const requests = [
      { method: 'GET' as const, setupRequest: (req: object) => ({ ...req, path: points[next++ % points.length]! }) },
    ];
    for (let round = 1; round <= rounds; round++) {
      for (const connections of connectionCounts) {
        for (const mode of ['direct', 'nginx-1', 'nginx-2'] as const) {
          const url = targets[mode];
          await autocannon({ url, connections, duration: 2, requests }); // warm-up: JIT, sockets, upstream keep-alive
          const loadBefore = +loadavg()[0]!.toFixed(1);
          const nginxTree = mode === 'direct' ? [] : processTree(nginxes[mode === 'nginx-1' ? 0 : 1]!.process.pid!);
          const n0 = treeCpuMs(nginxTree);
          const a0 = apis.map((a) => cpuMs(a.process.pid!));
          const c0 = process.cpuUsage();
          const t = performance.now();
          const r = await autocannon({ url, connections, duration: durationS, requests });
          const wallMs = performance.now() - t;
          const pct = (ms: number) => Math.round((ms / wallMs) * 100);
          const client = process.cpuUsage(c0);
          const nginxCpu = pct(treeDelta(n0, treeCpuMs(nginxTree)));
          const [api1Cpu, api2Cpu] = apis.map((a, i) => pct(cpuMs(a.process.pid!) - a0[i]!)) as [number, number];
          const clientCpu = pct((client.user + client.system) / 1000);
          const run: NginxRun = {
            mode,
            connections,
            round,
            requestsPerS: Math.round(r.requests.average),
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            non2xx: r.non2xx,
            errors: r.errors,
            nginxCpu,
            api1Cpu,
            api2Cpu,
            clientCpu,
            totalCpu: nginxCpu + api1Cpu + api2Cpu + clientCpu,
            serverUsPerRequest: Math.round(((nginxCpu + api1Cpu + api2Cpu) * 10_000) / Math.max(1, r.requests.average)),
            loadBefore,
          };
          runs.push(run);
          log(
            `  round ${round} ${mode.padEnd(7)} ${String(connections).padStart(2)} conn ${String(run.requestsPerS).padStart(6)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  non-2xx ${run.non2xx}  errors ${run.errors}  CPU: nginx ${nginxCpu} %  api1 ${api1Cpu} %  api2 ${api2Cpu} %  autocannon ${clientCpu} %  (sum ${run.totalCpu} %; nginx + API ${run.serverUsPerRequest} µs/req)  load ${loadBefore}`,
          );
        }
      }
    }
  } finally {
    for (const n of nginxes) await n.stop();
    await Promise.all(apis.map((a) => a.stop()));
    rmSync(dir, { recursive: true, force: true });
    if (schema) {
      const cleanup = await openDatabase({ driver: 'server', connectionString: databaseUrl, max: 1 });
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(cleanup.db);
      await cleanup.close();
    }
  }

  const rows: NginxRow[] = [];
  for (const connections of connectionCounts) {
    for (const mode of ['direct', 'nginx-1', 'nginx-2'] as const) {
      const mine = runs.filter((r) => r.mode === mode && r.connections === connections);
      const m = (k: keyof NginxRun) => median(mine.map((r) => r[k] as number));
      rows.push({
        mode,
        connections,
        requestsPerS: Math.round(m('requestsPerS')),
        p50Ms: m('p50Ms'),
        p99Ms: m('p99Ms'),
        nginxCpu: Math.round(m('nginxCpu')),
        api1Cpu: Math.round(m('api1Cpu')),
        api2Cpu: Math.round(m('api2Cpu')),
        clientCpu: Math.round(m('clientCpu')),
        totalCpu: Math.round(m('totalCpu')),
        serverUsPerRequest: Math.round(m('serverUsPerRequest')),
        runs: mine,
      });
    }
  }
  return { grids, stations, durationS, workers, cores: cpus().length, rows };
}

export function finderNginxTable(r: NginxBenchResult): string {
  const loads = r.rows.flatMap((x) => x.runs.map((run) => run.loadBefore));
  const lines = [
    `Public finder through nginx · ${r.grids} grids, ${r.stations} stations · ${r.cores} cores · nginx worker_processes ${r.workers} · autocannon ${r.durationS} s per run, medians of ${r.rows[0]?.runs.length ?? 0} rounds ((a), (b), (c) alternating) · load average ${Math.min(...loads)}–${Math.max(...loads)} before the runs`,
    '',
    '| connections | target | req/s | p50 (ms) | p99 (ms) | nginx CPU | API 1 CPU | API 2 CPU | autocannon CPU | sum (200 % = both cores) | nginx + API µs/request | rounds (req/s / p99) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of r.rows) {
    const runs = row.runs.map((x) => `${x.requestsPerS} / ${x.p99Ms}`).join(', ');
    lines.push(
      `| ${row.connections} | ${LABEL[row.mode]} | ${row.requestsPerS} | ${row.p50Ms} | ${row.p99Ms} | ${row.nginxCpu} % | ${row.api1Cpu} % | ${row.api2Cpu} % | ${row.clientCpu} % | ${row.totalCpu} % | ${row.serverUsPerRequest} | ${runs} |`,
    );
  }
  lines.push('');
  for (const connections of new Set(r.rows.map((x) => x.connections))) {
    const get = (mode: NginxMode) => r.rows.find((x) => x.mode === mode && x.connections === connections)!;
    const [a, b, c] = [get('direct'), get('nginx-1'), get('nginx-2')];
    lines.push(
      `${connections} connections: (c)/(a) ${(c.requestsPerS / a.requestsPerS).toFixed(2)}×, (c)/(b) ${(c.requestsPerS / b.requestsPerS).toFixed(2)}×, (b)/(a) ${(b.requestsPerS / a.requestsPerS).toFixed(2)}×`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchPublicFinderNginx()
    .then((r) => console.log(finderNginxTable(r)))
    .catch((error: Error) => {
      console.error(error);
      process.exit(1);
    });
}
