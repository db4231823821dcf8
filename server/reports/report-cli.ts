/**
 * `npm run report -- --region CODE --out FILE.xlsx|FILE.geojson [--minutes 3] [--speed 1.2] [--kinds a,b] [--lang zh|en]`
 *
 * Writes the coverage report of a region, as the download routes do. The format follows the
 * extension of --out. Exit status: 0 written, 2 bad arguments or an unknown region.
 * Uses the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failWithUsage } from '../cli-usage.ts';
import { HttpError } from '../http/errors.ts';
import type { ReportFormat } from './coverage-report.ts';
import { parseReportOptions, type ReportOptions } from './report-params.ts';

const USAGE =
  'usage: npm run report -- --region CODE --out FILE.xlsx|FILE.geojson [--minutes 3] [--speed 1.2] [--kinds a,b] [--lang zh|en]';

const fail: (message: string) => never = failWithUsage(USAGE);

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        region: { type: 'string' },
        out: { type: 'string' },
        minutes: { type: 'string' },
        speed: { type: 'string' },
        kinds: { type: 'string' },
        lang: { type: 'string' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();

let options: ReportOptions;
try {
  options = parseReportOptions(values);
} catch (error) {
  if (error instanceof HttpError) fail(`--${error.message}`);
  throw error;
}
if (!values.out) fail('--out is required (a .xlsx or .geojson file)');
const extension = extname(values.out).toLowerCase();
const format: ReportFormat | undefined =
  extension === '.xlsx' ? 'xlsx' : extension === '.geojson' || extension === '.json' ? 'geojson' : undefined;
if (!format) fail(`--out must end in .xlsx or .geojson, not "${extension || values.out}"`);
const out = resolve(values.out);

// The database drivers and exceljs load only once the arguments are good: a typo fails at once.
const [{ runCli }, { loadCoverageReport }, { buildCoverageWorkbook }, { coverageGeoJSON }] = await Promise.all([
  import('../cli.ts'),
  import('./load-coverage-report.ts'),
  import('./coverage-workbook.ts'),
  import('./coverage-geojson.ts'),
]);
await runCli('report', async (database, log) => {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const { lang, ...query } = options;
  const data = await loadCoverageReport(database.db, { ...query, geometry: format === 'geojson' }, (step) =>
    log(`${elapsed()}: ${step} …`),
  );
  log(`${elapsed()}: writing ${format} …`);
  const bytes =
    format === 'xlsx' ? await buildCoverageWorkbook(data, lang) : Buffer.from(JSON.stringify(coverageGeoJSON(data)));
  writeFileSync(out, bytes);
  const top = data.party.regions[0];
  const { reach } = data;
  console.log(
    `${data.region.name} (${data.region.code}): ${data.grids.length} grids, ${top?.uncovered ?? 0} without party organisation, ` +
      `${top?.claimedTwice ?? 0} claimed twice; ${(reach.share * 100).toFixed(1)} % of ${reach.households} households within ${reach.minutes} min ` +
      `(${reach.reachM} m, ${reach.method}); ${reach.redundant.length} redundant stations → ${out} (${(bytes.length / 1024).toFixed(0)} KB, ` +
      `${elapsed()})`,
  );
  return 0;
});
