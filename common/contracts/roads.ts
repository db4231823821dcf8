/** The road layer walking distances follow (issue 5). The import body is judged on the server (server/roads/roads-import.ts). */
import { z } from 'zod';
import { featureCollection, LineString } from './geojson.ts';

export const ROAD_KINDS = ['road', 'path', 'footway'] as const;

export const RoadProperties = z.object({
  id: z.number().int(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  kind: z.enum(ROAD_KINDS),
  region_code: z.string(),
  /** Geodesic length, metres. */
  lengthM: z.number(),
});
export type RoadProperties = z.infer<typeof RoadProperties>;
export const RoadCollection = featureCollection(LineString, RoadProperties).meta({
  id: 'RoadCollection',
  description: 'Roads (one LineString each)',
});

export const RoadsReplaced = z
  .object({
    region: z.string(),
    /** Rows removed (the region's previous roads) and stored (one per LineString, after noding). */
    removed: z.number().int(),
    stored: z.number().int(),
    /** Whether the lines were split at their crossings (import option node). */
    noded: z.boolean(),
    /** Total geodesic length stored, metres. */
    lengthM: z.number(),
  })
  .meta({ id: 'RoadsReplaced', description: 'What the road import wrote (counts and length)' });
export type RoadsReplaced = z.infer<typeof RoadsReplaced>;
