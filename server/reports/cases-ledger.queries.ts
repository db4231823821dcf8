/**
 * The 台账's rows: the cases of a region reported in a period, with names instead of codes and
 * nothing personal (no phone, no description, no address). Read in pages by (reported_at, id) so
 * a district-year streams into the workbook without holding it in memory.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { addDays, beijingDayStart, type CaseStatsQuery } from '../cases/stats-params.ts';
import type { StatsScope } from '../cases/stats.ts';

export interface LedgerCase {
  id: string;
  ticket: string;
  category: string;
  channel: 'finder' | 'patrol' | 'hotline';
  reported_at: Date;
  grid_code: string | null;
  grid_name: string | null;
  community: string;
  street: string;
  state: string;
  handling: string | null;
  accepted_at: Date | null;
  due_at: Date | null;
  closed_at: Date | null;
  rating: string | null;
  duplicate_of: string | null;
}

const LEVEL_COLUMN = {
  district: 'c.district_code',
  street: 'c.street_code',
  community: 'c.community_code',
  grid: 'c.grid_code',
} as const;

export const LEDGER_PAGE = 2000;

/** Pages of the region's cases in the period, oldest first. */
export async function* ledgerCases(
  db: Kysely<DB>,
  scope: StatsScope,
  period: CaseStatsQuery,
  pageSize = LEDGER_PAGE,
): AsyncGenerator<LedgerCase[]> {
  // The key is read back as text: a Date would drop the microseconds and repeat a row.
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const page = await db
      .selectFrom('cases as c')
      .leftJoin('case_categories as cat', 'cat.code', 'c.category')
      .leftJoin('grids as g', 'g.code', 'c.grid_code')
      .leftJoin('regions as com', 'com.code', 'c.community_code')
      .leftJoin('regions as st', 'st.code', 'c.street_code')
      .leftJoin('case_handlings as h', 'h.code', 'c.handling')
      .leftJoin('cases as d', 'd.id', 'c.duplicate_of')
      .select([
        'c.id',
        'c.ticket',
        sql<string>`coalesce(cat.name, c.category)`.as('category'),
        'c.channel',
        'c.reported_at',
        'c.grid_code',
        'g.name as grid_name',
        sql<string>`coalesce(com.name, c.community_code)`.as('community'),
        sql<string>`coalesce(st.name, c.street_code)`.as('street'),
        'c.state',
        'h.name as handling',
        'c.accepted_at',
        'c.due_at',
        'c.closed_at',
        'c.rating',
        'd.ticket as duplicate_of',
        sql<string>`c.reported_at::text`.as('key'),
      ])
      .where(LEVEL_COLUMN[scope.level], '=', scope.code)
      .where('c.reported_at', '>=', beijingDayStart(period.from))
      .where('c.reported_at', '<', beijingDayStart(addDays(period.to, 1)))
      .$if(after !== undefined, (q) =>
        q.where(sql<boolean>`(c.reported_at, c.id) > (${after!.at}::timestamptz, ${after!.id})`),
      )
      .orderBy('c.reported_at')
      .orderBy('c.id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page.map(({ key: _key, ...row }) => row as LedgerCase);
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { at: last.key, id: last.id };
  }
}
