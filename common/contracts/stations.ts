/** Service stations (党群服务阵地) as the map reads them. */
import { z } from 'zod';
import { STATION_KINDS } from '../rules/station-kinds.ts';
import { featureCollection, Point } from './geojson.ts';

export const StationKind = z.enum(STATION_KINDS).meta({ id: 'StationKind' });

export const StationProperties = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: StationKind,
    region_code: z.string(),
    address: z.string(),
    opening_hours: z.string(),
    services: z.array(z.string()),
    phone: z.string().nullable(),
  })
  .meta({ id: 'StationProperties' });
export type StationProperties = z.infer<typeof StationProperties>;
export const StationCollection = featureCollection(Point, StationProperties).meta({
  id: 'StationCollection',
  description: 'Service stations (points)',
});
export type StationCollection = z.infer<typeof StationCollection>;
