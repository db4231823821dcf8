/**
 * The case statistics assembled from summed rows (pure: rows and names in, the CaseStats answer
 * out). Every rate comes from common/rules/case-lifecycle.ts caseRates, so the dashboard, the
 * 台账 and the tests divide the same way.
 */
import type { CaseChannel, CaseCounts, CaseStats } from '../../common/contracts/cases.ts';
import type { RegionLevel } from '../../common/domain.ts';
import { caseRates } from '../../common/rules/case-lifecycle.ts';

export type StatsDimension = 'total' | 'category' | 'channel' | 'child' | 'grid' | 'month';

/** What adds up over cases: the summary's columns and the open overdue count. */
export interface StatsSums {
  reported: number;
  accepted: number;
  notAccepted: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
  handlingHours: number;
  overdueNow: number;
}

/** One grouping of the sums: `key` is the category, channel, child region, grid or month ('' for the total). */
export interface StatsRow extends StatsSums {
  dimension: StatsDimension;
  key: string;
}

export interface StatsScope {
  code: string;
  name: string;
  level: RegionLevel | 'grid';
}

export const CHANNEL_NAMES: Record<CaseChannel, string> = {
  finder: '居民反映',
  patrol: '巡查发现',
  hotline: '12345热线',
};

/** The name of grid code '': cases outside every published grid, in a community's queue. */
export const OUTSIDE_GRIDS = '网格外';

export const ZERO_SUMS: StatsSums = {
  reported: 0,
  accepted: 0,
  notAccepted: 0,
  closed: 0,
  closedOnTime: 0,
  rated: 0,
  satisfied: 0,
  basically: 0,
  unsatisfied: 0,
  handlingHours: 0,
  overdueNow: 0,
};

export function addSums(a: StatsSums, b: StatsSums): StatsSums {
  const sum = { ...a };
  for (const key of Object.keys(ZERO_SUMS) as (keyof StatsSums)[]) sum[key] = a[key] + b[key];
  return sum;
}

/** The counts and rates of one row: 应办结 (due) is the closed cases plus the open ones past due. */
export function caseCounts(s: StatsSums): CaseCounts {
  const due = s.closed + s.overdueNow;
  return {
    reported: s.reported,
    accepted: s.accepted,
    notAccepted: s.notAccepted,
    closed: s.closed,
    due,
    closedOnTime: s.closedOnTime,
    rated: s.rated,
    satisfied: s.satisfied,
    basicallySatisfied: s.basically,
    unsatisfied: s.unsatisfied,
    ...caseRates({ ...s, due }),
    avgHandlingHours: s.closed > 0 ? s.handlingHours / s.closed : null,
    overdueNow: s.overdueNow,
  };
}

/** The months a period touches, YYYY-MM, in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) return months;
    months.push(key);
    if (++month > 12) [year, month] = [year + 1, 1];
  }
}

interface Named {
  code: string;
  name: string;
}

export interface StatsInput {
  scope: StatsScope;
  from: string;
  to: string;
  /** The summary's rows and the overdue rows, in any order (rows of one key add up). */
  rows: readonly StatsRow[];
  categories: readonly Named[];
  children: readonly (Named & { level: string })[];
  grids: readonly Named[];
  workers: readonly { username: string; display_name: string; grid_code: string }[];
  tookMs: number;
}

/** Every listed code in order (with zeros when it has no cases), then codes only the rows know. */
function listed<T extends Named>(sums: Map<string, StatsSums>, names: readonly T[], extra: (code: string) => T) {
  const known = new Set(names.map((n) => n.code));
  const extras = [...sums.keys()].filter((code) => !known.has(code)).sort();
  return [...names, ...extras.map(extra)].map((n) => ({ ...n, ...caseCounts(sums.get(n.code) ?? ZERO_SUMS) }));
}

export function assembleCaseStats(input: StatsInput): CaseStats {
  const by: Record<StatsDimension, Map<string, StatsSums>> = {
    total: new Map(),
    category: new Map(),
    channel: new Map(),
    child: new Map(),
    grid: new Map(),
    month: new Map(),
  };
  for (const { dimension, key, ...sums } of input.rows) {
    const map = by[dimension];
    map.set(key, addSums(map.get(key) ?? ZERO_SUMS, sums));
  }
  const gridName = (code: string) => (code === '' ? OUTSIDE_GRIDS : code);

  const workers = new Map<string, Named & { sums: StatsSums }>();
  for (const w of input.workers) {
    const worker = workers.get(w.username) ?? { code: w.username, name: w.display_name, sums: ZERO_SUMS };
    worker.sums = addSums(worker.sums, by.grid.get(w.grid_code) ?? ZERO_SUMS);
    workers.set(w.username, worker);
  }

  return {
    region: { code: input.scope.code, name: input.scope.name, level: input.scope.level },
    from: input.from,
    to: input.to,
    totals: caseCounts(by.total.get('') ?? ZERO_SUMS),
    byCategory: listed(by.category, input.categories, (code) => ({ code, name: code })),
    byChannel: listed(
      by.channel,
      Object.entries(CHANNEL_NAMES).map(([code, name]) => ({ code, name })),
      (code) => ({ code, name: code }),
    ),
    byRegion: listed(input.scope.level === 'grid' ? new Map() : by.child, input.children, (code) => ({
      code,
      name: input.scope.level === 'community' ? gridName(code) : code,
      level: input.scope.level === 'community' ? 'grid' : 'unknown',
    })),
    byGrid: listed(by.grid, input.grids, (code) => ({ code, name: gridName(code) })),
    byWorker: [...workers.values()].map(({ sums, ...worker }) => ({ ...worker, ...caseCounts(sums) })),
    trend: monthsOf(input.from, input.to).map((month) => {
      const counts = caseCounts(by.month.get(month) ?? ZERO_SUMS);
      return {
        month,
        accepted: counts.accepted,
        closed: counts.closed,
        satisfactionRate: counts.satisfactionRate,
      };
    }),
    tookMs: input.tookMs,
  };
}
