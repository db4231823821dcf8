/**
 * Reliability under load (issue 8), for bench/RESULTS.md's reliability section: on each driver
 * (embedded; the server driver too when BENCH_DATABASE_URL is set) the demo district behind the
 * real app with its default pool settings, then
 *   - 50 editors racing on two adjacent grids (draft, read, move the boundary, publish),
 *   - 50 renames of one grid in one draft with one If-Match,
 *   - 5,000 public locates from one address with the limit at 1,000 a minute, a planner reading throughout.
 * Prints one table: requests, answers by status, latency, memory, and what was lost.
 *
 *   npx tsx bench/reliability.ts            # BENCH_DATABASE_URL=postgres://… adds the server driver
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sql } from 'kysely';
import { createApp } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { openDatabase, type Database, type DriverName } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadDemoIfEmpty } from '../data/load.ts';
import {
  boundaryRace,
  lastStep,
  latencySummary,
  publicFlood,
  renameRace,
  type Caller,
} from './reliability-workloads.ts';

const STREET = '131002003000';
const PASSWORD = 'bench-reliability';

export interface ReliabilityRow {
  driver: DriverName;
  workload: string;
  requests: number;
  statuses: Record<string, number>;
  latency: string;
  memory: string;
  lost: string;
}

async function login(url: string, username: string): Promise<Caller> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status}`);
  return { username, cookie: res.headers.get('set-cookie')!.split(';')[0]! };
}

const count = (statuses: number[]) =>
  statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});

async function benchDriver(driver: DriverName, database: Database): Promise<ReliabilityRow[]> {
  const db = database.db;
  await migrate(db);
  await loadDemoIfEmpty(db, { demoPassword: PASSWORD });
  const app = createApp({ db, driver, config: { ...readConfig({}), port: 0, publicRateLimit: 1_000 } });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const callers = [await login(url, 'editor-003'), await login(url, 'admin')];
    const { rows } = await sql<{ a: string; b: string }>`
      SELECT a.code AS a, b.code AS b FROM grids a
      JOIN grids b ON b.community_code = a.community_code AND a.code < b.code AND ST_Relate(a.geom, b.geom, '****1****')
      WHERE a.community_code LIKE ${STREET.slice(0, 9) + '%'}
      ORDER BY ST_Length(ST_Intersection(a.geom, b.geom)::geography) DESC LIMIT 1`.execute(db);
    const { a, b } = rows[0]!;
    const pairState = async () =>
      (
        await sql<{ v: number; households: number; area: number }>`
      SELECT sum(version)::int AS v, sum(households)::int AS households, ST_Area(ST_Union(geom, 1e-10)::geography)::float8 AS area
      FROM grids WHERE code IN (${a}, ${b})`.execute(db)
      ).rows[0]!;
    const before = await pairState();
    const race = await boundaryRace({ url, callers, street: STREET, grid: a, neighbour: b });
    const after = await pairState();
    const steps = race.outcomes.flatMap((o) => o.steps);
    const winners = race.outcomes.filter((o) => o.won).length;
    const loserCodes = count(race.outcomes.filter((o) => !o.won).map((o) => lastStep(o)?.status ?? 0));
    const boundary = latencySummary(steps.map((s) => s.ms));
    const rowsOut: ReliabilityRow[] = [
      {
        driver,
        workload: `50 editors, two adjacent grids (${winners} published; losers ${Object.entries(loserCodes)
          .map(([k, v]) => `${v}×${k}`)
          .join(', ')})`,
        requests: steps.length,
        statuses: count(steps.map((s) => s.status)),
        latency: `median ${boundary.medianMs} ms, p99 ${boundary.p99Ms} ms, ${(race.wallMs / 1000).toFixed(1)} s in all`,
        memory: '—',
        lost: `versions +${(after.v - before.v) / 2} for ${winners} publishes; households ${before.households}→${after.households}; union area Δ ${Math.abs(after.area - before.area).toExponential(1)} m²`,
      },
    ];

    const { rows: other } = await sql<{ code: string }>`
      SELECT code FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} AND code NOT IN (${a}, ${b}) ORDER BY code DESC LIMIT 1`.execute(
      db,
    );
    const code = other[0]!.code;
    const draft = (await (
      await fetch(`${url}/api/drafts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: callers[0]!.cookie },
        body: JSON.stringify({ street: STREET, title: 'bench rename' }),
      })
    ).json()) as { id: number };
    const etag = (
      await fetch(`${url}/api/drafts/${draft.id}/grids/${code}`, { headers: { cookie: callers[0]!.cookie } })
    ).headers.get('etag')!;
    const rename = await renameRace({ url, caller: callers[0]!, draftId: draft.id, code, etag });
    const renameLatency = latencySummary(rename.answers.map((x) => x.ms));
    const { rows: cs } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM changesets WHERE draft_id = ${draft.id}`.execute(db);
    rowsOut.push({
      driver,
      workload: '50 renames, one grid, one draft, one If-Match',
      requests: rename.answers.length,
      statuses: count(rename.answers.map((x) => x.status)),
      latency: `median ${renameLatency.medianMs} ms, p99 ${renameLatency.p99Ms} ms`,
      memory: '—',
      lost: `${cs[0]!.n} changeset written`,
    });

    const ext = (
      await sql<{ x0: number; y0: number; x1: number; y1: number }>`
      SELECT ST_XMin(e)::float8 AS x0, ST_YMin(e)::float8 AS y0, ST_XMax(e)::float8 AS x1, ST_YMax(e)::float8 AS y1
      FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids) t`.execute(db)
    ).rows[0]!;
    const planner = await login(url, 'planner');
    const flood = await publicFlood({
      url,
      bbox: [ext.x0, ext.y0, ext.x1, ext.y1],
      staff: planner,
      staffPath: `/api/grids?region=${STREET}`,
    });
    rowsOut.push(
      {
        driver,
        workload: `5,000 public locates from one address, limit 1,000/min (${(flood.durationMs / 1000).toFixed(1)} s)`,
        requests: flood.requests,
        statuses: flood.statuses,
        latency: `public p50 ${flood.public.p50Ms} ms, p99 ${flood.public.p99Ms} ms; 429 without Retry-After: ${flood.retryAfterMissing}`,
        memory: `rss ${flood.memoryBefore.rssMB}→${flood.memoryAfter.rssMB} MB, heap ${flood.memoryBefore.heapUsedMB}→${flood.memoryAfter.heapUsedMB} MB`,
        lost: '—',
      },
      {
        driver,
        workload: "planner reading a street's grids during the flood",
        requests: flood.staffBefore.n + flood.staffDuring.n,
        statuses: flood.staffStatuses,
        latency: `median/p99 ${flood.staffBefore.medianMs}/${flood.staffBefore.p99Ms} ms before, ${flood.staffDuring.medianMs}/${flood.staffDuring.p99Ms} ms during`,
        memory: '—',
        lost: '—',
      },
    );
    return rowsOut;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function benchReliability(): Promise<ReliabilityRow[]> {
  const rows: ReliabilityRow[] = [];
  const embedded = await openDatabase({ driver: 'embedded' });
  try {
    rows.push(...(await benchDriver('embedded', embedded)));
  } finally {
    await embedded.close();
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const schema = `wt_rel_${randomBytes(4).toString('hex')}`;
    const admin = await openDatabase({ driver: 'server', connectionString: url, max: 1 });
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
    const server = await openDatabase({ driver: 'server', connectionString: url, schema });
    try {
      rows.push(...(await benchDriver('server', server)));
    } finally {
      await server.close();
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    }
  }
  return rows;
}

export function reliabilityTable(rows: readonly ReliabilityRow[]): string {
  const lines = [
    '| driver | workload | requests | answers | latency | memory | lost / conserved |',
    '|---|---|---:|---|---|---|---|',
  ];
  for (const r of rows) {
    const statuses = Object.entries(r.statuses)
      .map(([k, v]) => `${v} × ${k}`)
      .join(', ');
    lines.push(
      `| ${r.driver} | ${r.workload} | ${r.requests} | ${statuses} | ${r.latency} | ${r.memory} | ${r.lost} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `\nReliability under load · ${new Date().toISOString().slice(0, 10)} (default pool: 10 connections, 1 s wait)\n`,
  );
  console.log(reliabilityTable(await benchReliability()));
}
