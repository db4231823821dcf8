import { describe, expect, it } from 'vitest';
import { areaProblem, isSliver, problemId, summarise, type MeasuredArea } from '../../server/validation/problems.ts';

const tol = { areaM2: 1, widthM: 0.5 };
const measured = (over: Partial<MeasuredArea>): MeasuredArea => ({
  kind: 'gap',
  community: '131002001001',
  grids: ['131002001001002', '131002001001001'],
  geometry: { type: 'Point', coordinates: [116.7, 39.5] },
  areaM2: 100,
  perimeterM: 40,
  widthM: 10,
  point: [116.7, 39.5],
  buildings: 0,
  households: 0,
  ...over,
});

describe('sliver rules', () => {
  it('is a sliver when smaller than the area tolerance or thinner everywhere than the width tolerance', () => {
    expect(isSliver(40, 0.4, tol)).toBe(true); // thin: a 0.4 m × 100 m strip
    expect(isSliver(0.9, 0.95, tol)).toBe(true); // small (0.95 × 0.95 m)
    expect(isSliver(100, 10, tol)).toBe(false);
    expect(isSliver(100, 10, { areaM2: 101, widthM: 0.5 })).toBe(true);
  });
  it('wedge_0_8m_deep (issue 15): 105 m², 0.8 m true width, is an error, though its mean width 2A/P is 0.4 m', () => {
    const wedge = areaProblem(measured({ kind: 'overlap', areaM2: 105.26, perimeterM: 526, widthM: 0.8 }), tol);
    expect(wedge.properties).toMatchObject({ type: 'overlap', severity: 'error', detail: { widthM: 0.8 } });
    expect(
      areaProblem(measured({ kind: 'overlap', areaM2: 65.7, perimeterM: 526, widthM: 0.499 }), tol).properties.type,
    ).toBe('sliver');
  });
  it('a sliver keeps what it was and a distinct id; an outside part is never a sliver', () => {
    const thin = areaProblem(measured({ areaM2: 40, perimeterM: 200.8, widthM: 0.4 }), tol);
    expect(thin.properties).toMatchObject({ type: 'sliver', severity: 'info', detail: { of: 'gap', widthM: 0.4 } });
    expect(thin.properties.id).toBe('sliver:gap:131002001001:116.700000,39.500000');
    expect(thin.properties.grids).toEqual(['131002001001001', '131002001001002']);
    expect(areaProblem(measured({ kind: 'outside', areaM2: 0.1, perimeterM: 10 }), tol).properties.type).toBe(
      'outside',
    );
  });
});

describe('problem ids and summary', () => {
  it('ids are stable and readable', () => {
    expect(problemId('overlap', 'c', ['a', 'b'], [0, 0])).toBe('overlap:a:b');
    expect(problemId('party', 'c', ['g'], [1, 2])).toBe('party:g');
    expect(problemId('gap', 'c', [], [116.1234567, 39.7654321])).toBe('gap:c:116.123457,39.765432');
  });
  it('counts by type', () => {
    const problems = [
      areaProblem(measured({}), tol),
      areaProblem(measured({ kind: 'overlap' }), tol),
      areaProblem(measured({ areaM2: 0.5 }), tol),
    ];
    expect(summarise(problems)).toMatchObject({ gaps: 1, overlaps: 1, slivers: 1, outside: 0 });
  });
});
