/** GET /api/cases/stats's answer: the scope, the summary and overdue sums, the names, assembled. */
import type { Kysely } from 'kysely';
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { DB } from '../db/schema.ts';
import type { CaseStatsQuery } from './stats-params.ts';
import { assembleCaseStats } from './stats.ts';
import {
  categoryNames,
  childNames,
  gridNames,
  overdueCounts,
  statsScope,
  summarySums,
  workerGrids,
} from './stats.queries.ts';

export async function loadCaseStats(db: Kysely<DB>, query: CaseStatsQuery, now: Date): Promise<CaseStats> {
  const started = performance.now();
  const scope = await statsScope(db, query.region);
  const [summary, overdue, categories, children, grids, workers] = await Promise.all([
    summarySums(db, scope, query),
    overdueCounts(db, scope, query, now),
    categoryNames(db),
    childNames(db, scope),
    gridNames(db, scope),
    workerGrids(db, scope),
  ]);
  return assembleCaseStats({
    scope,
    from: query.from,
    to: query.to,
    rows: [...summary, ...overdue],
    categories,
    children,
    grids,
    workers,
    tookMs: Math.round(performance.now() - started),
  });
}
