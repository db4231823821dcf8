/**
 * GeoJSON (RFC 7946): WGS84 rounded to 7 decimals (≈ 1 cm). In another system (Gauss–Krüger
 * metres rounded to 1 mm, GCJ-02, …) the file is no longer RFC 7946: the legacy `crs` member
 * is added only when asked (geojsonCrsMember), as many tools reject it.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { parseCrsName } from '../../geo/crs.ts';
import { toOutputCrs } from './write-common.ts';
import type { WriteOptions } from './types.ts';

/** The legacy crs member's name for a system (an OGC URN for EPSG codes; GCJ-02/BD-09 as is). */
export function crsUrn(crs: string): string {
  const name = parseCrsName(crs);
  return name.startsWith('EPSG:') ? `urn:ogc:def:crs:EPSG::${name.slice(5)}` : name;
}

export function writeGeoJson(features: Feature[], options: WriteOptions): Uint8Array {
  const crs = parseCrsName(options.crs ?? 'EPSG:4326');
  const collection: FeatureCollection & { crs?: unknown } = {
    type: 'FeatureCollection',
    features: toOutputCrs(features, crs),
  };
  if (options.geojsonCrsMember && crs !== 'EPSG:4326')
    collection.crs = { type: 'name', properties: { name: crsUrn(crs) } };
  return new TextEncoder().encode(JSON.stringify(collection));
}

/**
 * The same FeatureCollection, written batch by batch as rows arrive (issue 20: a whole layer
 * with memory flat); byte for byte what writeGeoJson gives for all the batches together.
 */
export async function* streamGeoJson(batches: AsyncIterable<Feature[]>, options: WriteOptions): AsyncGenerator<string> {
  const crs = parseCrsName(options.crs ?? 'EPSG:4326');
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    yield `${first ? '' : ','}${toOutputCrs(batch, crs)
      .map((f) => JSON.stringify(f))
      .join(',')}`;
    first = false;
  }
  const member =
    options.geojsonCrsMember && crs !== 'EPSG:4326'
      ? `,"crs":${JSON.stringify({ type: 'name', properties: { name: crsUrn(crs) } })}`
      : '';
  yield `]${member}}`;
}
