/** Problem types and severities (common/rules/problem-types.ts): which kinds exist, how grave each is, which break the tiling. */
import { describe, expect, it } from 'vitest';
import {
  breaksTiling,
  graver,
  isGapProblem,
  PROBLEM_SEVERITY,
  PROBLEM_TYPES,
  repairKind,
  SEVERITIES,
  severityRank,
  type ProblemType,
} from '../../common/rules/problem-types.ts';
import { STATION_KIND_LABELS, STATION_KINDS, stationKindMessages } from '../../common/rules/station-kinds.ts';

const problem = (type: ProblemType, detail: Record<string, unknown> = {}) => ({ properties: { type, detail } });

describe('problem types and severities', () => {
  it('lists the nine problem types in display order', () => {
    expect(PROBLEM_TYPES).toEqual([
      'overlap',
      'gap',
      'sliver',
      'outside',
      'multipart',
      'invalid',
      'households',
      'party',
      'worker',
    ]);
  });

  it('grades broken tiling as errors, broken grid rules as warnings, slivers as info', () => {
    const bySeverity = (s: string) => PROBLEM_TYPES.filter((t) => PROBLEM_SEVERITY[t] === s);
    expect(bySeverity('error')).toEqual(['overlap', 'gap', 'outside', 'multipart', 'invalid']);
    expect(bySeverity('warning')).toEqual(['households', 'party', 'worker']);
    expect(bySeverity('info')).toEqual(['sliver']);
  });

  it('ranks severities gravest first', () => {
    expect(SEVERITIES).toEqual(['error', 'warning', 'info']);
    expect(SEVERITIES.map(severityRank)).toEqual([0, 1, 2]);
    expect(graver('warning', 'error')).toBe('error');
    expect(graver('error', 'info')).toBe('error');
    expect(graver('info', 'warning')).toBe('warning');
    expect(graver('info', 'info')).toBe('info');
  });

  it('marks a community untiled for gaps, overlaps, slivers and outside parts only', () => {
    expect(PROBLEM_TYPES.filter(breaksTiling)).toEqual(['overlap', 'gap', 'sliver', 'outside']);
    // multipart and invalid are errors, but of the grid, not of the tiling.
    expect(breaksTiling('multipart')).toBe(false);
    expect(breaksTiling('invalid')).toBe(false);
  });

  it('knows gaps (and slivers of gaps) from overlaps', () => {
    expect(isGapProblem(problem('gap'))).toBe(true);
    expect(isGapProblem(problem('sliver', { of: 'gap' }))).toBe(true);
    expect(isGapProblem(problem('sliver', { of: 'overlap' }))).toBe(false);
    expect(isGapProblem(problem('overlap'))).toBe(false);
    expect(isGapProblem(problem('outside'))).toBe(false);
  });

  it('repairs gaps, overlaps and their slivers; nothing else', () => {
    expect(repairKind(problem('gap'))).toBe('gap');
    expect(repairKind(problem('overlap'))).toBe('overlap');
    expect(repairKind(problem('sliver', { of: 'gap' }))).toBe('gap');
    expect(repairKind(problem('sliver', { of: 'overlap' }))).toBe('overlap');
    expect(repairKind(problem('sliver', {}))).toBeNull();
    for (const type of ['outside', 'multipart', 'invalid', 'households', 'party', 'worker'] as const)
      expect(repairKind(problem(type))).toBeNull();
  });
});

describe('station kinds', () => {
  it('names every kind in both languages, and spreads the names into a catalogue', () => {
    expect(STATION_KINDS).toHaveLength(8);
    for (const lang of ['zh', 'en'] as const)
      expect(Object.keys(STATION_KIND_LABELS[lang])).toEqual([...STATION_KINDS]);
    expect(STATION_KIND_LABELS.zh.civilization_post).toBe('新时代文明实践站');
    expect(stationKindMessages('kind_', 'en')).toMatchObject({
      kind_red_post: 'Red rest station',
      kind_party_parlour: 'Party–masses reception room',
    });
    expect(Object.keys(stationKindMessages('station.', 'zh'))).toEqual(STATION_KINDS.map((k) => `station.${k}`));
  });
});
