/**
 * Bulk import (issue 15): a generated city's grids (default 100,000, data/write-city.ts)
 * written to one GeoJSON file and imported as they are through the set-based path
 * (runImport with acceptProblems: stage, place, code, write, one tiling check) on the
 * server driver, into a fresh schema holding only the city's regions. Side by side:
 *   - naive: the editor's operations, one createGrid per grid in drafts plus the draft
 *     check (the strict import path), on a sample of BENCH_BULK_SAMPLE grids (default
 *     1,000), extrapolated linearly to the whole file (a dry run, so the sample's
 *     deliberate errors do not stop it);
 *   - peer: `ogr2ogr -f PostgreSQL` loading the same file into a plain table (COPY, no
 *     checks, no codes, no history).
 *
 *   BENCH_DATABASE_URL=postgres://… [BENCH_BULK_GRIDS=100000] [BENCH_BULK_RUNS=3] npx tsx bench/bulk-import.ts
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadDataset } from '../data/load.ts';
import type { Dataset } from '../data/generator/types.ts';
import { runImport, type ImportRequest } from '../server/interop/import.service.ts';
import type { ImportReport } from '../common/contracts/interop.ts';

const run = promisify(execFile);
const LIMITS = {
  maxBytes: 2 * 1024 ** 3,
  maxUnzippedBytes: 4 * 1024 ** 3,
  maxFeatures: 2_000_000,
  maxVertices: 100_000_000,
};

export interface BulkOptions {
  url: string;
  grids: number;
  runs: number;
  sample: number;
  dir: string;
  log: (line: string) => void;
}

export function bulkOptionsFromEnv(url: string): BulkOptions {
  return {
    url,
    grids: Number(process.env.BENCH_BULK_GRIDS ?? 100_000),
    runs: Number(process.env.BENCH_BULK_RUNS ?? 3),
    sample: Number(process.env.BENCH_BULK_SAMPLE ?? 1_000),
    dir: process.env.BENCH_BULK_DIR ?? `/tmp/wangge-city-${process.env.BENCH_BULK_GRIDS ?? 100_000}`,
    log: (line) => console.error(line),
  };
}

interface CityIndex {
  districts: { file: string }[];
}

/** The generated city (made once, kept in `dir`) and its grids as one GeoJSON file. */
async function cityFiles(o: BulkOptions): Promise<{ datasets: Dataset[]; geojson: string; features: number }> {
  if (!existsSync(join(o.dir, 'index.json'))) {
    mkdirSync(o.dir, { recursive: true });
    o.log(`[bulk] generating a ${o.grids}-grid city in ${o.dir} …`);
    await run('npx', ['tsx', 'data/write-city.ts', '--grids', String(o.grids), '--out', o.dir], { maxBuffer: 1 << 24 });
  }
  const index = JSON.parse(readFileSync(join(o.dir, 'index.json'), 'utf8')) as CityIndex;
  const datasets = index.districts.map((d) => JSON.parse(readFileSync(join(o.dir, d.file), 'utf8')) as Dataset);
  const geojson = join(o.dir, 'city-grids.geojson');
  const grids = datasets.flatMap((d) => d.grids);
  if (!existsSync(geojson)) {
    const features = grids.map((g) =>
      JSON.stringify({
        type: 'Feature',
        properties: { code: g.code, name: g.name, kind: g.kind, households: g.households },
        geometry: g.geom,
      }),
    );
    writeFileSync(geojson, `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`);
  }
  return { datasets, geojson, features: grids.length };
}

