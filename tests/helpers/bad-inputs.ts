/**
 * The bad inputs of issue 8, as a table: each case is a request body fragment (a geometry, or
 * the raw text of a whole body) with the answer every route must give — a 4xx JSON error
 * naming the problem (tests/helpers/db.ts `tablesChecksum` proves that nothing was written).
 *
 * Geometries are built around a base point `[x, y]` (inside a grid of the editor's street)
 * with a side `d` of about 20 m, so the valid variants would be accepted there.
 */

export type Position = [number, number];

/** A square ring (counter-clockwise, closed) with its south-west corner at `[x, y]`. */
export const squareRing = (x: number, y: number, d: number): Position[] => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

export interface GeometryCase {
  name: string;
  /** The geometry as JSON text (so NaN, 1e999 and strings can be sent as a client would). */
  json: (x: number, y: number, d: number) => string;
  status: number;
  /** The error's code. */
  code: string;
  /** What the error message must say. */
  message: RegExp;
  /** The crossing point PostGIS reports (bow-tie), to find in the error's details. */
  point?: (x: number, y: number, d: number) => Position;
  /** Invalid topology rather than invalid JSON or numbers: the preview answers 200 with an `invalid` problem. */
  topology?: boolean;
}

const polygon = (rings: unknown[]) => JSON.stringify({ type: 'Polygon', coordinates: rings });
/** A ring with `n` vertices on a circle of radius `d` around [x, y] (closed). */
export function manyVertexRing(x: number, y: number, d: number, n: number): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    ring.push([+(x + d * Math.cos(a)).toFixed(7), +(y + d * Math.sin(a)).toFixed(7)]);
  }
  ring.push(ring[0]!);
  return ring;
}

export const GEOMETRY_CASES: GeometryCase[] = [
  {
    name: 'an unclosed ring',
    json: (x, y, d) => polygon([squareRing(x, y, d).slice(0, 4)]),
    status: 400,
    code: 'invalid_parameter',
    message: /not closed/,
  },
  {
    name: 'a ring with under four positions',
    json: (x, y, d) =>
      polygon([
        [
          [x, y],
          [x + d, y],
          [x, y],
        ],
      ]),
    status: 400,
    code: 'invalid_parameter',
    message: /at least 4 positions/,
  },
  {
    //  (x,y+d) ●───● (x+d,y+d)
    //           ╲ ╱
    //            ╳   ← crossing at (x+d/2, y+d/2)
    //           ╱ ╲
    //    (x,y) ●───● (x+d,y)
    name: 'a bow-tie',
    json: (x, y, d) =>
      polygon([
        [
          [x, y],
          [x + d, y + d],
          [x + d, y],
          [x, y + d],
          [x, y],
        ],
      ]),
    status: 400,
    code: 'invalid_geometry',
    message: /self-intersection/i,
    point: (x, y, d) => [x + d / 2, y + d / 2],
    topology: true,
  },
  {
    name: 'a zero-area ring (all on one line)',
    json: (x, y, d) =>
      polygon([
        [
          [x, y],
          [x + d, y],
          [x + 2 * d, y],
          [x, y],
        ],
      ]),
    status: 400,
    code: 'invalid_geometry',
    message: /invalid|too few|self-intersection/i,
    topology: true,
  },
  {
    name: 'a hole outside its shell',
    json: (x, y, d) => polygon([squareRing(x, y, d), squareRing(x + 2 * d, y + 2 * d, d / 4).reverse()]),
    status: 400,
    code: 'invalid_geometry',
    message: /hole lies outside shell/i,
    topology: true,
  },
  {
    name: 'NaN as a coordinate (not JSON)',
    json: (x, y, d) => polygon([squareRing(x, y, d)]).replace(String(x + d), 'NaN'),
    status: 400,
    code: 'invalid_json',
    message: /not valid JSON/,
  },
  {
    name: 'Infinity as a coordinate (not JSON)',
    json: (x, y, d) => polygon([squareRing(x, y, d)]).replace(String(x + d), 'Infinity'),
    status: 400,
    code: 'invalid_json',
    message: /not valid JSON/,
  },
  {
    name: '1e999 (JSON.parse makes it Infinity)',
    json: (x, y, d) => polygon([squareRing(x, y, d)]).replace(String(x + d), '1e999'),
    status: 400,
    code: 'invalid_parameter',
    message: /finite|number/i,
  },
  {
    name: 'coordinates as strings',
    json: (x, y, d) => polygon([squareRing(x, y, d).map(([a, b]) => [String(a), String(b)])]),
    status: 400,
    code: 'invalid_parameter',
    message: /number/i,
  },
  {
    name: 'latitude over 90',
    json: (x, y, d) => polygon([squareRing(x, 90 - d / 2, d)]),
    status: 400,
    code: 'invalid_parameter',
    message: /latitude/i,
  },
  {
    name: 'Gauss–Krüger metres sent as degrees',
    json: () => polygon([squareRing(39_500_000, 4_370_000, 100)]),
    status: 400,
    code: 'invalid_parameter',
    message: /Gauss–Krüger.*EPSG:4527/,
  },
  {
    name: 'swapped lon/lat',
    json: (x, y, d) => polygon([squareRing(y, x, d)]),
    status: 400,
    code: 'invalid_parameter',
    message: /wrong order|swap/i,
  },
  {
    name: '200,000 vertices (fits the body limit)',
    json: (x, y, d) => polygon([manyVertexRing(x + d / 2, y + d / 2, d / 2, 200_000)]),
    status: 400,
    code: 'invalid_parameter',
    message: /vertices|positions|too many|at most/i,
  },
];

/** A body of ~20 MB: 1,000,000 vertices. Refused by the 5 MB body limit before parsing. */
export const millionVertexPolygon = (x: number, y: number, d: number) => polygon([manyVertexRing(x, y, d, 1_000_000)]);

/** `{"a":{"a":…}}` nested `depth` deep. */
export const deeplyNested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Something left over by a prototype-pollution attempt, checked after the requests. */
export const polluted = () => ({}) as Record<string, unknown>;
