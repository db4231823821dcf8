/**
 * Case statistics for a district-year of 1,000,000 cases (issue 18), server driver: the route's
 * reads (GET /api/cases/stats: the daily summary case_daily_stats with GROUPING SETS, plus the
 * open overdue cases) against the naive aggregate of the same shape over the cases themselves.
 * Both answers are assembled the same way and must agree, or the bench fails.
 *
 * The cases are made by SQL (generate_series, a hash for each random choice, so every run makes
 * the same year) in 2024 over the demo district's grids, in a schema of their own. The summary is
 * filled by one INSERT … SELECT with the trigger's own sums while the row trigger is off (1 M
 * trigger calls would time the load, not the statistics); the API tests check the trigger.
 * Points are left out (geom NULL): the statistics never read them.
 *
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/case-stats.ts   # BENCH_CASES=1000000, BENCH_CASE_STATS_RUNS=7
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { CaseStats } from '../common/contracts/cases.ts';
import { loadDemoIfEmpty } from '../data/load.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import type { DB } from '../server/db/schema.ts';
import { loadCaseStats } from '../server/cases/load-case-stats.ts';
import {
  categoryNames,
  childNames,
  gridNames,
  GROUPING_SETS,
  statsScope,
  toStatsRows,
  workerGrids,
  type GroupedRow,
} from '../server/cases/stats.queries.ts';
import type { CaseStatsQuery } from '../server/cases/stats-params.ts';
import { assembleCaseStats } from '../server/cases/stats.ts';
import { upperMedian as median } from './stats.ts';

export interface CaseStatsBenchOptions {
  databaseUrl: string;
  cases: number;
  runs: number;
  log?: (line: string) => void;
}

export interface CaseStatsBenchResult {
  cases: number;
  summaryRows: number;
  loadS: number;
  summaryFillS: number;
  /** The calendar year 2024: whole months only. */
  routeMs: number;
  naiveMs: number;
  /** 2024-01-16 to 2025-01-14: eleven whole months and two partial ones read by day. */
  rollingRouteMs: number;
  rollingNaiveMs: number;
  accepted: number;
  closureRate: number | null;
  loadBefore: number;
  loadAfter: number;
}

const NOW = new Date('2025-06-30T04:00:00Z');

/** A uniform number in [0, 1) from the row number and a salt: the same year on every run. */
const rnd = (salt: number) => sql.raw(`((hashint8(i::bigint * 7919 + ${salt}) & 2147483647) / 2147483648.0)`);

