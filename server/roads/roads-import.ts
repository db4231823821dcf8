/**
 * The body of a road import (POST /api/roads, `npm run roads:load`): a GeoJSON
 * FeatureCollection of LineString / MultiLineString features with optional properties
 * name, code and kind (road, path, footway; default road). A MultiLineString becomes one
 * road per part. A 400 names the feature and field (e.g. "features.3.geometry.coordinates.0.1").
 */
import { z } from 'zod';
import { lineGeometry } from '../http/geojson.ts';
import { parseBody } from '../http/params.ts';
import { ROAD_KINDS, type RoadInput } from './roads.queries.ts';

const roadProperties = z
  .object({
    name: z.string().max(200).nullish(),
    code: z.string().max(100).nullish(),
    kind: z.enum(ROAD_KINDS).nullish(),
  })
  .passthrough()
  .nullish();

const roadFeature = z.object({
  type: z.literal('Feature'),
  properties: roadProperties,
  geometry: lineGeometry,
});

export const roadCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(roadFeature).max(100_000) })
  .superRefine((fc, ctx) => {
    for (const [f, feature] of fc.features.entries()) {
      const parts =
        feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const [p, part] of parts.entries()) {
        const first = part[0]!;
        if (part.every((q) => q[0] === first[0] && q[1] === first[1])) {
          ctx.addIssue({
            code: 'custom',
            path: ['features', f, 'geometry'],
            message: `line ${p} has no length (all its positions are the same point)`,
          });
        }
      }
    }
  });

/** Validate an import body (400 on the first problem) and flatten it to one row per line. */
export function parseRoadImport(body: unknown): RoadInput[] {
  const fc = parseBody(roadCollection, body);
  return fc.features.flatMap((feature) => {
    const parts =
      feature.geometry.type === 'LineString' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    return parts.map((coordinates) => ({
      code: feature.properties?.code ?? null,
      name: feature.properties?.name ?? null,
      kind: feature.properties?.kind ?? 'road',
      coordinates: coordinates as [number, number][],
    }));
  });
}
