/**
 * The statistics' reads. Everything but "overdue now" comes from the summaries that the cases
 * row trigger keeps exact (case_monthly_stats for whole months, case_daily_stats for the days
 * around them; migrations 0011 and 0012), in one pass with GROUPING SETS: a district-year of
 * 1,000,000 cases is ~80,000 monthly rows (bench/case-stats.ts). Overdue now depends on the
 * clock, so it is counted over the open cases, which are few.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import { addDays, beijingDayStart, splitPeriod, type CaseStatsQuery } from './stats-params.ts';
import type { StatsDimension, StatsRow, StatsScope } from './stats.ts';

/** The column of the summary and of cases that holds each level's code. */
const LEVEL_COLUMN = {
  district: 'district_code',
  street: 'street_code',
  community: 'community_code',
  grid: 'grid_code',
} as const;
/** The column of the next level down: streets of a district, communities of a street, grids of a community. */
const CHILD_COLUMN = { district: 'street_code', street: 'community_code', community: 'grid_code' } as const;

/** The region's code, name and level; 404 when there is no such region or grid. */
export async function statsScope(db: Kysely<DB>, code: string): Promise<StatsScope> {
  if (code.length === 15) {
    const grid = await db.selectFrom('grids').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
    if (grid) return { ...grid, level: 'grid' };
    // A retired grid code still has its cases: answer for it when they exist.
    const cases = await db.selectFrom('cases').select('grid_code').where('grid_code', '=', code).executeTakeFirst();
    if (cases) return { code, name: code, level: 'grid' };
    throw notFound('Grid', code);
  }
  const region = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!region) throw notFound('Region', code);
  return region;
}

/**
 * Every set always (GROUPING() takes only grouped keys): a grid has no children, so its child
 * key is the grid itself and the assembly leaves that set out.
 */
export const GROUPING_SETS = sql.raw('GROUPING SETS ((), (category), (channel), (child), (grid_code), (month))');

/** GROUPING() over the five keys gives each set's bitmask: a key's bit is 1 when the set leaves it out. */
const GROUPING_BITS: Record<number, StatsDimension> = {
  31: 'total',
  15: 'category',
  23: 'channel',
  27: 'child',
  29: 'grid',
  30: 'month',
};

const childColumn = (scope: StatsScope) => sql.ref(scope.level === 'grid' ? 'grid_code' : CHILD_COLUMN[scope.level]);

/** A row of a GROUPING SETS query over the five keys, with its GROUPING() bitmask in `g`. */
export type GroupedRow = Omit<StatsRow, 'dimension' | 'key'> & {
  g: number;
  category: string | null;
  channel: string | null;
  child: string | null;
  grid_code: string | null;
  month: string | null;
};

/** Grouped rows as sums per dimension and key. */
export function toStatsRows(raw: GroupedRow[]): StatsRow[] {
  return raw.map(({ g, category, channel, child, grid_code, month, ...sums }) => {
    const dimension = GROUPING_BITS[g];
    if (!dimension) throw new Error(`unexpected grouping ${g}`);
    const key = { total: '', category, channel, child, grid: grid_code, month }[dimension] ?? '';
    return { dimension, key, ...sums };
  });
}

const SUMMED = sql.raw(
  'reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours',
);

/**
 * The summaries' rows of the region and period: whole months from case_monthly_stats, the
 * partial first and last months day by day from case_daily_stats.
 */
function summaryRows(scope: StatsScope, period: CaseStatsQuery) {
  const { months, days } = splitPeriod(period.from, period.to);
  const where = sql`${sql.ref(LEVEL_COLUMN[scope.level])} = ${scope.code}`;
  const keys = sql`category, channel, ${childColumn(scope)} AS child, grid_code`;
  const parts = [];
  if (months)
    parts.push(sql`SELECT ${keys}, to_char(month, 'YYYY-MM') AS month, ${SUMMED} FROM case_monthly_stats
      WHERE ${where} AND month BETWEEN ${months[0]} AND ${months[1]}`);
  if (days.length)
    parts.push(sql`SELECT ${keys}, to_char(day, 'YYYY-MM') AS month, ${SUMMED} FROM case_daily_stats
      WHERE ${where} AND (${sql.join(
        days.map(([a, b]) => sql`day BETWEEN ${a} AND ${b}`),
        sql` OR `,
      )})`);
  return sql.join(parts, sql` UNION ALL `);
}