/** 1 M cases of 2024 over the district's grids, 98 % of accepted ones closed, ~95 % satisfied. */
async function makeCases(db: Kysely<DB>, district: string, n: number): Promise<void> {
  await sql`ALTER TABLE cases DISABLE TRIGGER cases_stats`.execute(db);
  await sql`
    WITH g AS (
      SELECT array_agg(g.code ORDER BY g.code) AS codes, array_agg(g.community_code ORDER BY g.code) AS comms,
        array_agg(c.parent_code ORDER BY g.code) AS streets, count(*)::int AS n
      FROM grids g JOIN regions c ON c.code = g.community_code),
    cat AS (SELECT array_agg(code ORDER BY sort) AS codes, array_agg(time_limit_hours ORDER BY sort) AS hours FROM case_categories),
    r AS (
      SELECT i, 1 + floor(${rnd(1)} * g.n)::int AS k, 1 + floor(${rnd(2)} * 7)::int AS c,
        (ARRAY['finder', 'patrol', 'hotline'])[1 + floor(${rnd(3)} * 3)::int] AS channel,
        timestamptz '2024-01-01 00:00:00+08' + floor(${rnd(4)} * 366 * 86400) * interval '1 second' AS reported,
        ${rnd(5)} AS fate, ${rnd(6)} AS speed, ${rnd(7)} AS mood
      FROM generate_series(1, ${n}) AS i, g)
    INSERT INTO cases (ticket, token_hash, category, channel, description, grid_code, community_code, street_code,
      district_code, state, queue_kind, queue_code, handling, reported_at, accepted_at, due_at, handled_at, closed_at, rating, rated_at)
    SELECT 'B' || lpad(i::text, 8, '0'), 'bench', cat.codes[c], channel, 'bench', g.codes[k], g.comms[k], g.streets[k],
      ${district},
      CASE WHEN fate < 0.01 THEN 'not_accepted' WHEN fate < 0.03 THEN 'dispatched'
        WHEN mood < 0.96 THEN 'rated' ELSE 'closed' END,
      'grid', g.codes[k],
      CASE WHEN fate >= 0.03 THEN 'on_the_spot' END,
      reported,
      CASE WHEN fate >= 0.01 THEN reported + interval '1 hour' END,
      CASE WHEN fate >= 0.01 THEN reported + interval '1 hour' + cat.hours[c] * interval '1 hour' END,
      CASE WHEN fate >= 0.03 THEN reported + interval '1 hour' + cat.hours[c] * (0.1 + speed) * interval '1 hour' END,
      CASE WHEN fate >= 0.03 THEN reported + interval '1 hour' + cat.hours[c] * (0.1 + speed) * interval '1 hour' END,
      CASE WHEN fate < 0.03 OR mood >= 0.96 THEN NULL WHEN mood < 0.7 THEN 'satisfied'
        WHEN mood < 0.92 THEN 'basically_satisfied' ELSE 'unsatisfied' END,
      CASE WHEN fate >= 0.03 AND mood < 0.96 THEN reported + interval '100 hours' END
    FROM r, g, cat`.execute(db);
  await sql`ALTER TABLE cases ENABLE TRIGGER cases_stats`.execute(db);
}

/** The summaries' rows of the bench's cases, with the trigger's own sums (case_stats_add). */
async function fillSummaries(db: Kysely<DB>): Promise<void> {
  const day = sql`(reported_at AT TIME ZONE 'Asia/Shanghai')::date`;
  for (const [table, key, period] of [
    ['case_daily_stats', 'day', day],
    ['case_monthly_stats', 'month', sql`date_trunc('month', ${day})::date`],
  ] as const) {
    await sql`
      INSERT INTO ${sql.table(table)} AS s (${sql.ref(key)}, district_code, street_code, community_code, grid_code, category,
        channel, reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours)
      SELECT ${period}, district_code, street_code, community_code,
        coalesce(grid_code, ''), category, channel, count(*), count(accepted_at),
        count(*) FILTER (WHERE state = 'not_accepted'),
        count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL),
        count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL AND coalesce(closed_at <= due_at, true)),
        count(rating), count(*) FILTER (WHERE rating = 'satisfied'), count(*) FILTER (WHERE rating = 'basically_satisfied'),
        count(*) FILTER (WHERE rating = 'unsatisfied'),
        coalesce(sum(extract(epoch FROM closed_at - accepted_at) / 3600.0)
          FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL), 0)
      FROM cases WHERE ticket LIKE 'B%' AND duplicate_of IS NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (${sql.ref(key)}, grid_code, category, channel, community_code) DO UPDATE SET
        reported = s.reported + EXCLUDED.reported, accepted = s.accepted + EXCLUDED.accepted,
        not_accepted = s.not_accepted + EXCLUDED.not_accepted, closed = s.closed + EXCLUDED.closed,
        closed_on_time = s.closed_on_time + EXCLUDED.closed_on_time, rated = s.rated + EXCLUDED.rated,
        satisfied = s.satisfied + EXCLUDED.satisfied, basically = s.basically + EXCLUDED.basically,
        unsatisfied = s.unsatisfied + EXCLUDED.unsatisfied, handling_hours = s.handling_hours + EXCLUDED.handling_hours`.execute(
      db,
    );
  }
}

