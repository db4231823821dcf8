import { describe, expect, it } from 'vitest';
import type {
  CommunityStatus,
  ProblemFeature,
  ProblemProperties,
  ValidationReport,
} from '../common/contracts/validation.ts';
import { bboxOf, communityMark, formatArea, groupProblems, parseTolerance } from './problems.ts';

const COMMUNITY = '131002001001';

function problem(
  props: Partial<ProblemProperties> & Pick<ProblemProperties, 'id' | 'type' | 'severity'>,
): ProblemFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [116.7, 39.5] },
    properties: {
      grids: [],
      community_code: COMMUNITY,
      areaM2: null,
      households: null,
      buildings: null,
      point: [116.7, 39.5],
      detail: {},
      ...props,
    },
  };
}

function report(problems: ProblemFeature[], summary: Partial<ValidationReport['summary']> = {}): ValidationReport {
  return {
    region: { code: COMMUNITY, name: '社区', level: 'community' },
    tolerances: { areaM2: 1, widthM: 0.5 },
    householdBounds: { min: 300, max: 500 },
    summary: {
      overlaps: 0,
      gaps: 0,
      slivers: 0,
      outside: 0,
      multipart: 0,
      invalid: 0,
      householdsOutOfRange: 0,
      uncoveredByParty: 0,
      withoutWorker: 0,
      ...summary,
    },
    communities: [],
    grids: 6,
    areaMethod: 'geodesic',
    tookMs: 12,
    problems: { type: 'FeatureCollection', features: problems },
  };
}

describe('groupProblems', () => {
  it('puts every type under its severity, counts from the summary, biggest area first', () => {
    const groups = groupProblems(
      report(
        [
          problem({ id: 'gap:small', type: 'gap', severity: 'error', areaM2: 4 }),
          problem({ id: 'gap:big', type: 'gap', severity: 'error', areaM2: 40 }),
          problem({ id: 'party:1', type: 'party', severity: 'warning' }),
          problem({ id: 'sliver:1', type: 'sliver', severity: 'info', areaM2: 0.2 }),
        ],
        { gaps: 2, uncoveredByParty: 1, slivers: 1 },
      ),
    );
    expect(groups.map((g) => [g.severity, g.count, g.types.map((t) => `${t.type}=${t.count}`)])).toEqual([
      ['error', 2, ['overlap=0', 'gap=2', 'outside=0', 'multipart=0', 'invalid=0']],
      ['warning', 1, ['households=0', 'party=1', 'worker=0']],
      ['info', 1, ['sliver=1']],
    ]);
    expect(groups[0]!.types[1]!.problems.map((p) => p.properties.id)).toEqual(['gap:big', 'gap:small']);
  });

  it('follows the severity the server gives a type', () => {
    const groups = groupProblems(
      report([problem({ id: 'outside:a', type: 'outside', severity: 'warning' })], { outside: 1 }),
    );
    expect(groups[1]!.types.map((t) => t.type)).toContain('outside');
    expect(groups[0]!.types.map((t) => t.type)).not.toContain('outside');
  });
});

describe('communityMark', () => {
  const status = (errors: number, warnings: number, infos: number): CommunityStatus => ({
    code: COMMUNITY,
    name: '社区',
    tiled: errors === 0,
    errors,
    warnings,
    infos,
  });
  it('is ok with slivers only, a warning without errors, an error otherwise', () => {
    expect(communityMark(status(0, 0, 3))).toEqual({ state: 'ok', count: 0 });
    expect(communityMark(status(0, 2, 0))).toEqual({ state: 'warning', count: 2 });
    expect(communityMark(status(1, 2, 0))).toEqual({ state: 'error', count: 3 });
  });
});

describe('bboxOf', () => {
  it('spans every ring of a multipolygon and collapses on a point', () => {
    expect(
      bboxOf({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [2, -1],
              [3, -1],
              [3, 2],
              [2, -1],
            ],
          ],
        ],
      }),
    ).toEqual([0, -1, 3, 2]);
    expect(bboxOf({ type: 'Point', coordinates: [116.7, 39.5] })).toEqual([116.7, 39.5, 116.7, 39.5]);
    expect(bboxOf({ type: 'GeometryCollection', geometries: [] })).toBeNull();
  });
});

describe('formatArea and parseTolerance', () => {
  it('formats square metres by size', () => {
    expect(formatArea(0.234, 'zh')).toBe('0.23');
    expect(formatArea(12.34, 'en')).toBe('12.3');
    expect(formatArea(1234.5, 'zh')).toBe('1,235');
  });
  it('accepts numbers ≥ 0 only', () => {
    expect(parseTolerance(' 0.5 ')).toBe(0.5);
    expect(parseTolerance('0')).toBe(0);
    expect(parseTolerance('')).toBeNull();
    expect(parseTolerance('-1')).toBeNull();
    expect(parseTolerance('abc')).toBeNull();
  });
});
