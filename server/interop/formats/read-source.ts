/**
 * The `ReadSource` dispatcher: picks the reader from the format or the file name, enforces the
 * size limit before reading and the feature/vertex limits and coordinate sanity after.
 */
import { IMPORT_FORMATS, type ImportFormat } from '../../../common/rules/interop-layers.ts';
import { checkFeatures } from './check-coordinates.ts';
import { invalidFile } from './errors.ts';
import { resolveLimits, tooLarge } from './limits.ts';
import { readGeoJson } from './read-geojson.ts';
import { readShapefile } from './read-shapefile.ts';
import { readCsv } from './read-csv.ts';
import { readKml } from './read-kml.ts';
import { readXlsx } from './read-xlsx.ts';
import type { ParsedSource, ReadLimits, ReadOptions, ReadSource } from './types.ts';

const BY_EXTENSION: [RegExp, ImportFormat][] = [
  [/\.(geo)?json$/i, 'geojson'],
  [/\.zip$/i, 'shapefile'],
  [/\.km[lz]$/i, 'kml'],
  [/\.(csv|txt)$/i, 'csv'],
  [/\.xlsx$/i, 'xlsx'],
];

/** The format a file name implies (.geojson/.json, .zip/.shp.zip, .kml/.kmz, .csv, .xlsx), or a 400. */
export function formatFromName(filename: string): ImportFormat {
  for (const [pattern, format] of BY_EXTENSION) if (pattern.test(filename)) return format;
  throw invalidFile(
    `Cannot tell the format of "${filename}": use .geojson, .json, .zip (Shapefile), .kml, .kmz, .csv or .xlsx, or give the format`,
    'format',
  );
}

async function dispatch(
  bytes: Uint8Array,
  filename: string,
  format: ImportFormat,
  options: ReadOptions & { limits: ReadLimits },
): Promise<ParsedSource> {
  switch (format) {
    case 'geojson':
      return readGeoJson(bytes);
    case 'shapefile':
      return readShapefile(bytes, options);
    case 'csv':
      return readCsv(bytes, options);
    case 'kml':
      return readKml(bytes, filename, options.limits);
    case 'xlsx':
      return readXlsx(bytes, options.limits);
  }
}

/** Reads any supported file into features with the file's own coordinates; throws 400/413 naming the problem. */
export const readSource: ReadSource = async (bytes, filename, format, options = {}) => {
  const limits = resolveLimits(options.limits);
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw invalidFile(`Unknown format "${format}"; one of ${IMPORT_FORMATS.join(', ')}`, 'format');
  }
  if (bytes.byteLength > limits.maxBytes) throw tooLarge('maxBytes', bytes.byteLength, limits);
  if (bytes.byteLength === 0) throw invalidFile(`"${filename}" is empty`);
  const parsed = await dispatch(bytes, filename, format ?? formatFromName(filename), { ...options, limits });
  checkFeatures(parsed.features, limits);
  return parsed;
};
