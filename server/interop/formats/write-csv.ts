/**
 * CSV for spreadsheets: UTF-8 with a BOM and CRLF so Excel on Chinese Windows opens the
 * Chinese text correctly. Points as two columns (lon/lat in degrees, easting/northing in a
 * Gauss–Krüger system), any other geometry as a WKT column; the CSV reader finds all of them.
 */
import Papa from 'papaparse';
import { geoJSONToWkt } from 'betterknown';
import type { Feature } from 'geojson';
import { isGeographic, parseCrsName } from '../../geo/crs.ts';
import { cell, columnKeys, toOutputCrs } from './write-common.ts';
import type { WriteOptions } from './types.ts';

export function writeCsv(features: Feature[], options: WriteOptions): Uint8Array {
  const crs = parseCrsName(options.crs ?? 'EPSG:4326');
  const rows = toOutputCrs(features, crs);
  const keys = columnKeys(features, options.columns);
  const headers = options.columns ? options.columns.map((c) => c.header) : keys;
  const withGeometry = rows.some((f) => f.geometry);
  const pointsOnly = rows.every((f) => !f.geometry || f.geometry.type === 'Point');
  const [xName, yName] = isGeographic(crs) ? ['lon', 'lat'] : ['easting', 'northing'];
  const geometryHeaders = !withGeometry ? [] : pointsOnly ? [xName, yName] : ['wkt'];
  const data = rows.map((f) => {
    const values: unknown[] = keys.map((k) => cell(f.properties?.[k]));
    if (withGeometry && pointsOnly) {
      const p = f.geometry?.type === 'Point' ? f.geometry.coordinates : undefined;
      values.push(p?.[0] ?? null, p?.[1] ?? null);
    } else if (withGeometry) {
      values.push(f.geometry ? geoJSONToWkt(f.geometry) : null);
    }
    return values;
  });
  const text = Papa.unparse({ fields: [...headers, ...geometryHeaders], data }, { newline: '\r\n' });
  return new TextEncoder().encode(`\uFEFF${text}\r\n`);
}
