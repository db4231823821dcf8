import { describe, expect, it } from 'vitest';
import { matchEdges, ringSetFromPolygons, signedArea2 } from '../../server/geo/match-edges.ts';
import { fixtureRingSets, readFixtures } from '../helpers/validation-fixtures.ts';

const sq = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('edge matching on the hand-made coverages', () => {
  for (const fixture of readFixtures().filter((f) => f.expect.tiled !== undefined)) {
    it(`${fixture.name}: ${fixture.description}`, () => {
      const { community, grids } = fixtureRingSets(fixture);
      const result = matchEdges(community, grids);
      expect(result.tiled).toBe(fixture.expect.tiled);
      if (fixture.expect.tiled) expect(result.residual).toEqual([]);
      else expect(result.residual.length).toBeGreaterThan(0);
      if (fixture.expect.residualOwners) expect(result.suspects).toEqual(fixture.expect.residualOwners);
    });
  }
});

describe('edge matching: exact answers on unit squares', () => {
  it('the residual of a missing square is its outline, oriented as a hole', () => {
    const community = ringSetFromPolygons('c', [[sq(0, 0, 2, 2)]]);
    const grids = [
      ringSetFromPolygons('A', [[sq(0, 0, 1, 1)]]),
      ringSetFromPolygons('B', [[sq(1, 0, 2, 1)]]),
      ringSetFromPolygons('C', [[sq(0, 1, 1, 2)]]),
    ];
    const { residual } = matchEdges(community, grids);
    const edges = residual.map((e) => `${e.from.join(',')}→${e.to.join(',')}`).sort();
    // The uncovered square (1..2 × 1..2) traced clockwise: what the grids lack.
    expect(edges).toEqual(['1,1→1,2', '1,2→2,2', '2,1→1,1', '2,2→2,1']);
  });

  it('an overlap leaves its outline counted twice on one side', () => {
    const community = ringSetFromPolygons('c', [[sq(0, 0, 2, 1)]]);
    const grids = [ringSetFromPolygons('A', [[sq(0, 0, 1.5, 1)]]), ringSetFromPolygons('B', [[sq(1, 0, 2, 1)]])];
    const result = matchEdges(community, grids);
    expect(result.tiled).toBe(false);
    // Net +1 along the overlap's outline (1..1.5 × 0..1), counter-clockwise.
    const total = result.residual.reduce((s, e) => s + (e.from[0] * e.to[1] - e.to[0] * e.from[1]) * e.weight, 0) / 2;
    expect(total).toBeCloseTo(0.5, 12);
  });

  it('ring direction does not matter: a clockwise shell counts like a counter-clockwise one', () => {
    const cw = sq(0, 0, 1, 1).reverse();
    expect(signedArea2(cw.flat())).toBeLessThan(0);
    const result = matchEdges(ringSetFromPolygons('c', [[sq(0, 0, 1, 1)]]), [ringSetFromPolygons('A', [[cw]])]);
    expect(result.tiled).toBe(true);
  });

  it('repeated vertices and collinear extra vertices still cancel', () => {
    const ring = [
      [0, 0],
      [0.5, 0],
      [0.5, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    expect(matchEdges(ringSetFromPolygons('c', [[sq(0, 0, 1, 1)]]), [ringSetFromPolygons('A', [[ring]])]).tiled).toBe(
      true,
    );
  });

  it('a vertex 1e-6° off its neighbour is not cancelled (no tolerance hides a real gap)', () => {
    const community = ringSetFromPolygons('c', [[sq(0, 0, 2, 1)]]);
    const a = [
      [0, 0],
      [1, 0],
      [1 - 1e-6, 0.5],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const result = matchEdges(community, [
      ringSetFromPolygons('A', [[a]]),
      ringSetFromPolygons('B', [[sq(1, 0, 2, 1)]]),
    ]);
    expect(result.tiled).toBe(false);
    expect(result.suspects).toEqual(['A', 'B']);
  });
});
