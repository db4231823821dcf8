/** The statistics' pure parts: the period's parsing and split into whole months and days, and the assembly. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../server/http/errors.ts';
import { parseCaseStatsQuery, splitPeriod } from '../../server/cases/stats-params.ts';
import { assembleCaseStats, caseCounts, monthsOf, ZERO_SUMS } from '../../server/cases/stats.ts';

const NOW = new Date('2026-12-06T16:30:00Z'); // 00:30 on 7 December in Beijing

describe('case statistics: the period', () => {
  it('defaults to the 365 Beijing days up to the clock', () => {
    expect(parseCaseStatsQuery({ region: '131002000000' }, NOW)).toEqual({
      region: '131002000000',
      from: '2025-12-08',
      to: '2026-12-07',
    });
    expect(parseCaseStatsQuery({ region: '131002001001001', from: '2026-01-01' }, NOW).to).toBe('2026-12-07');
  });

  it('names the bad parameter', () => {
    const param = (query: Record<string, unknown>) => {
      try {
        parseCaseStatsQuery(query, NOW);
      } catch (error) {
        return (error as HttpError).param;
      }
      return 'accepted';
    };
    expect(param({})).toBe('region');
    expect(param({ region: ['131002000000', '131002000000'] })).toBe('region');
    expect(param({ region: '131002000000', from: '2026-02-29' })).toBe('from');
    expect(param({ region: '131002000000', to: '2026-1-1' })).toBe('to');
    expect(param({ region: '131002000000', from: '2026-02-01', to: '2026-01-31' })).toBe('from');
    expect(param({ region: '131002000000', sort: 'x' })).toBe('sort');
    expect(param({ region: '131002000000', from: '2024-02-29', to: '2024-02-29' })).toBe('accepted');
  });

  it('splits a period into whole months and the days around them', () => {
    expect(splitPeriod('2024-01-01', '2024-12-31')).toEqual({ months: ['2024-01-01', '2024-12-01'], days: [] });
    expect(splitPeriod('2025-12-08', '2026-12-07')).toEqual({
      months: ['2026-01-01', '2026-11-01'],
      days: [
        ['2025-12-08', '2025-12-31'],
        ['2026-12-01', '2026-12-07'],
      ],
    });
    expect(splitPeriod('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02-01', '2024-02-01'], days: [] });
    expect(splitPeriod('2024-01-15', '2024-02-10')).toEqual({ months: null, days: [['2024-01-15', '2024-02-10']] });
    expect(splitPeriod('2024-01-31', '2024-03-01')).toEqual({
      months: ['2024-02-01', '2024-02-01'],
      days: [
        ['2024-01-31', '2024-01-31'],
        ['2024-03-01', '2024-03-01'],
      ],
    });
    expect(monthsOf('2024-11-30', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });
});

describe('case statistics: the assembly', () => {
  it('counts 应办结 as closed plus open overdue, and divides with caseRates', () => {
    const counts = caseCounts({
      ...ZERO_SUMS,
      accepted: 10,
      closed: 8,
      closedOnTime: 6,
      overdueNow: 1,
      rated: 5,
      satisfied: 3,
      basically: 1,
      handlingHours: 160,
    });
    expect(counts).toMatchObject({
      due: 9,
      closureRate: 0.8,
      onTimeRate: 6 / 9,
      satisfactionRate: 0.8,
      avgHandlingHours: 20,
    });
    expect(caseCounts(ZERO_SUMS)).toMatchObject({
      closureRate: null,
      onTimeRate: null,
      satisfactionRate: null,
      avgHandlingHours: null,
    });
  });

  it('adds the summary and overdue rows of a key, lists zero rows, and gives a worker the sums of their grids', () => {
    const stats = assembleCaseStats({
      scope: { code: '131002001001', name: '社区', level: 'community' },
      from: '2024-01-01',
      to: '2024-02-29',
      rows: [
        { ...ZERO_SUMS, dimension: 'grid', key: '131002001001001', accepted: 4, closed: 3 },
        { ...ZERO_SUMS, dimension: 'grid', key: '131002001001001', overdueNow: 1 },
        { ...ZERO_SUMS, dimension: 'grid', key: '131002001001002', accepted: 2, closed: 2 },
        { ...ZERO_SUMS, dimension: 'grid', key: '', accepted: 1 },
        { ...ZERO_SUMS, dimension: 'month', key: '2024-02', accepted: 7, closed: 5 },
      ],
      categories: [{ code: 'safety', name: '安全隐患' }],
      children: [
        { code: '131002001001001', name: '一网格', level: 'grid' },
        { code: '131002001001002', name: '二网格', level: 'grid' },
        { code: '131002001001003', name: '三网格', level: 'grid' },
      ],
      grids: [],
      workers: [
        { username: 'w1', display_name: '张三', grid_code: '131002001001001' },
        { username: 'w1', display_name: '张三', grid_code: '131002001001002' },
      ],
      tookMs: 0,
    });
    expect(stats.byWorker).toEqual([
      expect.objectContaining({ code: 'w1', name: '张三', accepted: 6, closed: 5, due: 6 }),
    ]);
    expect(stats.byGrid.map((g) => [g.code, g.name, g.accepted])).toEqual([
      ['', '网格外', 1],
      ['131002001001001', '131002001001001', 4],
      ['131002001001002', '131002001001002', 2],
    ]);
    expect(stats.byRegion.map((r) => r.accepted)).toEqual([0, 0, 0]); // no child rows were given
    expect(stats.byCategory).toEqual([expect.objectContaining({ code: 'safety', accepted: 0 })]);
    expect(stats.byChannel.map((c) => c.name)).toEqual(['居民反映', '巡查发现', '12345热线']);
    expect(stats.trend).toEqual([
      { month: '2024-01', accepted: 0, closed: 0, satisfactionRate: null },
      { month: '2024-02', accepted: 7, closed: 5, satisfactionRate: null },
    ]);
  });
});
