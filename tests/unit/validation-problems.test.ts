import { describe, expect, it } from 'vitest';
import { areaProblem, isSliver, meanWidthM, problemId, summarise, type MeasuredArea } from '../../server/validation/problems.ts';

const tol = { areaM2: 1, widthM: 0.5 };
const measured = (over: Partial<MeasuredArea>): MeasuredArea => ({
  kind: 'gap', community: '131002001001', grids: ['131002001001002', '131002001001001'],
  geometry: { type: 'Point', coordinates: [116.7, 39.5] }, areaM2: 100, perimeterM: 40,
  point: [116.7, 39.5], buildings: 0, households: 0, ...over,
});

describe('sliver rules', () => {
  it('mean width 2A/P: a 0.4 m × 100 m strip is 0.398 m wide, a 10 m square 5 m', () => {
    expect(meanWidthM(40, 200.8)).toBeCloseTo(0.3984, 4);
    expect(meanWidthM(100, 40)).toBe(5);
    expect(meanWidthM(0, 0)).toBe(0);
  });
  it('is a sliver when thinner than the width tolerance or smaller than the area tolerance', () => {
    expect(isSliver(40, 200.8, tol)).toBe(true); // thin
    expect(isSliver(0.9, 3.8, tol)).toBe(true); // small (0.95 × 0.95 m)
    expect(isSliver(100, 40, tol)).toBe(false);
    expect(isSliver(100, 40, { areaM2: 101, widthM: 0.5 })).toBe(true);
  });
  it('a sliver keeps what it was and a distinct id; an outside part is never a sliver', () => {
    const thin = areaProblem(measured({ areaM2: 40, perimeterM: 200.8 }), tol);
    expect(thin.properties).toMatchObject({ type: 'sliver', severity: 'info', detail: { of: 'gap', widthM: 0.398 } });
    expect(thin.properties.id).toBe('sliver:gap:131002001001:116.700000,39.500000');
    expect(thin.properties.grids).toEqual(['131002001001001', '131002001001002']);
    expect(areaProblem(measured({ kind: 'outside', areaM2: 0.1, perimeterM: 10 }), tol).properties.type).toBe('outside');
  });
});

describe('problem ids and summary', () => {
  it('ids are stable and readable', () => {
    expect(problemId('overlap', 'c', ['a', 'b'], [0, 0])).toBe('overlap:a:b');
    expect(problemId('party', 'c', ['g'], [1, 2])).toBe('party:g');
    expect(problemId('gap', 'c', [], [116.1234567, 39.7654321])).toBe('gap:c:116.123457,39.765432');
  });
  it('counts by type', () => {
    const problems = [areaProblem(measured({}), tol), areaProblem(measured({ kind: 'overlap' }), tol), areaProblem(measured({ areaM2: 0.5 }), tol)];
    expect(summarise(problems)).toMatchObject({ gaps: 1, overlaps: 1, slivers: 1, outside: 0 });
  });
});
