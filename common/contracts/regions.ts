/** District → street → community. */
import { z } from 'zod';
import type { RegionLevel as Level } from '../domain.ts';
import { feature, MultiPolygon } from './geojson.ts';

export const RegionLevel = z.enum(['district', 'street', 'community'] satisfies Level[]).meta({ id: 'RegionLevel' });

/** The region a report is about. */
export const RegionRef = z.object({ code: z.string(), name: z.string(), level: RegionLevel }).meta({ id: 'RegionRef' });
export type RegionRef = z.infer<typeof RegionRef>;

export const RegionSummary = z
  .object({
    code: z.string(),
    name: z.string(),
    level: RegionLevel,
    parent_code: z.string().nullable(),
    child_count: z.number().int(),
  })
  .meta({ id: 'RegionSummary' });
export type RegionSummary = z.infer<typeof RegionSummary>;

export const RegionList = z
  .object({ regions: z.array(RegionSummary) })
  .meta({ id: 'RegionList', description: 'The children of a region (or the top regions)' });
export type RegionList = z.infer<typeof RegionList>;

export const RegionProperties = RegionSummary.extend({
  grid_count: z.number().int(),
  /** Households in the region's grids; null for anonymous users. */
  households: z.number().int().nullable(),
  station_count: z.number().int(),
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
}).meta({ id: 'RegionProperties', description: 'households is null for anonymous users' });
export type RegionProperties = z.infer<typeof RegionProperties>;

export const RegionFeature = feature(MultiPolygon, RegionProperties).meta({ id: 'RegionFeature' });
export type RegionFeature = z.infer<typeof RegionFeature>;
