/**
 * The case dashboard's pure parts: the period picker's ranges (Beijing dates), rates as
 * people read them, sortable table rows and the trend chart's geometry. No DOM here.
 */
import type { CaseCounts, CaseStats } from '../../common/contracts/cases.ts';

export type PeriodKind = '30d' | '1y' | 'custom';
export const PERIOD_KINDS: readonly PeriodKind[] = ['30d', '1y', 'custom'];

export interface Period {
  kind: PeriodKind;
  /** YYYY-MM-DD, Beijing, both included. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing date of an instant. */
export const beijingDate = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** `days` days back from a date, as a date. */
export const daysBefore = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/**
 * 近30天 and 近一年 end today (Beijing) and include it; 自定义 keeps the dates given.
 *
 * @example periodOf('30d', new Date('2026-12-07T02:00:00Z')) // { kind: '30d', from: '2026-11-08', to: '2026-12-07' }
 */
export function periodOf(kind: PeriodKind, now: Date, custom?: { from: string; to: string }): Period {
  const today = beijingDate(now);
  if (kind === 'custom' && custom) return { kind, from: custom.from, to: custom.to };
  return { kind, from: daysBefore(today, kind === '30d' ? 29 : 364), to: today };
}

/** The query string every case-stats surface takes (stats, points, the xlsx 台账). */
export const periodQuery = (region: string, period: Period): string =>
  new URLSearchParams({ region, from: period.from, to: period.to }).toString();

export const exportHref = (region: string, period: Period): string =>
  `/api/reports/cases.xlsx?${periodQuery(region, period)}`;

/** 98.8 % as people read it; a rate with nothing to divide by is a dash. */
export function formatRate(rate: number | null, lang: 'zh' | 'en' = 'zh'): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  const text = (Math.round(rate * 1000) / 10).toFixed(1);
  return lang === 'zh' ? `${text}%` : `${text} %`;
}

/** Hours to one decimal; a dash when no case was finished. */
export const formatHours = (hours: number | null): string =>
  hours === null || !Number.isFinite(hours) ? '—' : (Math.round(hours * 10) / 10).toFixed(1);

export type NamedCounts = CaseCounts & { code: string; name: string };
export type SortKey = 'name' | 'accepted' | 'closed' | 'closureRate' | 'onTimeRate' | 'satisfactionRate' | 'overdueNow';
export const SORT_KEYS: readonly SortKey[] = [
  'name',
  'accepted',
  'closed',
  'closureRate',
  'onTimeRate',
  'satisfactionRate',
  'overdueNow',
];

/**
 * Rows in a column's order; rows with no rate (nothing accepted) always go last, and ties keep
 * the order by name so a league table does not jump.
 */
export function sortRows<T extends NamedCounts>(rows: readonly T[], key: SortKey, descending: boolean): T[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'zh-CN') || a.code.localeCompare(b.code);
  return [...rows].sort((a, b) => {
    if (key === 'name') return descending ? byName(b, a) : byName(a, b);
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return (descending ? y - x : x - y) || byName(a, b);
  });
}

/** The league table's rows: grid workers when a community is on show, else the child regions. */
export function leagueRows(stats: CaseStats, level: string): { kind: 'worker' | 'region'; rows: NamedCounts[] } {
  return level === 'community' ? { kind: 'worker', rows: stats.byWorker } : { kind: 'region', rows: stats.byRegion };
}

export interface TrendBar {
  month: string;
  x: number;
  width: number;
  acceptedY: number;
  acceptedHeight: number;
  closedY: number;
  closedHeight: number;
  /** The satisfaction line's point (null: nothing rated that month). */
  rateY: number | null;
}

export interface TrendGeometry {
  bars: TrendBar[];
  /** The count at the top of the chart (a round number above the highest bar). */
  max: number;
  /** The satisfaction scale: its bottom rate (the top is 100 %). */
  rateFloor: number;
}

/** A round number at or above `n` (1, 2, 5 × 10^k). */
export function niceCeil(n: number): number {
  if (n <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/**
 * Bars (accepted beside closed) and the satisfaction line in a `width` × `height` plot area.
 * Satisfaction sits between 80 % and 100 % in practice, so its scale starts at the lowest
 * month's rate rounded down to 10 % (never above 80 %), else the line would be flat on top.
 */
export function trendGeometry(trend: CaseStats['trend'], width: number, height: number): TrendGeometry {
  const max = niceCeil(Math.max(0, ...trend.flatMap((m) => [m.accepted, m.closed])));
  const rates = trend.map((m) => m.satisfactionRate).filter((r): r is number => r !== null);
  const rateFloor = Math.min(0.8, Math.floor(Math.min(1, ...rates) * 10) / 10);
  const slot = trend.length > 0 ? width / trend.length : width;
  const barWidth = Math.max(1, slot * 0.36);
  const y = (value: number) => height - (value / max) * height;
  const bars = trend.map((m, i) => {
    const x = i * slot + slot * 0.12;
    return {
      month: m.month,
      x,
      width: barWidth,
      acceptedY: y(m.accepted),
      acceptedHeight: height - y(m.accepted),
      closedY: y(m.closed),
      closedHeight: height - y(m.closed),
      rateY:
        m.satisfactionRate === null ? null : height - ((m.satisfactionRate - rateFloor) / (1 - rateFloor)) * height,
    };
  });
  return { bars, max, rateFloor };
}
