/**
 * GeoJSON request geometry, validated once for every route that takes an outline: WGS84
 * ranges, finite numbers, closed rings of at least 4 positions, size limits. A 400 names
 * the field and the ring (e.g. "geometry: ring 0 of polygon 0 is not closed").
 */
import { z } from 'zod';

const position = z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]);
const ring = z.array(position).min(4, 'a ring needs at least 4 positions (closed)').max(100_000);

export const polygonalGeometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(1_000) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(1_000)).min(1).max(1_000) }),
  ])
  .superRefine((geometry, ctx) => {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const [p, polygon] of polygons.entries()) {
      for (const [r, rg] of polygon.entries()) {
        const [a, b] = [rg[0]!, rg[rg.length - 1]!];
        if (a[0] !== b[0] || a[1] !== b[1]) ctx.addIssue({ code: 'custom', message: `ring ${r} of polygon ${p} is not closed (first and last positions differ)` });
      }
    }
  });

export const lineGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(100_000) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)).min(1).max(1_000) }),
]);
