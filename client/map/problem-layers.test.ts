import { describe, expect, it } from 'vitest';
import type { ProblemCollection } from '../../common/contracts/validation.ts';
import { PROBLEM_TYPES } from '../../common/rules/problem-types.ts';
import { PROBLEM_COLORS, toProblemFeatures } from './problem-layers.ts';

const base = {
  severity: 'error' as const,
  community_code: '131002001001',
  areaM2: null,
  households: null,
  buildings: null,
  detail: {},
};

describe('problem layers', () => {
  it('draws polygon problems as areas and every problem as a marker at its point', () => {
    const problems: ProblemCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
          properties: { ...base, id: 'gap:a', type: 'gap', grids: [], point: [0.7, 0.2] },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [5, 5] },
          properties: {
            ...base,
            id: 'party:b',
            type: 'party',
            severity: 'warning',
            grids: ['131002001001001'],
            point: [5, 5],
          },
        },
      ],
    };
    const { areas, markers } = toProblemFeatures(problems);
    expect(areas.features.map((f) => f.properties)).toEqual([{ id: 'gap:a', type: 'gap', severity: 'error' }]);
    expect(
      markers.features.map((f) => [f.properties?.id, f.properties?.area, (f.geometry as GeoJSON.Point).coordinates]),
    ).toEqual([
      ['gap:a', true, [0.7, 0.2]],
      ['party:b', false, [5, 5]],
    ]);
    expect(toProblemFeatures(null).markers.features).toEqual([]);
  });

  it('has a distinct colour for every problem type', () => {
    expect(new Set(PROBLEM_TYPES.map((type) => PROBLEM_COLORS[type])).size).toBe(PROBLEM_TYPES.length);
  });
});
