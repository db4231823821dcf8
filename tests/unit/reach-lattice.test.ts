/** Candidate lattice for site suggestions: cell centres, deterministic order, size limit. */
import { describe, expect, it } from 'vitest';
import { latticeOver, MAX_LATTICE_POINTS } from '../../server/station-reach/suggest-sites.ts';
import { metresPerDegree } from '../../server/geo/geodesic.ts';
import { HttpError } from '../../server/http/errors.ts';

describe('latticeOver', () => {
  const scale = metresPerDegree(39.5);
  // A 1,000 × 500 m box at 39.5° N.
  const bbox: [number, number, number, number] = [
    116.7,
    39.5 - 250 / scale.lat,
    116.7 + 1000 / scale.lon,
    39.5 + 250 / scale.lat,
  ];

  it('puts points at the centres of spacing-sized cells, row by row from the south-west', () => {
    const points = latticeOver(bbox, 250);
    expect(points).toHaveLength(4 * 2);
    const metres = points.map(([lon, lat]) => [
      Math.round((lon - bbox[0]) * scale.lon),
      Math.round((lat - bbox[1]) * scale.lat),
    ]);
    expect(metres).toEqual([
      [125, 125],
      [375, 125],
      [625, 125],
      [875, 125],
      [125, 375],
      [375, 375],
      [625, 375],
      [875, 375],
    ]);
  });

  it('refuses a spacing that would give more than the limit, naming spacingM', () => {
    const city: [number, number, number, number] = [116, 39, 117, 40];
    let error: unknown;
    try {
      latticeOver(city, 50);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).param).toBe('spacingM');
    expect(latticeOver(bbox, 50).length).toBeLessThanOrEqual(MAX_LATTICE_POINTS);
  });
});

describe('pointsInPolygons', () => {
  it('finds the polygon of each point; holes and misses give -1; the boundary is inside', async () => {
    const { pointsInPolygons } = await import('../../server/geo/points-in-polygons.ts');
    const square = (x0: number, y0: number, x1: number, y1: number) => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    const polygons = [
      { type: 'Polygon' as const, coordinates: [square(0, 0, 4, 4), square(1, 1, 2, 2)] }, // a hole at 1..2
      { type: 'MultiPolygon' as const, coordinates: [[square(10, 0, 11, 1)], [square(20, 0, 21, 1)]] },
    ];
    expect([
      ...pointsInPolygons(
        [
          [3, 3],
          [1.5, 1.5],
          [20.5, 0.5],
          [5, 5],
          [4, 2],
        ],
        polygons,
      ),
    ]).toEqual([0, -1, 1, -1, 0]);
  });
});
