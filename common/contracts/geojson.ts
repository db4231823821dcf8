/**
 * GeoJSON shapes of the answers (WGS84 lon/lat), in zod so that the OpenAPI document and
 * tests/api/response-schemas.test.ts check served bodies against them. Request geometry is
 * judged more closely on the server (server/http/geojson.ts: ranges, closed rings, vertex limit).
 */
import { z } from 'zod';
import type { Geometry as GeoJsonGeometry } from 'geojson';

const Position = z.array(z.number());

export const Point = z.object({ type: z.literal('Point'), coordinates: Position }).meta({ id: 'Point' });
export const LineString = z
  .object({ type: z.literal('LineString'), coordinates: z.array(Position) })
  .meta({ id: 'LineString' });
export const Polygon = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) })
  .meta({ id: 'Polygon' });
export const MultiPolygon = z
  .object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) })
  .meta({ id: 'MultiPolygon' });
export const PolygonOrMulti = z.union([Polygon, MultiPolygon]);

const MultiPoint = z.object({ type: z.literal('MultiPoint'), coordinates: z.array(Position) });
export const MultiLineString = z.object({
  type: z.literal('MultiLineString'),
  coordinates: z.array(z.array(Position)),
});
export const LineOrMulti = z.union([LineString, MultiLineString]);
const Simple = z.discriminatedUnion('type', [Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon]);
const GeometryCollection = z.object({ type: z.literal('GeometryCollection'), geometries: z.array(Simple) });

/** Any GeoJSON geometry; typed as the `geojson` package's union (a collection nests one level here). */
export const Geometry = z
  .discriminatedUnion('type', [
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
    GeometryCollection,
  ])
  .meta({
    id: 'Geometry',
    description: 'A GeoJSON geometry in WGS84 (EPSG:4326) longitude/latitude',
  }) as unknown as z.ZodType<GeoJsonGeometry>;

const FeatureId = z.union([z.string(), z.number()]).optional();

/** A GeoJSON Feature of the given geometry and properties. */
export const feature = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('Feature'), id: FeatureId, geometry, properties });

/** A GeoJSON FeatureCollection of the given geometry and properties. */
export const featureCollection = <G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) =>
  z.object({ type: z.literal('FeatureCollection'), features: z.array(feature(geometry, properties)) });

/** Any FeatureCollection (properties not described). */
export const AnyFeatureCollection = featureCollection(Geometry, z.record(z.string(), z.unknown()).nullable()).meta({
  id: 'FeatureCollection',
  description: 'A GeoJSON FeatureCollection',
});
