import { sql, type Kysely } from 'kysely';
import type { Point } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stAsGeoJSON, stMakeEnvelope } from '../db/postgis.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { BBox } from '../http/params.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import type { Feature } from 'geojson';

export interface StationFilter {
  region?: string;
  bbox?: BBox;
  kinds?: StationKind[];
}

export async function listStations(
  db: Kysely<DB>,
  filter: StationFilter,
): Promise<Feature<Point, StationProperties>[]> {
  let query = db
    .selectFrom('stations as s')
    .select(['s.code', 's.name', 's.kind', 's.region_code', 's.address', 's.opening_hours', 's.services', 's.phone'])
    .select((eb) => stAsGeoJSON<Point>(eb.ref('s.geom')).as('geometry'))
    .orderBy('s.code');
  if (filter.region) query = query.where('s.region_code', 'in', subtreeCodes(filter.region));
  if (filter.bbox) query = query.where(sql<boolean>`ST_Intersects(s.geom, ${stMakeEnvelope(filter.bbox)})`);
  if (filter.kinds?.length) query = query.where('s.kind', 'in', filter.kinds);
  const rows = await query.execute();
  return rows.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.code, geometry, properties }));
}
