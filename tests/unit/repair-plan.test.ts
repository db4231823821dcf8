import { describe, expect, it } from 'vitest';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { chooseTarget, selectForBatch, type RepairCandidate } from '../../server/editing/repair-plan.ts';
import { repairKind } from '../../common/rules/problem-types.ts';

const problem = (
  id: string,
  type: ProblemFeature['properties']['type'],
  areaM2: number | null,
  detail: Record<string, string> = {},
): ProblemFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [0, 0] },
  properties: {
    id,
    type,
    severity: 'error',
    grids: [],
    community_code: '131002003001',
    areaM2,
    households: 0,
    buildings: 0,
    point: [0, 0],
    detail,
  },
});

describe('repair planning', () => {
  const around: RepairCandidate[] = [
    { code: '131002003001003', sharedM: 50, overlapping: false },
    { code: '131002003001002', sharedM: 100, overlapping: false },
    { code: '131002003001001', sharedM: 0.0004, overlapping: false }, // touches at a point
  ];

  it('gives the piece to the neighbour with the longest shared edge', () => {
    expect(chooseTarget(around)).toEqual({ ok: true, code: '131002003001002' });
  });

  it('breaks a tie by the smaller code, whatever the order given', () => {
    const tie = [
      { code: 'B', sharedM: 100, overlapping: false },
      { code: 'A', sharedM: 100, overlapping: false },
    ];
    expect(chooseTarget(tie)).toEqual({ ok: true, code: 'A' });
    expect(chooseTarget([...tie].reverse())).toEqual({ ok: true, code: 'A' });
  });

  it('takes a named neighbour that borders the piece, even with a shorter edge', () => {
    expect(chooseTarget(around, '131002003001003')).toEqual({ ok: true, code: '131002003001003' });
  });

  it('refuses a named grid that only touches the piece at a point, or is not near it, listing those that may', () => {
    for (const to of ['131002003001001', '131002003001009']) {
      expect(chooseTarget(around, to)).toEqual({
        ok: false,
        reason: 'not_a_neighbour',
        eligible: ['131002003001002', '131002003001003'],
      });
    }
  });

  it('accepts a grid that covers part of the piece (one of an overlap’s grids) whatever its shared edge', () => {
    expect(chooseTarget([{ code: 'A', sharedM: 0, overlapping: true }], 'A')).toEqual({ ok: true, code: 'A' });
  });

  it('has no target when nothing borders the piece', () => {
    expect(chooseTarget([])).toEqual({ ok: false, reason: 'no_neighbour' });
    expect(chooseTarget([{ code: 'A', sharedM: 0, overlapping: false }])).toEqual({
      ok: false,
      reason: 'no_neighbour',
    });
  });

  it('repairs gaps, overlaps and their slivers, nothing else', () => {
    expect(repairKind(problem('g', 'gap', 10))).toBe('gap');
    expect(repairKind(problem('o', 'overlap', 10))).toBe('overlap');
    expect(repairKind(problem('s', 'sliver', 0.2, { of: 'overlap' }))).toBe('overlap');
    expect(repairKind(problem('s', 'sliver', 0.2, { of: 'gap' }))).toBe('gap');
    for (const type of ['outside', 'multipart', 'invalid', 'households'] as const)
      expect(repairKind(problem('x', type, 10))).toBeNull();
  });

  it('batches every repairable problem up to the area, smallest first', () => {
    const list = [
      problem('big', 'gap', 2000.5),
      problem('b', 'overlap', 849.2),
      problem('a', 'gap', 770),
      problem('o', 'outside', 5),
      problem('s', 'sliver', 0.3, { of: 'gap' }),
      problem('edge', 'gap', 2000),
    ];
    expect(selectForBatch(list, 2000).map((p) => p.properties.id)).toEqual(['s', 'a', 'b', 'edge']);
  });
});
