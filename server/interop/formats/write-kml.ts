/**
 * KML via @placemarkio/tokml: always WGS84 (the format has no other system), rounded to
 * 7 decimals. `name` becomes the placemark's name, the other properties ExtendedData (text).
 */
import { toKML } from '@placemarkio/tokml';
import type { Feature, Geometry } from 'geojson';
import { cell, columnKeys, toOutputCrs } from './write-common.ts';
import type { WriteOptions } from './types.ts';

export function writeKml(features: Feature[], options: WriteOptions): Uint8Array {
  const keys = columnKeys(features, options.columns);
  const rows: Feature<Geometry | null>[] = toOutputCrs(features, 'EPSG:4326').map((f) => ({
    type: 'Feature',
    geometry: f.geometry,
    properties: Object.fromEntries(
      keys.filter((k) => cell(f.properties?.[k]) !== null).map((k) => [k, cell(f.properties?.[k])]),
    ),
  }));
  return new TextEncoder().encode(toKML({ type: 'FeatureCollection', features: rows }));
}
