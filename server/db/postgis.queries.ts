/** Typed PostGIS (and array-parameter) helpers shared by every query module. */
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Geometry as GeoJSONGeometry } from 'geojson';

/**
 * The one gridSize for every overlay (ST_Intersection, ST_Difference, ST_Union, …), in
 * degrees. Fixed-precision overlay avoids the embedded GEOS returning no row at all
 * (DESIGN.md trap 1); 1e-10° is about 0.01 mm, far below digitising precision.
 */
export const GRID_SIZE = 1e-10;

/** Geometry as RFC 7946 GeoJSON (parsed object), 7 decimals ≈ 1 cm. */
export function stAsGeoJSON<T = GeoJSONGeometry>(geom: Expression<unknown>): RawBuilder<T> {
  return sql<T>`ST_AsGeoJSON(${geom}, 7)::json`;
}

/** A GeoJSON geometry from the client, as EPSG:4326 geometry. */
export function stGeomFromGeoJSON(geometry: GeoJSONGeometry): RawBuilder<string> {
  return sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)`;
}

/** The same, forced to a MultiPolygon (grids and regions store MultiPolygons). */
export function stMultiFromGeoJSON(geometry: GeoJSONGeometry): RawBuilder<string> {
  return sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`;
}

/** Geodesic area in m² (WGS84 spheroid, via geography). */
export function stAreaM2(geom: Expression<unknown>): RawBuilder<number> {
  return sql<number>`ST_Area(${geom}::geography)::float8`;
}

export function stMakeEnvelope(bbox: readonly [number, number, number, number]): RawBuilder<string> {
  return sql<string>`ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)`;
}

/** A text[] as one array-literal parameter: the same on pg and PGlite. */
export function textArray(items: readonly string[]): RawBuilder<string[]> {
  const literal = `{${items.map((item) => `"${item.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  return sql<string[]>`${literal}::text[]`;
}
