/**
 * `npm run validate -- --region CODE | --all [--json] [--area-tolerance M2] [--width-tolerance M]`
 *
 * The validation report in the terminal: a table by default, the API's JSON with --json.
 * Exit status: 0 no problems, 1 problems found, 2 bad arguments or an unknown region.
 * Uses the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { failWithUsage } from '../cli-usage.ts';
import { runCli } from '../cli.ts';
import { REGION_CODE } from '../../common/domain.ts';
import type { ProblemFeature, ValidationSummary } from '../../common/contracts/validation.ts';
import { validateRegion } from './validation.engine.ts';
import { checksSaved } from './community-checks.ts';

const USAGE = 'usage: npm run validate -- --region CODE | --all [--json] [--area-tolerance M2] [--width-tolerance M]';

const LABELS: Record<keyof ValidationSummary, string> = {
  overlaps: '重叠 overlaps',
  gaps: '缝隙 gaps',
  slivers: '细缝 slivers',
  outside: '越界 outside',
  multipart: '多块 multipart',
  invalid: '无效 invalid',
  householdsOutOfRange: '户数超范围 households out of range',
  uncoveredByParty: '无网格党组织 no grid party organisation',
  withoutWorker: '无网格员 no grid worker',
};

const fail: (message: string) => never = failWithUsage(USAGE);

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a number ≥ 0`);
  return n;
}

/** Pad by display width: CJK characters take two terminal columns. */
function pad(text: string, width: number): string {
  const w = [...text].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, width - w));
}

function row(p: ProblemFeature): string {
  const q = p.properties;
  const area = q.areaM2 === null ? '' : `${q.areaM2.toFixed(1)} m²`;
  const extra =
    q.type === 'households'
      ? `${q.households} (${q.detail.min}–${q.detail.max})`
      : q.households
        ? `${q.households} 户`
        : '';
  const reason =
    q.type === 'invalid' ? String(q.detail.reason) : q.type === 'sliver' ? `${q.detail.of}, ${q.detail.widthM} m` : '';
  return [
    pad(q.type, 11),
    pad(q.severity, 8),
    pad(q.grids.join(' ') || q.community_code, 34),
    pad(area, 13),
    pad(extra, 14),
    `${q.point[0].toFixed(6)},${q.point[1].toFixed(6)}`,
    reason,
  ]
    .join('')
    .trimEnd();
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        region: { type: 'string' },
        all: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'area-tolerance': { type: 'string' },
        'width-tolerance': { type: 'string' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();
if (values.all && values.region) fail('give --region or --all, not both');
if (!values.all && (!values.region || !REGION_CODE.test(values.region)))
  fail('--region must be a 12-digit region code (or --all for every community)');
const areaTolerance = number(values['area-tolerance'], 'area-tolerance');
const widthTolerance = number(values['width-tolerance'], 'width-tolerance');

await runCli('validate', async (database) => {
  const region = values.all ? undefined : values.region;
  const { stats: _stats, ...report } = await validateRegion(database.db, { region, areaTolerance, widthTolerance });
  await checksSaved(database.db); // saved after the answer: wait before the connection closes
  const problems = report.problems.features;
  if (values.json) {
    console.log(JSON.stringify(report, null, 1));
  } else {
    const where = region ? `${report.region.name} (${report.region.code}, ${report.region.level})` : 'All regions';
    console.log(
      `${where}: ${report.grids} grids in ${report.communities.length} communities, checked in ${report.tookMs} ms`,
    );
    console.log(
      `tolerances: area ${report.tolerances.areaM2} m², width ${report.tolerances.widthM} m; households ${report.householdBounds.min}–${report.householdBounds.max}; areas geodesic (WGS84)`,
    );
    console.log('');
    for (const [key, label] of Object.entries(LABELS))
      console.log(`  ${pad(label, 44)}${report.summary[key as keyof ValidationSummary]}`);
    if (problems.length) {
      console.log('');
      console.log(
        [pad('type', 11), pad('severity', 8), pad('grids', 34), pad('area', 13), pad('households', 14), 'lon,lat'].join(
          '',
        ),
      );
      for (const p of problems) console.log(row(p));
    }
    const broken = report.communities.filter((c) => !c.tiled).length;
    console.log('');
    console.log(
      problems.length
        ? `${problems.length} problems; ${broken} of ${report.communities.length} communities not tiled exactly.`
        : 'No problems: every community is tiled exactly.',
    );
  }
  return problems.length ? 1 : 0;
});
