/**
 * Structural check of every feature's coordinates after reading, before anything else looks at
 * them: nesting as the type says, numbers only, finite. Counts features and vertices against
 * the limits so a huge file stops here with a 413 rather than deep inside the import.
 */
import type { Geometry } from 'geojson';
import { invalidCoordinates } from './errors.ts';
import { tooLarge } from './limits.ts';
import type { ReadLimits, SourceFeature } from './types.ts';

const DEPTH: Record<string, number> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/** Number of positions in a well-formed geometry; throws 'invalid_coordinates' naming the feature. */
function countPositions(g: Geometry, index: number): number {
  if (g.type === 'GeometryCollection') return g.geometries.reduce((n, child) => n + countPositions(child, index), 0);
  const depth = DEPTH[g.type];
  let n = 0;
  const walk = (value: unknown, d: number) => {
    if (!Array.isArray(value))
      throw invalidCoordinates(`Feature ${index}: the ${g.type}'s coordinates are not nested arrays`);
    if (d > 0) {
      for (const child of value) walk(child, d - 1);
      return;
    }
    if (value.length < 2)
      throw invalidCoordinates(`Feature ${index}: a position needs at least two numbers, got ${JSON.stringify(value)}`);
    for (const c of value) {
      if (typeof c !== 'number' || !Number.isFinite(c)) {
        throw invalidCoordinates(
          `Feature ${index}: coordinate ${JSON.stringify(c) ?? String(c)} is not a finite number (NaN, Infinity and text are refused)`,
        );
      }
    }
    n++;
  };
  walk((g as { coordinates: unknown }).coordinates, depth!);
  return n;
}

/** Throws 413 past maxFeatures/maxVertices and 400 on any malformed or non-finite coordinate. */
export function checkFeatures(features: SourceFeature[], limits: ReadLimits): void {
  if (features.length > limits.maxFeatures) throw tooLarge('maxFeatures', features.length, limits);
  let vertices = 0;
  features.forEach((f, index) => {
    if (!f.geometry) return;
    vertices += countPositions(f.geometry, index);
    if (vertices > limits.maxVertices) throw tooLarge('maxVertices', NaN, limits, ` (reached at feature ${index})`);
  });
}
