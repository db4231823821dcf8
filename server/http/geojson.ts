/**
 * GeoJSON request geometry, validated once for every route that takes an outline or a line:
 * finite numbers, WGS84 ranges (coordinates that are not degrees are refused with the system
 * they look like: Gauss–Krüger metres, swapped lon/lat), closed rings of at least 4
 * positions, and a vertex limit checked before anything else is parsed. A 400 names the
 * field and the ring (e.g. "geometry: ring 0 of polygon 0 is not closed").
 *
 * What only PostGIS can judge (a bow-tie, a hole outside its shell, a zero-area ring) is
 * refused by `invalidGeometry` with ST_IsValidDetail's reason and point, never repaired.
 */
import { z } from 'zod';
import type { Position } from 'geojson';
import { describeLikelyCrs } from '../geo/crs-plausible.ts';
import { HttpError } from './errors.ts';

/** Positions in one request geometry: a city grid has hundreds; a survey outline a few thousand. */
export const MAX_VERTICES = 100_000;

const coordinate = z.number({
  error: (issue) =>
    issue.input === undefined
      ? 'a position needs a longitude and a latitude'
      : typeof issue.input === 'number'
        ? `coordinates must be finite numbers, not ${issue.input}`
        : `coordinates must be numbers, not ${typeof issue.input === 'string' ? `the string "${String(issue.input).slice(0, 20)}"` : typeof issue.input}`,
});

/** Why `[x, y]` cannot be WGS84 lon/lat, naming the system the numbers look like; null when it can. */
export function notDegrees([x, y]: readonly [number, number]): string | null {
  const wrong = [
    Math.abs(x) > 180 ? `longitude ${x} is outside −180…180` : '',
    Math.abs(y) > 90 ? `latitude ${y} is outside −90…90` : '',
  ].filter(Boolean);
  if (wrong.length === 0) return null;
  return `[${x}, ${y}] is not WGS84 longitude/latitude in degrees (${wrong.join(', ')}): ${describeLikelyCrs([x, y])}`;
}

const position = z.tuple([coordinate, coordinate]).superRefine((p, ctx) => {
  const reason = notDegrees(p);
  // The path names the coordinate that is out of range (…coordinates.0.1 for a latitude).
  if (reason) ctx.addIssue({ code: 'custom', message: reason, path: [Math.abs(p[0]) > 180 ? 0 : 1] });
});
const ring = z.array(position).min(4, 'a ring needs at least 4 positions (closed)');

/** Positions in a GeoJSON coordinates array of any depth, counted without validating them. */
function countPositions(coordinates: unknown, depth = 0): number {
  if (!Array.isArray(coordinates) || depth > 4) return 0;
  if (coordinates.length > 0 && !Array.isArray(coordinates[0])) return 1;
  let n = 0;
  for (const c of coordinates) n += countPositions(c, depth + 1);
  return n;
}

/** Refuses a geometry of more than MAX_VERTICES positions before its positions are parsed one by one. */
const withVertexLimit = <T extends z.ZodType>(schema: T) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      const n = countPositions((value as { coordinates?: unknown } | null)?.coordinates);
      if (n > MAX_VERTICES)
        ctx.addIssue({
          code: 'custom',
          message: `too many vertices: ${n.toLocaleString('en')} positions; at most ${MAX_VERTICES.toLocaleString('en')} in one geometry`,
        });
    })
    .pipe(schema);

export const polygonalGeometry = withVertexLimit(
  z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(1_000) }),
      z.object({
        type: z.literal('MultiPolygon'),
        coordinates: z.array(z.array(ring).min(1).max(1_000)).min(1).max(1_000),
      }),
    ])
    .superRefine((geometry, ctx) => {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      for (const [p, polygon] of polygons.entries()) {
        for (const [r, rg] of polygon.entries()) {
          const [a, b] = [rg[0]!, rg[rg.length - 1]!];
          if (a[0] !== b[0] || a[1] !== b[1])
            ctx.addIssue({
              code: 'custom',
              message: `ring ${r} of polygon ${p} is not closed (first and last positions differ)`,
            });
        }
      }
    }),
);

export const lineGeometry = withVertexLimit(
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
    z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)).min(1).max(1_000) }),
  ]),
);

/**
 * The 400 for an outline PostGIS finds invalid: its reason and the point (a bow-tie's
 * crossing), so the editor can show where. Invalid input is never stored repaired.
 */
export function invalidGeometry(reason: string | null, point: Position | null, param = 'geometry'): HttpError {
  return new HttpError(
    400,
    'invalid_geometry',
    `${param}: invalid outline (${reason ?? 'not valid'}${point ? ` at ${point[0]}, ${point[1]}` : ''}); it is never repaired silently`,
    param,
    {
      reason: reason ?? 'not valid',
      ...(point ? { point } : {}),
    },
  );
}
