/**
 * CSV from spreadsheets and web maps: a point in lon/lat columns (found by common names,
 * English or Chinese: 经度/纬度) or any geometry in a WKT column. Rows without coordinates
 * are kept with a null geometry (party organisations and workers have none). Values stay
 * text (codes like "001" keep their zeros; the import service converts by field type);
 * empty cells are null. Excel saves "CSV UTF-8" with a BOM and plain "CSV" in GBK on
 * Chinese Windows: both are read (the `encoding` override wins).
 */
import Papa from 'papaparse';
import { wktToGeoJSON } from 'betterknown';
import type { Geometry } from 'geojson';
import type { CrsName } from '../../../common/contracts/interop.ts';
import { parseCrsName } from '../../geo/crs.ts';
import { HttpError } from '../../http/errors.ts';
import { invalidCoordinates, invalidFile } from './errors.ts';
import { chooseEncoding } from './text-encoding.ts';
import type { ParsedSource, ReadOptions, SourceFeature } from './types.ts';

export const LON_NAMES = ['lon', 'easting', 'lng', 'long', 'longitude', 'x', 'point_x', '经度', '东经', 'jd'];
export const LAT_NAMES = ['lat', 'northing', 'latitude', 'y', 'point_y', '纬度', '北纬', 'wd'];
export const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', '几何', '坐标串'];

/** Decodes CSV bytes: BOMs first (UTF-8, UTF-16), then the override, else UTF-8, else GB18030. */
export function decodeText(
  bytes: Uint8Array,
  override: string | undefined,
): { text: string; encoding: string; warnings: string[] } {
  if (!override) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', warnings: [] };
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', warnings: [] };
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', warnings: [] };
  }
  const { encoding, warnings } = chooseEncoding(bytes, override, undefined, '');
  return { text: new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, ''), encoding, warnings };
}

const norm = (s: string) => s.trim().toLowerCase();

function pickColumn(header: string[], asked: string | undefined, names: string[], what: string): string | undefined {
  if (asked !== undefined) {
    const hit = header.find((h) => h === asked) ?? header.find((h) => norm(h) === norm(asked));
    if (!hit)
      throw new HttpError(
        400,
        'invalid_parameter',
        `The CSV has no column "${asked}" for the ${what}; its columns: ${header.join(', ')}`,
        'csv',
      );
    return hit;
  }
  for (const name of names) {
    const hit = header.find((h) => norm(h) === name);
    if (hit) return hit;
  }
  return undefined;
}

function parseNumber(text: string, row: number, column: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n))
    throw invalidCoordinates(`Feature ${row} (CSV row ${row + 2}): "${text}" in column "${column}" is not a number`);
  return n;
}

/** A WKT/EWKT cell to GeoJSON; an EWKT SRID is returned so it can become the declared crs. */
function parseWktCell(text: string, row: number): { geometry: Geometry | null; srid?: string } {
  const m = /^\s*SRID=(\d+);(.*)$/is.exec(text);
  try {
    const geometry = wktToGeoJSON(m ? m[2]! : text);
    return { geometry, ...(m ? { srid: m[1] } : {}) };
  } catch (error) {
    throw invalidCoordinates(
      `Feature ${row} (CSV row ${row + 2}): the WKT cannot be read: ${(error as Error).message}`,
    );
  }
}

/** Reads CSV bytes; the geometry columns are taken out of the properties. */
export function readCsv(bytes: Uint8Array, options: ReadOptions): ParsedSource {
  const { text, encoding, warnings } = decodeText(bytes, options.encoding);
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const header = parsed.meta.fields ?? [];
  if (header.length === 0) throw invalidFile('The CSV has no header row');
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw invalidFile(`The CSV cannot be read at row ${(fatal.row ?? 0) + 2}: ${fatal.message}`);
  if (parsed.errors.some((e) => e.code === 'TooManyFields' || e.code === 'TooFewFields'))
    warnings.push('some CSV rows have more or fewer cells than the header');

  const wkt = pickColumn(header, options.csv?.wkt, WKT_NAMES, 'WKT geometry');
  const lon = wkt && !options.csv?.lon ? undefined : pickColumn(header, options.csv?.lon, LON_NAMES, 'longitude');
  const lat = wkt && !options.csv?.lat ? undefined : pickColumn(header, options.csv?.lat, LAT_NAMES, 'latitude');
  if ((lon && !lat) || (!lon && lat))
    throw new HttpError(
      400,
      'invalid_parameter',
      `The CSV has a ${lon ? 'longitude' : 'latitude'} column ("${lon ?? lat}") but no ${lon ? 'latitude' : 'longitude'} column`,
      'csv',
    );
  if (!wkt && !lon) warnings.push('no coordinate columns (lon/lat, 经度/纬度 or WKT): rows are read without geometry');
  const geometryColumns = new Set([wkt, lon, lat].filter((c): c is string => !!c));
  const columns = header.filter((h) => !geometryColumns.has(h));

  const srids = new Set<string>();
  const features: SourceFeature[] = parsed.data.map((row, index) => {
    let geometry: Geometry | null = null;
    if (wkt && row[wkt]?.trim()) {
      const cell = parseWktCell(row[wkt]!, index);
      geometry = cell.geometry;
      if (cell.srid) srids.add(cell.srid);
    } else if (lon && lat && (row[lon]?.trim() || row[lat]?.trim())) {
      geometry = {
        type: 'Point',
        coordinates: [parseNumber(row[lon] ?? '', index, lon), parseNumber(row[lat] ?? '', index, lat)],
      };
    }
    const properties: Record<string, unknown> = {};
    for (const c of columns) properties[c] = row[c] === undefined || row[c] === '' ? null : row[c];
    return { geometry, properties };
  });

  let declaredCrs: CrsName | undefined;
  if (srids.size > 1) throw invalidFile(`The CSV's EWKT mixes SRIDs ${[...srids].join(', ')}`);
  if (srids.size === 1) {
    try {
      declaredCrs = parseCrsName([...srids][0]!);
    } catch {
      warnings.push(`the EWKT SRID ${[...srids][0]} is not a supported system: declare the coordinate system`);
    }
  }
  return { format: 'csv', features, columns, ...(declaredCrs ? { declaredCrs } : {}), encoding, warnings };
}
