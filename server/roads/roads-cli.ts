/**
 * `npm run roads:load -- FILE.geojson --region CODE [--node]`
 *
 * Replace the roads of a region by the lines of a GeoJSON FeatureCollection (the body of
 * POST /api/roads), in one transaction. Uses the configured database (DATABASE_URL, else
 * the embedded one in DATA_DIR). Exit status: 0 loaded, 2 bad arguments, file or region.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { failWithUsage } from '../cli-usage.ts';
import { runCli } from '../cli.ts';
import { REGION_CODE } from '../../common/domain.ts';
import { HttpError } from '../http/errors.ts';
import { parseRoadImport } from './roads-import.ts';
import { replaceRoads, streetOfRegion } from './roads.queries.ts';

const USAGE =
  'usage: npm run roads:load -- FILE.geojson --region CODE [--node]  (--node: split lines where they cross)';

const fail: (message: string) => never = failWithUsage(USAGE);

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: { region: { type: 'string' }, node: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();
const file = positionals[0];
if (!file || positionals.length > 1) fail('give exactly one GeoJSON file');
const region = values.region ?? '';
if (!REGION_CODE.test(region)) fail('--region must be a 12-digit region code');

let body: unknown;
try {
  body = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  fail(`${file}: ${(error as Error).message}`);
}
let roads;
try {
  roads = parseRoadImport(body);
} catch (error) {
  if (error instanceof HttpError) fail(`${file}: ${error.message}`);
  throw error;
}

await runCli('roads', async (database) => {
  let status = 0;
  if (!(await streetOfRegion(database.db, region))) {
    console.error(`region ${region} does not exist`);
    status = 2;
  } else {
    const started = Date.now();
    const result = await replaceRoads(database.db, region, roads, { node: values.node });
    console.log(
      `${region}: ${result.stored} roads stored${result.noded ? ' (noded)' : ''} (${(result.lengthM / 1000).toFixed(2)} km), ${result.removed} replaced, in ${Date.now() - started} ms`,
    );
  }
  return status;
});