/** The summaries' sums for the region and period, per dimension (overdueNow is 0 here). */
export async function summarySums(db: Kysely<DB>, scope: StatsScope, period: CaseStatsQuery): Promise<StatsRow[]> {
  const { rows } = await sql<GroupedRow>`
    SELECT GROUPING(category, channel, child, grid_code, month)::int AS g, category, channel, child, grid_code, month,
      sum(reported)::int AS reported, sum(accepted)::int AS accepted, sum(not_accepted)::int AS "notAccepted",
      sum(closed)::int AS closed, sum(closed_on_time)::int AS "closedOnTime", sum(rated)::int AS rated,
      sum(satisfied)::int AS satisfied, sum(basically)::int AS basically, sum(unsatisfied)::int AS unsatisfied,
      sum(handling_hours)::float8 AS "handlingHours", 0 AS "overdueNow"
    FROM (${summaryRows(scope, period)}) s
    GROUP BY ${GROUPING_SETS}`.execute(db);
  return toStatsRows(rows);
}

/**
 * Open cases past their due time at `now`, reported in the period, per dimension: "overdue
 * now", and the open part of 应办结. Merged duplicates count in their original, as in the summary.
 */
export async function overdueCounts(
  db: Kysely<DB>,
  scope: StatsScope,
  period: CaseStatsQuery,
  now: Date,
): Promise<StatsRow[]> {
  const { rows } = await sql<GroupedRow>`
    SELECT GROUPING(category, channel, child, grid_code, month)::int AS g, category, channel, child, grid_code, month,
      0 AS reported, 0 AS accepted, 0 AS "notAccepted", 0 AS closed, 0 AS "closedOnTime", 0 AS rated,
      0 AS satisfied, 0 AS basically, 0 AS unsatisfied, 0 AS "handlingHours", count(*)::int AS "overdueNow"
    FROM (SELECT category, channel, coalesce(${childColumn(scope)}, '') AS child, coalesce(grid_code, '') AS grid_code,
        to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month
      FROM cases
      WHERE ${sql.ref(LEVEL_COLUMN[scope.level])} = ${scope.code}
        AND reported_at >= ${beijingDayStart(period.from)} AND reported_at < ${beijingDayStart(addDays(period.to, 1))}
        AND closed_at IS NULL AND due_at < ${now} AND duplicate_of IS NULL) c
    GROUP BY ${GROUPING_SETS}`.execute(db);
  return toStatsRows(rows);
}

export interface NamedRow {
  code: string;
  name: string;
}

/** The categories' display names, in their configured order. */
export async function categoryNames(db: Kysely<DB>): Promise<NamedRow[]> {
  return db.selectFrom('case_categories').select(['code', 'name']).orderBy('sort').orderBy('code').execute();
}

/** The region's children (streets, communities or grids), by code; none for a grid. */
export async function childNames(db: Kysely<DB>, scope: StatsScope): Promise<(NamedRow & { level: string })[]> {
  if (scope.level === 'grid') return [];
  if (scope.level === 'community')
    return db
      .selectFrom('grids')
      .select(['code', 'name', sql<string>`'grid'`.as('level')])
      .where('community_code', '=', scope.code)
      .orderBy('code')
      .execute();
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('parent_code', '=', scope.code)
    .orderBy('code')
    .execute();
}

/** The region's current grids, by code. */
export async function gridNames(db: Kysely<DB>, scope: StatsScope): Promise<NamedRow[]> {
  const query = db.selectFrom('grids').select(['code', 'name']).orderBy('code');
  return scope.level === 'grid'
    ? query.where('code', '=', scope.code).execute()
    : query.where('community_code', 'in', subtreeCodes(scope.code)).execute();
}

/** Grid workers' accounts (role worker) bound to grids of the region: a grid's numbers go to its worker. */
export async function workerGrids(
  db: Kysely<DB>,
  scope: StatsScope,
): Promise<{ username: string; display_name: string; grid_code: string }[]> {
  return db
    .selectFrom('user_grids as ug')
    .innerJoin('users as u', 'u.id', 'ug.user_id')
    .select(['u.username', 'u.display_name', 'ug.grid_code'])
    .where('u.role', '=', 'worker')
    .$call((q) =>
      scope.level === 'grid'
        ? q.where('ug.grid_code', '=', scope.code)
        : q.where('ug.grid_code', 'in', (eb) =>
            eb.selectFrom('grids').select('code').where('community_code', 'in', subtreeCodes(scope.code)),
          ),
    )
    .orderBy('u.username')
    .orderBy('ug.grid_code')
    .execute();
}
