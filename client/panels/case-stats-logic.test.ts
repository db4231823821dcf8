import { describe, expect, it } from 'vitest';
import type { CaseCounts } from '../../common/contracts/cases.ts';
import {
  exportHref,
  formatHours,
  formatRate,
  niceCeil,
  periodOf,
  sortRows,
  trendGeometry,
  type NamedCounts,
} from './case-stats-logic.ts';

const counts = (accepted: number, closureRate: number | null): CaseCounts => ({
  reported: accepted,
  accepted,
  notAccepted: 0,
  closed: 0,
  due: 0,
  closedOnTime: 0,
  rated: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  unsatisfied: 0,
  closureRate,
  onTimeRate: null,
  satisfactionRate: null,
  avgHandlingHours: null,
  overdueNow: 0,
});
const row = (code: string, name: string, accepted: number, rate: number | null): NamedCounts => ({
  ...counts(accepted, rate),
  code,
  name,
});

describe('case dashboard logic', () => {
  it('ends 近30天 and 近一年 on the Beijing date of now, both ends included', () => {
    // 20:00 UTC on 6 December is 04:00 on 7 December in Beijing.
    const now = new Date('2026-12-06T20:00:00Z');
    expect(periodOf('30d', now)).toEqual({ kind: '30d', from: '2026-11-08', to: '2026-12-07' });
    expect(periodOf('1y', now)).toEqual({ kind: '1y', from: '2025-12-08', to: '2026-12-07' });
    expect(periodOf('custom', now, { from: '2026-01-01', to: '2026-03-31' })).toEqual({
      kind: 'custom',
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(exportHref('131002000000', periodOf('30d', now))).toBe(
      '/api/reports/cases.xlsx?region=131002000000&from=2026-11-08&to=2026-12-07',
    );
  });

  it('formats rates to one decimal and hours, with a dash for nothing', () => {
    expect(formatRate(256 / 259)).toBe('98.8%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0.9645, 'en')).toBe('96.5 %');
    expect(formatRate(null)).toBe('—');
    expect(formatHours(20.64)).toBe('20.6');
    expect(formatHours(null)).toBe('—');
  });

  it('sorts league rows by a column, rows without a rate last, ties by name', () => {
    const rows = [row('3', '乙', 10, 0.9), row('1', '甲', 5, null), row('2', '丙', 10, 1), row('4', '丁', 7, 0.9)];
    expect(sortRows(rows, 'closureRate', true).map((r) => r.code)).toEqual(['2', '4', '3', '1']);
    // 丁 (dīng) before 乙 (yǐ): names sort as Chinese readers sort them.
    expect(sortRows(rows, 'closureRate', false).map((r) => r.code)).toEqual(['4', '3', '2', '1']);
    expect(sortRows(rows, 'accepted', true).map((r) => r.accepted)).toEqual([10, 10, 7, 5]);
  });

  it('scales the trend to a round maximum and the satisfaction line from 80 %', () => {
    expect([niceCeil(0), niceCeil(7), niceCeil(74), niceCeil(101), niceCeil(500)]).toEqual([1, 10, 100, 200, 500]);
    const { bars, max, rateFloor } = trendGeometry(
      [
        { month: '2026-01', accepted: 80, closed: 40, satisfactionRate: 1 },
        { month: '2026-02', accepted: 20, closed: 20, satisfactionRate: null },
        { month: '2026-03', accepted: 0, closed: 0, satisfactionRate: 0.9 },
      ],
      300,
      100,
    );
    expect(max).toBe(100);
    expect(rateFloor).toBe(0.8);
    expect(bars.map((b) => b.acceptedHeight)).toEqual([80, 20, 0]);
    expect(bars.map((b) => b.closedY)).toEqual([60, 80, 100]);
    expect(bars[0]!.rateY).toBe(0);
    expect(bars[1]!.rateY).toBeNull();
    expect(bars[2]!.rateY).toBeCloseTo(50, 9);
    expect(bars[1]!.x).toBeCloseTo(100 + 12, 9);
  });
});
