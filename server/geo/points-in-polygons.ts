/**
 * Which polygon each point lies in (boundary counts as inside), or -1: a bbox test first,
 * then point-in-polygon (turf, even-odd rings, holes respected). For the few hundred
 * unreached buildings of a street against its unreached parts, a linear scan is enough.
 *
 *   pointsInPolygons([[0.5, 0.5], [2, 2]], [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }])  // → Int32Array [0, -1]
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

export function pointsInPolygons(
  points: readonly (readonly [number, number])[],
  polygons: (Polygon | MultiPolygon)[],
): Int32Array {
  const boxes = polygons.map((polygon) => {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    const rings = polygon.type === 'Polygon' ? polygon.coordinates : polygon.coordinates.flat();
    for (const ring of rings) {
      for (const [x, y] of ring) {
        if (x! < x0) x0 = x!;
        if (x! > x1) x1 = x!;
        if (y! < y0) y0 = y!;
        if (y! > y1) y1 = y!;
      }
    }
    return [x0, y0, x1, y1] as const;
  });
  return Int32Array.from(points, ([x, y]) => {
    for (let i = 0; i < polygons.length; i++) {
      const [x0, y0, x1, y1] = boxes[i]!;
      if (x < x0 || x > x1 || y < y0 || y > y1) continue;
      if (booleanPointInPolygon([x, y], polygons[i]!)) return i;
    }
    return -1;
  });
}
