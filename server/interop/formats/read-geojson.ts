/**
 * GeoJSON: a FeatureCollection, a single Feature or a bare Geometry. RFC 7946 says WGS84, but
 * files from older tools still carry the 2008 `crs` member ("urn:ogc:def:crs:EPSG::4490"):
 * it becomes declaredCrs, so a CGCS2000 Gauss–Krüger GeoJSON is read in its own metres.
 */
import type { Geometry } from 'geojson';
import type { CrsName } from '../../../common/contracts/interop.ts';
import { CrsError, parseCrsName } from '../../geo/crs.ts';
import { HttpError } from '../../http/errors.ts';
import { invalidFile } from './errors.ts';
import type { ParsedSource, SourceFeature } from './types.ts';

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

/** Strips a UTF-8 BOM and decodes; GeoJSON is UTF-8 by definition. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw invalidFile(`The ${what} is not UTF-8 text`);
  }
}

function checkGeometry(g: unknown, index: number): Geometry | null {
  if (g === null || g === undefined) return null;
  const geom = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (typeof geom !== 'object' || typeof geom.type !== 'string' || !GEOMETRY_TYPES.has(geom.type)) {
    throw invalidFile(`Feature ${index}: "${String(geom?.type)}" is not a GeoJSON geometry type`);
  }
  if (geom.type === 'GeometryCollection') {
    if (!Array.isArray(geom.geometries)) throw invalidFile(`Feature ${index}: a GeometryCollection needs "geometries"`);
    for (const child of geom.geometries) checkGeometry(child, index);
  } else if (!Array.isArray(geom.coordinates)) {
    throw invalidFile(`Feature ${index}: the ${geom.type} has no "coordinates" array`);
  }
  return geom as Geometry;
}

function crsMember(crs: unknown, warnings: string[]): CrsName | undefined {
  if (!crs || typeof crs !== 'object') return undefined;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') {
    warnings.push('the GeoJSON "crs" member has no name; it was ignored');
    return undefined;
  }
  try {
    return parseCrsName(name);
  } catch (error) {
    if (!(error instanceof CrsError)) throw error;
    warnings.push(`the GeoJSON "crs" member "${name}" is not a supported system; it was ignored`);
    return undefined;
  }
}

/** Reads GeoJSON bytes; coordinates stay as in the file. */
export function readGeoJson(bytes: Uint8Array): ParsedSource {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeUtf8(bytes, 'GeoJSON file'));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw invalidFile(`The GeoJSON file is not valid JSON: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') throw invalidFile('The GeoJSON file holds no object');
  const root = doc as { type?: unknown; features?: unknown; crs?: unknown };
  const warnings: string[] = [];
  let raw: unknown[];
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw invalidFile('The FeatureCollection has no "features" array');
    raw = root.features;
  } else if (root.type === 'Feature') {
    raw = [root];
  } else if (typeof root.type === 'string' && GEOMETRY_TYPES.has(root.type)) {
    raw = [{ type: 'Feature', geometry: root, properties: {} }];
  } else {
    throw invalidFile(`The file is not GeoJSON: its "type" is ${JSON.stringify(root.type)}`);
  }
  const columns = new Set<string>();
  const features: SourceFeature[] = raw.map((f, index) => {
    const feature = f as { type?: unknown; geometry?: unknown; properties?: unknown };
    if (!feature || feature.type !== 'Feature') throw invalidFile(`Feature ${index} is not a GeoJSON Feature`);
    const props =
      feature.properties && typeof feature.properties === 'object' && !Array.isArray(feature.properties)
        ? (feature.properties as Record<string, unknown>)
        : {};
    for (const key of Object.keys(props)) columns.add(key);
    return { geometry: checkGeometry(feature.geometry, index), properties: { ...props } };
  });
  const declaredCrs = crsMember(root.crs, warnings);
  return {
    format: 'geojson',
    features,
    columns: [...columns],
    ...(declaredCrs ? { declaredCrs } : {}),
    encoding: 'utf-8',
    warnings,
  };
}
