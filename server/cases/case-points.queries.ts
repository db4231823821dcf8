/** The cases of a region and period as map points: no personal fields are selected at all. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { OPEN_STATES, type CaseState } from '../../common/rules/case-lifecycle.ts';
import type { CasePointCollection, CasePointStatus } from '../../common/contracts/case-points.ts';

/** Points in one answer: a district-year of the demo is a few thousand; a city-year is paged by region. */
export const CASE_POINTS_LIMIT = 20_000;

/** Which column holds a region of this level on a case. */
export type CaseRegionColumn = 'district_code' | 'street_code' | 'community_code' | 'grid_code';

export interface CasePointsQuery {
  column: CaseRegionColumn;
  code: string;
  /** Reported at or after `from` and before `until`. */
  from: Date;
  until: Date;
  now: Date;
}

/** Open, overdue or closed: a case being worked on is overdue once its due time has passed. */
export function casePointStatus(state: CaseState, dueAt: Date | null, now: Date): CasePointStatus {
  if (!OPEN_STATES.includes(state)) return 'closed';
  return dueAt !== null && dueAt.getTime() < now.getTime() ? 'overdue' : 'open';
}

export async function loadCasePoints(db: Kysely<DB>, q: CasePointsQuery): Promise<CasePointCollection> {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.code', 'c.category')
    .select(['c.id', 'c.ticket', 'c.category', 'k.name as category_name', 'c.state', 'c.due_at', 'c.grid_code'])
    .select([sql<number>`ST_X(c.geom)::float8`.as('lon'), sql<number>`ST_Y(c.geom)::float8`.as('lat')])
    .where(q.column, '=', q.code)
    .where('c.reported_at', '>=', q.from)
    .where('c.reported_at', '<', q.until)
    .where('c.geom', 'is not', null)
    // A merged duplicate is counted and drawn as its original.
    .where('c.state', '<>', 'merged')
    .orderBy('c.reported_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(CASE_POINTS_LIMIT + 1)
    .execute();
  const truncated = rows.length > CASE_POINTS_LIMIT;
  return {
    type: 'FeatureCollection',
    truncated,
    features: rows.slice(0, CASE_POINTS_LIMIT).map((r) => {
      const status = casePointStatus(r.state, r.due_at, q.now);
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: {
          id: Number(r.id),
          ticket: r.ticket,
          category: r.category,
          categoryName: r.category_name,
          state: r.state,
          status,
          overdue: status === 'overdue',
          grid: r.grid_code,
        },
      };
    }),
  };
}
