/**
 * GeoJSON geometry already in tile units (from tiles.queries.ts) → Mapbox Vector Tile bytes,
 * through @maplibre/vt-pbf's `fromVectorTileJs` (the maintained encoder MapLibre itself uses).
 * The same code serves both drivers: the embedded PostGIS has no ST_AsMVT (DESIGN.md trap 2).
 * What ST_AsMVTGeom would do after clipping is done here: exterior rings made positive
 * (clockwise on screen), holes negative, rings that collapsed to nothing dropped.
 */
import { fromVectorTileJs, type VectorTileFeatureLike, type VectorTileLayerLike } from '@maplibre/vt-pbf';
import type { Geometry, Position } from 'geojson';
import { TILE_EXTENT, orientPolygon, type TilePoint } from '../geo/tile-math.ts';

export type TileProperties = Record<string, string | number | boolean | null | undefined>;

export interface TileFeature {
  /** Unsigned integer id (the row id): MapLibre uses it for feature-state. */
  id?: number;
  properties: TileProperties;
  /** In tile units (0..4096, y down), whole numbers. */
  geometry: Geometry;
}

export interface EncodedFeature {
  type: 1 | 2 | 3;
  rings: TilePoint[][];
}

const point = (p: Position): TilePoint => ({ x: Math.round(p[0]!), y: Math.round(p[1]!) });
const line = (ps: Position[]): TilePoint[] => ps.map(point);

/**
 * MVT geometry of one feature, or null when nothing drawable is left. A GeometryCollection
 * (what clipping can leave of a polygon touching the buffer edge) keeps its polygons, or
 * else its lines, or else its points: one MVT feature has one type.
 */
export function toMvtGeometry(geometry: Geometry): EncodedFeature | null {
  switch (geometry.type) {
    case 'Point':
      return { type: 1, rings: [[point(geometry.coordinates)]] };
    case 'MultiPoint':
      return geometry.coordinates.length ? { type: 1, rings: [geometry.coordinates.map(point)] } : null;
    case 'LineString':
      return geometry.coordinates.length >= 2 ? { type: 2, rings: [line(geometry.coordinates)] } : null;
    case 'MultiLineString': {
      const rings = geometry.coordinates.filter((l) => l.length >= 2).map(line);
      return rings.length ? { type: 2, rings } : null;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      const rings = polygons.flatMap((polygon) => orientPolygon(polygon.map(line)));
      return rings.length ? { type: 3, rings } : null;
    }
    case 'GeometryCollection': {
      const parts = geometry.geometries.map(toMvtGeometry).filter((g): g is EncodedFeature => g !== null);
      for (const type of [3, 2, 1] as const) {
        const same = parts.filter((g) => g.type === type);
        if (same.length) return { type, rings: same.flatMap((g) => g.rings) };
      }
      return null;
    }
  }
}

function layerOf(name: string, features: readonly TileFeature[], extent: number): VectorTileLayerLike | null {
  const encoded: VectorTileFeatureLike[] = [];
  for (const feature of features) {
    const geometry = toMvtGeometry(feature.geometry);
    if (!geometry) continue;
    const properties: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(feature.properties))
      if (value !== null && value !== undefined) properties[key] = value;
    encoded.push({
      type: geometry.type,
      id: feature.id,
      properties,
      extent,
      loadGeometry: () => geometry.rings as never,
    });
  }
  if (!encoded.length) return null;
  return { version: 2, name, extent, length: encoded.length, feature: (i) => encoded[i]! };
}

/** Encode layers into one tile; null when no layer has a feature left (the route answers 204). */
export function encodeTile(layers: Record<string, readonly TileFeature[]>, extent = TILE_EXTENT): Uint8Array | null {
  const out: Record<string, VectorTileLayerLike> = {};
  for (const [name, features] of Object.entries(layers)) {
    const layer = layerOf(name, features, extent);
    if (layer) out[name] = layer;
  }
  if (!Object.keys(out).length) return null;
  return fromVectorTileJs({ layers: out });
}
