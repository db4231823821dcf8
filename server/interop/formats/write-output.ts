/** The `WriteOutput` dispatcher: WGS84 features → one downloadable file in the format and system asked. */
import { EXPORT_FORMATS } from '../../../common/rules/interop-layers.ts';
import { parseCrsName } from '../../geo/crs.ts';
import { invalidFile } from './errors.ts';
import { safeName } from './write-common.ts';
import { writeCsv } from './write-csv.ts';
import { writeGeoJson } from './write-geojson.ts';
import { writeKml } from './write-kml.ts';
import { writeShapefile } from './write-shapefile.ts';
import { writeXlsx } from './write-xlsx.ts';
import type { WriteOutput } from './types.ts';

export const writeOutput: WriteOutput = async (features, format, options) => {
  if (options.crs) parseCrsName(options.crs); // 400 on an unknown system before any work
  const name = safeName(options.name);
  switch (format) {
    case 'geojson':
      return {
        body: writeGeoJson(features, options),
        contentType: 'application/geo+json',
        filename: `${name}.geojson`,
      };
    case 'shapefile':
      return { body: await writeShapefile(features, options), contentType: 'application/zip', filename: `${name}.zip` };
    case 'kml':
      return {
        body: writeKml(features, options),
        contentType: 'application/vnd.google-earth.kml+xml',
        filename: `${name}.kml`,
      };
    case 'csv':
      return { body: writeCsv(features, options), contentType: 'text/csv; charset=utf-8', filename: `${name}.csv` };
    case 'xlsx':
      return {
        body: await writeXlsx(features, options),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        filename: `${name}.xlsx`,
      };
    default:
      throw invalidFile(`Unknown export format "${String(format)}"; one of ${EXPORT_FORMATS.join(', ')}`, 'format');
  }
};