/** The naive way: the same GROUPING SETS straight over the district's cases of the year. */
async function naiveCaseStats(db: Kysely<DB>, query: CaseStatsQuery, now: Date): Promise<CaseStats> {
  const started = performance.now();
  const scope = await statsScope(db, query.region);
  const { rows } = await sql<GroupedRow>`
    SELECT GROUPING(category, channel, child, grid_code, month)::int AS g, category, channel, child, grid_code, month,
      count(*)::int AS reported, count(accepted_at)::int AS accepted,
      count(*) FILTER (WHERE state = 'not_accepted')::int AS "notAccepted",
      count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL)::int AS closed,
      count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL AND coalesce(closed_at <= due_at, true))::int AS "closedOnTime",
      count(rating)::int AS rated, count(*) FILTER (WHERE rating = 'satisfied')::int AS satisfied,
      count(*) FILTER (WHERE rating = 'basically_satisfied')::int AS basically,
      count(*) FILTER (WHERE rating = 'unsatisfied')::int AS unsatisfied,
      coalesce(sum(extract(epoch FROM closed_at - accepted_at) / 3600.0)
        FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL), 0)::float8 AS "handlingHours",
      count(*) FILTER (WHERE closed_at IS NULL AND due_at < ${now})::int AS "overdueNow"
    FROM (SELECT category, channel, state, accepted_at, due_at, closed_at, rating, street_code AS child,
        coalesce(grid_code, '') AS grid_code,
        to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month
      FROM cases WHERE district_code = ${query.region} AND duplicate_of IS NULL
        AND (reported_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${query.from}::date AND ${query.to}::date) c
    GROUP BY ${GROUPING_SETS}`.execute(db);
  const [categories, children, grids, workers] = await Promise.all([
    categoryNames(db),
    childNames(db, scope),
    gridNames(db, scope),
    workerGrids(db, scope),
  ]);
  return assembleCaseStats({
    scope,
    ...query,
    rows: toStatsRows(rows),
    categories,
    children,
    grids,
    workers,
    tookMs: Math.round(performance.now() - started),
  });
}

/** Both answers without their timing, numbers to 9 significant digits (sums of hours add in another order). */
const comparable = (stats: CaseStats) =>
  JSON.stringify({ ...stats, tookMs: 0 }, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(9)) : value,
  );

