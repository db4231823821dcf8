/**
 * A layer of one region as WGS84 GeoJSON features whose property keys are the layer's field
 * names (server/interop/layers.ts), so that an export imports back onto the same rows.
 * Coordinates leave PostGIS with 9 decimals (0.1 mm), well inside the 1 cm an import treats
 * as unchanged. Grid workers and party organisations carry no geometry.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Feature, Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { InteropLayer } from '../../common/contracts/interop.ts';

const within = (column: string, prefix: string | undefined) =>
  prefix === undefined ? sql`true` : sql`left(${sql.ref(column)}, ${prefix.length}) = ${prefix}`;
const geometry = (column: string) => sql`ST_AsGeoJSON(${sql.ref(column)}, 9)::json`;

const QUERIES: Record<InteropLayer, (prefix: string | undefined) => RawBuilder<Record<string, unknown>>> = {
  regions: (p) =>
    sql`SELECT code, name, level, parent_code, ${geometry('geom')} AS geometry FROM regions WHERE ${within('code', p)} ORDER BY code`,
  grids: (p) =>
    sql`SELECT code, name, kind, community_code, households, ${geometry('geom')} AS geometry FROM grids WHERE ${within('community_code', p)} ORDER BY code`,
  buildings: (
    p,
  ) => sql`SELECT code, name, community_code, compound_code, households, units, ${geometry('geom')} AS geometry
    FROM buildings WHERE ${within('community_code', p)} ORDER BY code`,
  stations: (
    p,
  ) => sql`SELECT code, name, kind, region_code, address, opening_hours, services, phone, ${geometry('geom')} AS geometry
    FROM stations WHERE ${within('region_code', p)} ORDER BY code`,
  party_orgs: (p) => sql`SELECT code, name, kind, parent_code, community_code, secretary_name, member_count
    FROM party_orgs WHERE ${within('community_code', p)} ORDER BY community_code, code`,
  grid_workers: (p) => sql`SELECT grid_code, name, role, phone, phone_public, building_code
    FROM grid_workers WHERE ${within('grid_code', p)} ORDER BY grid_code, role, name, id`,
  roads: (p) =>
    sql`SELECT code, name, kind, ${geometry('geom')} AS geometry FROM roads WHERE ${within('region_code', p)} ORDER BY id`,
};

/** The layer's rows in the region (all regions without one), as features. */
export async function exportFeatures(
  db: Kysely<DB>,
  layer: InteropLayer,
  prefix: string | undefined,
): Promise<Feature[]> {
  const { rows } = await QUERIES[layer](prefix).execute(db);
  return rows.map(
    ({ geometry: g, ...properties }) =>
      ({ type: 'Feature', properties, geometry: (g as Geometry | undefined) ?? null }) as Feature,
  );
}
