/**
 * The true width of a polygonal piece in metres: the diameter of the largest circle that
 * fits inside it (for a MultiPolygon, inside any of its parts). A piece is "thin everywhere"
 * exactly when this is small. Mean width 2·A/P is not a substitute: for a wedge it is half
 * the depth (DESIGN.md trap 9), so a 0.8 m-deep, 105 m² overlap read as a 0.4 m sliver.
 *
 * PostGIS's ST_MaximumInscribedCircle fixes its tolerance at 1/1000 of the extent (0.26 m
 * for a 263 m wedge: too coarse to judge 0.5 m), so the circle is found here with polylabel
 * at a millimetre, on the piece projected to local metres (server/geo/local-metric.ts).
 *
 *   const w = trueWidthM({ type: 'Polygon', coordinates: [[[116.7, 39.5], …]] }); // metres
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import polylabel from 'polylabel';
import { metresPerDegree } from './local-metric.ts';

/** Finest precision of the circle's radius in metres: a width near 0.5 m is exact to ~2 mm. */
const PRECISION_M = 0.001;
/**
 * polylabel subdivides every cell as good as the best one, so a piece of even width (a
 * trapezoid gap 7 m wide and 275 m long) costs length / precision cells: 1.3 s at 1 mm.
 * The precision is therefore relative too: 1/200 of the mean half-width A/P (0.5 % of the
 * width), never finer than 1 mm. A 7.4 m trapezoid is measured to 4 cm in ~70 ms.
 */
const RELATIVE_PRECISION = 1 / 200;

export function trueWidthM(geometry: Polygon | MultiPolygon): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let lon0 = Infinity;
  let lat0 = Infinity;
  let lat1 = -Infinity;
  for (const rings of polygons) {
    for (const [x, y] of rings[0] ?? []) {
      if (x! < lon0) lon0 = x!;
      if (y! < lat0) lat0 = y!;
      if (y! > lat1) lat1 = y!;
    }
  }
  if (!Number.isFinite(lon0)) return 0;
  const [mx, my] = metresPerDegree((lat0 + lat1) / 2);
  const toMetres = (ring: Position[]) => ring.map(([x, y]) => [(x! - lon0) * mx, (y! - lat0) * my]);
  let radius = 0;
  for (const rings of polygons) {
    if (!rings[0] || rings[0].length < 4) continue;
    const metres = rings.map(toMetres);
    const precision = Math.max(PRECISION_M, meanHalfWidth(metres) * RELATIVE_PRECISION);
    radius = Math.max(radius, polylabel(metres, precision).distance);
  }
  return 2 * radius;
}

/** A / P of a polygon in metres (its outer ring's area less its holes', over all rings' length). */
function meanHalfWidth(rings: number[][][]): number {
  let area = 0;
  let perimeter = 0;
  rings.forEach((ring, r) => {
    let twice = 0;
    for (let k = 0; k + 1 < ring.length; k++) {
      const [x1, y1] = ring[k]!;
      const [x2, y2] = ring[k + 1]!;
      twice += x1! * y2! - x2! * y1!;
      perimeter += Math.hypot(x2! - x1!, y2! - y1!);
    }
    area += r === 0 ? Math.abs(twice / 2) : -Math.abs(twice / 2);
  });
  return perimeter > 0 ? Math.max(0, area) / perimeter : 0;
}
