/**
 * `npm run import -- FILE --layer L [--crs C] [--encoding E] [--region R] [--mapping JSON] [--commit] [--as USER]
 *                   [--accept-problems --reason TEXT]`
 *
 * With --accept-problems (grids, an admin) the grids come in as they are, through the
 * set-based bulk path (ADR 0014): a whole city's layer in one transaction, its problems
 * listed and flagged on one changeset per street. A file from the shell may be larger than
 * an upload: up to 2 GB, 2,000,000 features and 100,000,000 vertices.
 * The import of POST /api/import from a shell, as the named user (default admin): a dry run
 * unless --commit, with the report printed in Chinese and English. Uses the configured
 * database (DATABASE_URL, else the embedded one in DATA_DIR).
 * Exit status: 0 done (or dry run), 1 refused by the data (invalid features, new gaps or
 * overlaps; the report says which), 2 bad arguments, file, user or region.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { failWithUsage } from '../cli-usage.ts';
import { runCli } from '../cli.ts';
import { type ImportReport, type InteropLayer } from '../../common/contracts/interop.ts';
import { INTEROP_LAYERS, IMPORT_FORMATS, type ImportFormat } from '../../common/rules/interop-layers.ts';
import { REGION_CODE } from '../../common/domain.ts';
import { HttpError } from '../http/errors.ts';
import { parseMappingField } from './mapping.ts';
import { runImport } from './import.service.ts';

const USAGE =
  'usage: npm run import -- FILE --layer LAYER [--format F] [--crs CRS] [--encoding E] [--region CODE] [--mapping JSON] [--commit] [--as USER]\n' +
  '       [--accept-problems --reason TEXT]  (grids, admin: import them as they are, problems flagged)\n' +
  `  layers: ${INTEROP_LAYERS.join(', ')}`;

const fail: (message: string) => never = failWithUsage(USAGE);

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: {
        layer: { type: 'string' },
        format: { type: 'string' },
        crs: { type: 'string' },
        encoding: { type: 'string' },
        region: { type: 'string' },
        mapping: { type: 'string' },
        commit: { type: 'boolean', default: false },
        as: { type: 'string', default: 'admin' },
        'accept-problems': { type: 'boolean', default: false },
        reason: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();
const file = positionals[0];
if (!file || positionals.length > 1) fail('give exactly one file');
if (!values.layer || !(INTEROP_LAYERS as readonly string[]).includes(values.layer))
  fail(`--layer must be one of ${INTEROP_LAYERS.join(', ')}`);
if (values.format && !(IMPORT_FORMATS as readonly string[]).includes(values.format))
  fail(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
if (values.region && !REGION_CODE.test(values.region)) fail('--region must be a 12-digit region code');
if (values.reason !== undefined && !values['accept-problems']) fail('--reason goes with --accept-problems');
if (values['accept-problems'] && values.commit && !values.reason?.trim())
  fail('--accept-problems --commit needs --reason "why the problems are accepted"');
let bytes: Uint8Array;
try {
  bytes = readFileSync(file);
} catch (error) {
  fail(`${file}: ${(error as Error).message}`);
}
let mapping;
try {
  mapping = parseMappingField(values.mapping);
} catch (error) {
  fail((error as Error).message);
}

/** A file read from the shell is not an upload: a city's layer is allowed. */
const SHELL_LIMITS = {
  maxBytes: 2 * 1024 ** 3,
  maxUnzippedBytes: 4 * 1024 ** 3,
  maxFeatures: 2_000_000,
  maxVertices: 100_000_000,
};

/** The report as lines a person reads: Chinese first, English after. */
function describe(r: ImportReport): string[] {
  const lines = [
    `导入 Import: ${r.layer} ← ${basename(file!)} (${r.format}${r.crs ? `, ${r.crs.name} [${r.crs.source}]` : ''}${r.encoding ? `, ${r.encoding}` : ''})`,
    `字段映射 Mapping: ${
      Object.entries(r.mapping)
        .map(([field, column]) => `${field} ← ${column}`)
        .join(', ') || '(none)'
    }`,
    `要素 Features: ${r.features} — 新建 create ${r.create}, 更新 update ${r.update}, 不变 unchanged ${r.unchanged}, 无效 invalid ${r.invalid.length}`,
  ];
  if (r.invalid.length)
    lines.push(
      '无效要素 Invalid:',
      ...r.invalid.slice(0, 50).map((i) => `  #${i.index}${i.code ? ` ${i.code}` : ''}: ${i.reason}`),
    );
  if (r.invalid.length > 50) lines.push(`  … ${r.invalid.length - 50} more`);
  if (r.topology) {
    const kinds = Object.entries(r.topology.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `拓扑 Topology: 新增问题 ${r.topology.problems} new problem(s)${kinds ? `: ${kinds}` : ''}`,
      ...r.topology.sample.map((s) => `  ${s.message}`),
    );
  }
  if (r.asIs) {
    lines.push(
      `按现状导入 As is: ${r.asIs.reason ? `理由 reason "${r.asIs.reason}"` : '(no reason yet)'}` +
        (r.asIs.changesets.length
          ? `; 变更集 changesets ${r.asIs.changesets.join(', ')} (one per street, problems flagged)`
          : ''),
    );
  }
  for (const w of r.warnings) lines.push(`提示 Warning: ${w}`);
  lines.push(r.committed ? '已提交 Committed.' : '试运行，未写入 Dry run: nothing written (add --commit to write).');
  return lines;
}

await runCli('import', async (database) => {
  const user = await database.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'street_code'])
    .where('username', '=', values.as!)
    .executeTakeFirst();
  if (!user) {
    console.error(`no user "${values.as}" (--as names the account the import runs as)`);
    return 2;
  }
  if (user.role === 'planner') {
    console.error(`${user.username} is a planner: planners read but do not import`);
    return 2;
  }
  try {
    const report = await runImport(database.db, {
      user,
      layer: values.layer as InteropLayer,
      bytes,
      filename: basename(file!),
      format: values.format as ImportFormat | undefined,
      crs: values.crs,
      encoding: values.encoding,
      mapping,
      region: values.region,
      commit: values.commit,
      acceptProblems: values['accept-problems'],
      reason: values.reason,
      limits: SHELL_LIMITS,
    });
    console.log(describe(report).join('\n'));
    return 0;
  } catch (error) {
    const report = error instanceof HttpError ? (error.details?.report as ImportReport | undefined) : undefined;
    if (!report) throw error;
    console.log(describe(report).join('\n'));
    console.error(`拒绝 Refused: ${(error as HttpError).message}`);
    return 1;
  }
});
