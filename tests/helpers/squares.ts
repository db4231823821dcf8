/**
 * Rectangles and squares for hand-made fixtures, counter-clockwise and closed (in fixture
 * units or degrees alike), so a test names a shape instead of spelling out five corners.
 *
 *   squareGrid(1, 0)        // [[[1,0],[2,0],[2,1],[1,1],[1,0]]]: a unit grid right of the origin's
 *   rectPolygon(0, 0, 3, 1) // a 3 × 1 strip
 *   cutLine(grid)           // a line that splits a grid in two
 */
export const rectRing = (x0: number, y0: number, x1: number, y1: number): number[][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

/** A rectangle as polygon rings (one outer ring). */
export const rectPolygon = (x0: number, y0: number, x1: number, y1: number): number[][][] => [rectRing(x0, y0, x1, y1)];

/** A `size` × `size` square grid with its lower-left corner at (x0, y0), as polygon rings. */
export const squareGrid = (x0: number, y0: number, size = 1): number[][][] => rectPolygon(x0, y0, x0 + size, y0 + size);

/** A north–south line through the middle of a grid's bbox, reaching past it: it splits the grid in two. */
export const cutLine = (grid: { geometry: { coordinates: number[][][][] } }) => {
  const pts = grid.geometry.coordinates.flat(2);
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  const x = (Math.min(...xs) + Math.max(...xs)) / 2 + 1.234e-6;
  return {
    type: 'LineString',
    coordinates: [
      [x, Math.min(...ys) - 0.001],
      [x, Math.max(...ys) + 0.001],
    ],
  };
};
