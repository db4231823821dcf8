/** traceCells on shapes with pinches and holes: each turns into simple rings. */
import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { traceCells } from '../../data/generator/trace-boundary.ts';
import { cellsFromPicture, TRACE_FIXTURES } from '../../data/generator/fixtures.ts';

describe('traceCells', () => {
  for (const fixture of TRACE_FIXTURES) {
    it(fixture.name, () => {
      const { lattice, cells } = cellsFromPicture(fixture.picture);
      const geom = traceCells(lattice, cells);
      expect(geom.coordinates).toHaveLength(fixture.polygons);
      expect(geom.coordinates.reduce((n, p) => n + p.length - 1, 0)).toBe(fixture.holes);
      for (const polygon of geom.coordinates) {
        for (const ring of polygon) {
          // Simple ring: no vertex visited twice (pinches are split between rings).
          expect(new Set(ring.slice(0, -1).map(String)).size).toBe(ring.length - 1);
        }
      }
      expect(turf.booleanClockwise(geom.coordinates[0]![0]!)).toBe(false);
      // Area is exactly the cells' area: nothing lost or doubled at the pinches.
      const one = turf.area(traceCells(lattice, [cells[0]!]));
      expect(turf.area(geom) / one).toBeCloseTo(cells.length, 2);
    });
  }
});