export async function benchCaseStats(options: CaseStatsBenchOptions): Promise<CaseStatsBenchResult> {
  const log = options.log ?? (() => {});
  const schema = `wt_cases_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: options.databaseUrl, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const database = await openDatabase({ driver: 'server', connectionString: options.databaseUrl, schema });
  try {
    const db = database.db;
    await migrate(db);
    await loadDemoIfEmpty(db, { demoPassword: 'bench' });
    const district = (
      await db.selectFrom('regions').select('code').where('level', '=', 'district').executeTakeFirstOrThrow()
    ).code;
    log(`[case-stats] making ${options.cases.toLocaleString('en-US')} cases …`);
    let t = performance.now();
    // One long statement each: past the pool's statement timeout, so without it in a transaction of their own.
    const long = (fn: (trx: Kysely<DB>) => Promise<void>) =>
      db.transaction().execute(async (trx) => {
        await sql`SET LOCAL statement_timeout = 0`.execute(trx);
        await fn(trx);
      });
    await long((trx) => makeCases(trx, district, options.cases));
    const loadS = (performance.now() - t) / 1000;
    t = performance.now();
    await long(fillSummaries);
    await sql`ANALYZE case_monthly_stats`.execute(db);
    const summaryFillS = (performance.now() - t) / 1000;
    // What autovacuum does to a table in use: the visibility map lets "overdue now" skip the heap.
    await sql`VACUUM ANALYZE cases`.execute(db);
    await sql`ANALYZE case_daily_stats`.execute(db);
    const summaryRows = Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_monthly_stats WHERE district_code = ${district}
          AND month BETWEEN '2024-01-01' AND '2024-12-01'`.execute(db)
      ).rows[0]!.n,
    );
    log(`[case-stats] loaded in ${loadS.toFixed(1)} s, summary ${summaryFillS.toFixed(1)} s (${summaryRows} rows)`);

    // The calendar year (whole months), and 365 days from mid-January (partial months at both ends).
    const query: CaseStatsQuery = { region: district, from: '2024-01-01', to: '2024-12-31' };
    const rolling: CaseStatsQuery = { region: district, from: '2024-01-16', to: '2025-01-14' };
    const fast = await loadCaseStats(db, query, NOW); // warm
    for (const q of [query, rolling]) {
      const [a, b] = [await loadCaseStats(db, q, NOW), await naiveCaseStats(db, q, NOW)];
      if (comparable(a) !== comparable(b))
        throw new Error(`case statistics ${q.from}–${q.to}: the summaries and the naive aggregate over cases disagree`);
    }
    if (fast.totals.reported !== options.cases)
      throw new Error(`case statistics: ${fast.totals.reported} cases counted, ${options.cases} made`);

    const loadBefore = loadavg()[0]!;
    const samples: Record<'route' | 'naive' | 'rollingRoute' | 'rollingNaive', number[]> = {
      route: [],
      naive: [],
      rollingRoute: [],
      rollingNaive: [],
    };
    const timed = async (into: number[], fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      into.push(performance.now() - s);
    };
    for (let i = 0; i < options.runs; i++) {
      await timed(samples.route, () => loadCaseStats(db, query, NOW));
      await timed(samples.naive, () => naiveCaseStats(db, query, NOW));
      await timed(samples.rollingRoute, () => loadCaseStats(db, rolling, NOW));
      await timed(samples.rollingNaive, () => naiveCaseStats(db, rolling, NOW));
      log(
        `[case-stats] run ${i + 1}: year ${samples.route.at(-1)!.toFixed(0)} / naive ${samples.naive.at(-1)!.toFixed(0)} ms, ` +
          `rolling ${samples.rollingRoute.at(-1)!.toFixed(0)} / naive ${samples.rollingNaive.at(-1)!.toFixed(0)} ms`,
      );
    }
    return {
      cases: options.cases,
      summaryRows,
      loadS,
      summaryFillS,
      routeMs: median(samples.route),
      naiveMs: median(samples.naive),
      rollingRouteMs: median(samples.rollingRoute),
      rollingNaiveMs: median(samples.rollingNaive),
      accepted: fast.totals.accepted,
      closureRate: fast.totals.closureRate,
      loadBefore,
      loadAfter: loadavg()[0]!,
    };
  } finally {
    await database.close();
    // BENCH_CASE_STATS_KEEP=1 leaves the schema for EXPLAIN (its name is logged).
    if (process.env.BENCH_CASE_STATS_KEEP === '1') log(`[case-stats] kept schema ${schema}`);
    else await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  }
}

export function caseStatsTable(r: CaseStatsBenchResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const row = (what: string, ms: number, naive: number) =>
    `| ${what} | ${ms.toFixed(0)} | ${naive.toFixed(0)} | ${(naive / ms).toFixed(1)}× |`;
  return [
    `Case statistics · server driver · a district-year of ${n(r.cases)} cases (${n(r.summaryRows)} monthly summary rows) · medians`,
    '',
    '| GET /api/cases/stats for the district | Wangge (ms) | naive over cases (ms) | naive / Wangge |',
    '|---|---:|---:|---:|',
    row('calendar year 2024 (whole months: case_monthly_stats)', r.routeMs, r.naiveMs),
    row(
      '2024-01-16 – 2025-01-14 (11 whole months + 30 days from case_daily_stats)',
      r.rollingRouteMs,
      r.rollingNaiveMs,
    ),
    '',
    `Made in ${r.loadS.toFixed(1)} s, summaries filled in ${r.summaryFillS.toFixed(1)} s; ${n(r.accepted)} accepted, ` +
      `办结率 ${((r.closureRate ?? 0) * 100).toFixed(1)} %; load ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after. ` +
      'Both answers agree (checked before timing).',
  ].join('\n');
}

export const caseStatsOptionsFromEnv = (databaseUrl: string): CaseStatsBenchOptions => ({
  databaseUrl,
  cases: Number(process.env.BENCH_CASES ?? 1_000_000),
  runs: Number(process.env.BENCH_CASE_STATS_RUNS ?? 7),
  log: (line) => console.error(line),
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set (the server driver)');
  console.log(caseStatsTable(await benchCaseStats(caseStatsOptionsFromEnv(url))));
}
