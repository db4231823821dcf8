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

const NEWLINE = '\r\n';

interface CsvShape {
  keys: string[];
  headers: string[];
  withGeometry: boolean;
  pointsOnly: boolean;
}

function csvShape(keys: string[], options: WriteOptions, withGeometry: boolean, pointsOnly: boolean): CsvShape {
  const crs = parseCrsName(options.crs ?? 'EPSG:4326');
  const [xName, yName] = isGeographic(crs) ? ['lon', 'lat'] : ['easting', 'northing'];
  const geometryHeaders = !withGeometry ? [] : pointsOnly ? [xName, yName] : ['wkt'];
  const headers = options.columns ? options.columns.map((c) => c.header) : keys;
  return { keys, headers: [...headers, ...geometryHeaders], withGeometry, pointsOnly };
}

/** WGS84 features as the rows of the CSV (reprojected, cells flattened, the geometry last). */
function csvRows(features: Feature[], shape: CsvShape, options: WriteOptions): unknown[][] {
  const rows = toOutputCrs(features, parseCrsName(options.crs ?? 'EPSG:4326'));
  return rows.map((f) => {
    const values: unknown[] = shape.keys.map((k) => cell(f.properties?.[k]));
    if (shape.withGeometry && shape.pointsOnly) {
      const p = f.geometry?.type === 'Point' ? f.geometry.coordinates : undefined;
      values.push(p?.[0] ?? null, p?.[1] ?? null);
    } else if (shape.withGeometry) {
      values.push(f.geometry ? geoJSONToWkt(f.geometry) : null);
    }
    return values;
  });
}

export function writeCsv(features: Feature[], options: WriteOptions): Uint8Array {
  const shape = csvShape(
    columnKeys(features, options.columns),
    options,
    features.some((f) => f.geometry),
    features.every((f) => !f.geometry || f.geometry.type === 'Point'),
  );
  const text = Papa.unparse({ fields: shape.headers, data: csvRows(features, shape, options) }, { newline: NEWLINE });
  return new TextEncoder().encode(`\uFEFF${text}${NEWLINE}`);
}

/**
 * The same CSV, written batch by batch as rows arrive (issue 20: a whole layer with memory
 * flat). The geometry columns cannot wait for the last row, so `geometry` says beforehand
 * whether any row has one and whether all are points (export.queries.ts asks PostGIS); the
 * columns are the first batch's keys (every row of an export has the same).
 */
export async function* streamCsv(
  batches: AsyncIterable<Feature[]>,
  options: WriteOptions,
  geometry: { any: boolean; pointsOnly: boolean },
): AsyncGenerator<string> {
  let shape: CsvShape | undefined;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    if (!shape) {
      shape = csvShape(columnKeys(batch, options.columns), options, geometry.any, geometry.pointsOnly);
      yield `\uFEFF${Papa.unparse([shape.headers], { newline: NEWLINE })}${NEWLINE}`;
    }
    yield `${Papa.unparse(csvRows(batch, shape, options), { newline: NEWLINE })}${NEWLINE}`;
  }
  if (!shape) yield new TextDecoder('utf-8', { ignoreBOM: true }).decode(writeCsv([], options));
}