/** A fresh schema with the city's regions and the demo users, and nothing else. */
async function freshSchema(
  o: BulkOptions,
  datasets: readonly Dataset[],
): Promise<{ database: Database; schema: string; drop: () => Promise<void> }> {
  const schema = `wt_bulk_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: o.url, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  const database = await openDatabase({ driver: 'server', connectionString: o.url, schema });
  await migrate(database.db);
  for (const [k, d] of datasets.entries()) {
    await loadDataset(
      database.db,
      { ...d, compounds: [], grids: [], buildings: [], partyOrgs: [], orgGrids: [], stations: [], gridWorkers: [] },
      { demoPassword: 'bench', createUsers: k === 0 },
    );
  }
  await sql`ANALYZE`.execute(database.db);
  return {
    database,
    schema,
    drop: async () => {
      await database.close();
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    },
  };
}

async function adminOf(database: Database) {
  return database.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'street_code'])
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
}

/** One grid import as the admin into a fresh schema, timed; the schema is dropped after. */
async function gridImport(
  o: BulkOptions,
  datasets: readonly Dataset[],
  request: Omit<ImportRequest, 'user' | 'layer' | 'limits'>,
): Promise<{ ms: number; r: ImportReport }> {
  const fresh = await freshSchema(o, datasets);
  try {
    const user = await adminOf(fresh.database);
    const t = performance.now();
    const r = await runImport(fresh.database.db, { ...request, user, layer: 'grids', limits: LIMITS });
    return { ms: performance.now() - t, r };
  } finally {
    await fresh.drop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface BulkResult {
  grids: number;
  fileMB: number;
  bulkMs: number;
  bulkRuns: number[];
  report: Pick<ImportReport, 'create' | 'invalid' | 'topology' | 'asIs'>;
  naiveSampleMs: number;
  naiveSample: number;
  naiveExtrapolatedMs: number;
  ogrMs: number;
  ogrRuns: number[];
}

export async function benchBulkImport(o: BulkOptions): Promise<BulkResult> {
  const { datasets, geojson, features } = await cityFiles(o);
  const bytes = readFileSync(geojson);
  const fileMB = bytes.byteLength / 1024 / 1024;
  o.log(`[bulk] ${features} grids, ${fileMB.toFixed(1)} MB GeoJSON`);

  const bulkRuns: number[] = [];
  let report: BulkResult['report'] | undefined;
  for (let i = 0; i < o.runs; i++) {
    const { ms, r } = await gridImport(o, datasets, {
      bytes: new Uint8Array(bytes),
      filename: 'city-grids.geojson',
      commit: true,
      acceptProblems: true,
      reason: 'bench: the city layer as it is',
    });
    bulkRuns.push(ms);
    report = { create: r.create, invalid: r.invalid, topology: r.topology, asIs: r.asIs };
    o.log(
      `[bulk] run ${i + 1}: ${(ms / 1000).toFixed(1)} s, created ${r.create}, problems ${r.topology?.problems} ${JSON.stringify(r.topology?.byKind)}, changesets ${r.asIs?.changesets.length}`,
    );
  }

  // Naive: the editor's operations for the first `sample` grids (dry run), extrapolated.
  const fc = JSON.parse(bytes.toString('utf8')) as { features: unknown[] };
  const sampleBytes = Buffer.from(
    JSON.stringify({ type: 'FeatureCollection', features: fc.features.slice(0, o.sample) }),
  );
  const naive = await gridImport(o, datasets, {
    bytes: new Uint8Array(sampleBytes),
    filename: 'sample.geojson',
    commit: false,
  });
  const naiveSampleMs = naive.ms;
  o.log(
    `[bulk] naive sample: ${o.sample} grids in ${(naiveSampleMs / 1000).toFixed(1)} s (created ${naive.r.create}, invalid ${naive.r.invalid.length})`,
  );

  // Peer: ogr2ogr into PostgreSQL (COPY), the same file, a fresh table each run.
  const url = new URL(o.url);
  const pg =
    `PG:dbname=${url.pathname.slice(1)} host=${url.hostname} port=${url.port || 5432} user=${decodeURIComponent(url.username || 'postgres')}` +
    (url.password ? ` password=${decodeURIComponent(url.password)}` : '');
  const ogrRuns: number[] = [];
  const admin = await openDatabase({ driver: 'server', connectionString: o.url, max: 1 });
  try {
    for (let i = 0; i < o.runs; i++) {
      const schema = `wt_ogr_${randomBytes(4).toString('hex')}`;
      await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
      try {
        const t = performance.now();
        await run(
          'ogr2ogr',
          [
            '-f',
            'PostgreSQL',
            pg,
            geojson,
            '-nln',
            `${schema}.grids_ogr`,
            '-nlt',
            'PROMOTE_TO_MULTI',
            '-lco',
            'GEOMETRY_NAME=geom',
            '-gt',
            '65536',
          ],
          { maxBuffer: 1 << 24 },
        );
        ogrRuns.push(performance.now() - t);
        o.log(`[bulk] ogr2ogr run ${i + 1}: ${(ogrRuns.at(-1)! / 1000).toFixed(1)} s`);
      } finally {
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      }
    }
  } finally {
    await admin.close();
  }
  return {
    grids: features,
    fileMB,
    bulkMs: median(bulkRuns),
    bulkRuns,
    report: report!,
    naiveSampleMs,
    naiveSample: o.sample,
    naiveExtrapolatedMs: (naiveSampleMs * features) / o.sample,
    ogrMs: median(ogrRuns),
    ogrRuns,
  };
}

export function bulkTable(r: BulkResult): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return [
    `Bulk import · ${r.grids} grids · ${r.fileMB.toFixed(1)} MB GeoJSON · server driver (medians of ${r.bulkRuns.length}; problems found ${r.report.topology?.problems ?? 0})`,
    '',
    '| approach | s | vs Wangge bulk |',
    '|---|---:|---:|',
    `| Wangge bulk import as it is (parse, reproject, stage, codes, write, history, one tiling check) | ${s(r.bulkMs)} | 1.0× |`,
    `| naive: one editor operation per grid + draft check (${r.naiveSample} measured: ${s(r.naiveSampleMs)} s, extrapolated ×${(r.grids / r.naiveSample).toFixed(0)}) | ${s(r.naiveExtrapolatedMs)} | ${(r.naiveExtrapolatedMs / r.bulkMs).toFixed(1)}× |`,
    `| peer: ogr2ogr -f PostgreSQL (COPY into a plain table, no checks) | ${s(r.ogrMs)} | ${(r.ogrMs / r.bulkMs).toFixed(2)}× |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is required (the bulk import bench runs on the server driver)');
  console.log('\n' + bulkTable(await benchBulkImport(bulkOptionsFromEnv(url))));
}
