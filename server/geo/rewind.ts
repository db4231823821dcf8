/**
 * Ring orientation as RFC 7946 asks (exterior rings counter-clockwise, holes clockwise), by
 * the sign of the planar (shoelace) area: valid for degrees and projected metres alike.
 * Shapefiles store the opposite, so readers of them rewind; the first vertex stays first.
 */
import type { Geometry, Position } from 'geojson';

/**
 * Twice the signed planar area of a ring: positive when counter-clockwise. Latitudes are
 * taken about the first vertex's (the x differences already sum to zero around the ring), so
 * degrees near 39° lose none of a small ring's digits.
 */
export function signedArea2(ring: Position[]): number {
  const y0 = ring[0]?.[1] ?? 0;
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! - y0 + (ring[i]![1]! - y0));
  return sum;
}

const orient = (ring: Position[], ccw: boolean) => (signedArea2(ring) > 0 === ccw ? ring : [...ring].reverse());
const rewindPolygon = (rings: Position[][]) => rings.map((ring, i) => orient(ring, i === 0));

/** A copy of `geometry` with RFC 7946 ring orientation and no `bbox` member. */
export function rewindRfc7946(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: rewindPolygon(geometry.coordinates) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(rewindPolygon) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map(rewindRfc7946) };
    default: {
      const { bbox: _bbox, ...rest } = geometry;
      return rest as Geometry;
    }
  }
}
