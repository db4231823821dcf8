/**
 * One method on one dataset and driver, in its own process, so that the parent can stop it
 * at the timeout: PGlite runs a query synchronously in WebAssembly, so no timer fires in
 * the process that waits for it. A fresh process also makes the engine's first call a
 * true cold start (empty in-process cache, as after a server restart).
 *
 *   npx tsx bench/validation/worker.ts '<WorkerJob as JSON>'
 *
 * Prints one `@bench {json}` line per timed run as it finishes, then the problems found.
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { openDatabase, type Database } from '../../server/db/database.ts';
import type { DB } from '../../server/db/schema.ts';
import { previewValidation, validateRegion } from '../../server/validation/validation.engine.ts';
import { checksSaved, clearCheckCache } from '../../server/validation/community-checks.ts';
import { createRng } from '../../data/generator/index.ts';
import { naiveGaps, naiveOverlaps } from './naive-sql.ts';
import type { FoundProblem } from './score.ts';
import { APPLICATION_NAME, type WorkerJob, type WorkerMessage } from './protocol.ts';

function emit(message: WorkerMessage): void {
  process.stdout.write(`@bench ${JSON.stringify(message)}\n`);
}

async function open(job: WorkerJob): Promise<Database> {
  if (job.target.driver === 'embedded') return openDatabase({ driver: 'embedded', dataDir: job.target.dataDir });
  // The name lets the parent cancel this worker's queries on the server if it kills it.
  const url = new URL(job.target.url);
  url.searchParams.set('application_name', APPLICATION_NAME);
  return openDatabase({ driver: 'server', connectionString: url.toString(), schema: job.target.schema, max: 4 });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function engine(db: Kysely<DB>, runs: number): Promise<void> {
  const toFound = (report: Awaited<ReturnType<typeof validateRegion>>): FoundProblem[] =>
    report.problems.features
      .filter((f) => ['gap', 'overlap', 'sliver'].includes(f.properties.type))
      .map((f) => ({
        kind: f.properties.type as FoundProblem['kind'],
        grids: [...f.properties.grids].sort(),
        areaM2: f.properties.areaM2,
      }));
  // The first check of the data: nothing in memory, nothing saved in community_checks.
  await sql`DELETE FROM community_checks`.execute(db);
  const cold = await timed(() => validateRegion(db, {}));
  const { stats } = cold.value;
  const split = `load ${stats.loadMs.toFixed(0)} + edge match ${stats.matchMs.toFixed(0)} + exact overlay ${stats.exactMs.toFixed(0)} ms`;
  emit({ run: 'cold', ms: cold.ms, note: `${stats.communities} communities, ${stats.overlaid} overlaid; ${split}` });
  emit({ found: toFound(cold.value) });
  await checksSaved(db); // the server driver saves after answering
  // A restarted (or second) API process: memory empty, the saved checks read back.
  clearCheckCache(db);
  const restart = await timed(() => validateRegion(db, {}));
  emit({
    run: 'restart',
    ms: restart.ms,
    note: `${restart.value.stats.fromDatabase} read back, ${restart.value.stats.recomputed} recomputed`,
  });
  for (let i = 0; i < runs; i++) {
    const warm = await timed(() => validateRegion(db, {}));
    emit({ run: 'warm', ms: warm.ms, note: `${warm.value.stats.recomputed} recomputed` });
  }
  // After an edit: a no-op UPDATE of one grid still moves its community's epoch (the
  // trigger fires per statement), so the next call re-checks that community only.
  const rng = createRng(5);
  const { rows } = await sql<{
    lo: number;
    hi: number;
  }>`SELECT min(id)::int AS lo, max(id)::int AS hi FROM grids`.execute(db);
  for (let i = 0; i < runs; i++) {
    await sql`UPDATE grids SET version = version WHERE id = (SELECT min(id) FROM grids WHERE id >= ${rng.int(rows[0]!.lo, rows[0]!.hi)})`.execute(
      db,
    );
    const edit = await timed(() => validateRegion(db, {}));
    emit({ run: 'edit', ms: edit.ms, note: `${edit.value.stats.recomputed} recomputed` });
  }
}

/**
 * The first check of freshly imported data, from nothing: a new process, community_checks
 * empty. Timed to the answer; saving the checks (after the answer on the server driver) is
 * timed apart.
 */
async function firstCheck(db: Kysely<DB>): Promise<void> {
  await sql`DELETE FROM community_checks`.execute(db);
  const t = performance.now();
  const report = await validateRegion(db, {});
  const ms = performance.now() - t;
  await checksSaved(db);
  const saveMs = performance.now() - t - ms;
  const { loadMs, matchMs, exactMs, overlaid } = report.stats;
  emit({ first: { ms, loadMs, matchMs, exactMs, saveMs, overlaid } });
  emit({
    found: report.problems.features
      .filter((f) => ['gap', 'overlap', 'sliver'].includes(f.properties.type))
      .map((f) => ({
        kind: f.properties.type as FoundProblem['kind'],
        grids: [...f.properties.grids].sort(),
        areaM2: f.properties.areaM2,
      })),
  });
}

async function naive(
  db: Kysely<DB>,
  job: WorkerJob,
  query: (db: Kysely<DB>) => Promise<FoundProblem[]>,
): Promise<void> {
  const once = () =>
    db.transaction().execute(async (trx) => {
      // On the server the query stops too when the parent gives up (PGlite: the parent kills us).
      if (job.target.driver === 'server')
        await sql`SET LOCAL statement_timeout = ${sql.lit(job.timeoutMs)}`.execute(trx);
      return query(trx);
    });
  const first = await timed(once);
  emit({ run: 'cold', ms: first.ms });
  emit({ found: first.value });
  for (let i = 0; i < job.runs; i++) emit({ run: 'warm', ms: (await timed(once)).ms });
}

/** A grid's outline with one vertex of its outer ring moved `metres` east. */
function moveVertex(geometry: MultiPolygon, k: number, metres: number): MultiPolygon {
  const ring = geometry.coordinates[0]![0]!;
  const moved = structuredClone(geometry);
  const out = moved.coordinates[0]![0]!;
  const i = k % (ring.length - 1);
  const [lon, lat] = ring[i] as [number, number];
  const to: Position = [lon + metres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat];
  out[i] = to;
  if (i === 0) out[out.length - 1] = to;
  return moved;
}

async function preview(db: Kysely<DB>, runs: number): Promise<void> {
  const { rows } = await sql<{
    lo: number;
    hi: number;
  }>`SELECT min(id)::int AS lo, max(id)::int AS hi FROM grids`.execute(db);
  const { lo, hi } = rows[0]!;
  const rng = createRng(3);
  const candidates: { code: string; geometry: Polygon | MultiPolygon }[] = [];
  while (candidates.length < runs + 1) {
    const row = await sql<{ code: string; g: string }>`
      SELECT code, ST_AsGeoJSON(geom) AS g FROM grids WHERE id >= ${rng.int(lo, hi)} ORDER BY id LIMIT 1`.execute(db);
    const grid = row.rows[0];
    if (!grid) continue;
    const outline = JSON.parse(grid.g) as MultiPolygon;
    candidates.push({ code: grid.code, geometry: moveVertex(outline, rng.int(0, 1000), 3) });
  }
  const samples: number[] = [];
  const serverMs: number[] = [];
  let withProblems = 0;
  for (const [i, c] of candidates.entries()) {
    const { ms, value } = await timed(() => previewValidation(db, { geometry: c.geometry, replaces: c.code }));
    if (i === 0) {
      emit({ run: 'cold', ms, note: `grid ${c.code}` });
      continue;
    }
    samples.push(ms);
    serverMs.push(value.tookMs);
    if (value.created.features.length > 0) withProblems++;
    emit({ run: 'warm', ms });
  }
  serverMs.sort((a, b) => a - b);
  emit({
    preview: { runs: samples.length, withProblems, medianServerMs: serverMs[Math.floor(serverMs.length / 2)] ?? NaN },
  });
}

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;
const database = await open(job);
// Load PostGIS and PROJ into the session first: PGlite loads the extension's WebAssembly on
// first use (~1–3 s), which would otherwise land in the first timed call of any method.
await sql`SELECT postgis_full_version(), ST_Area(ST_MakeEnvelope(0, 0, 1e-3, 1e-3, 4326)::geography)`.execute(
  database.db,
);
emit({ ready: true });
try {
  if (job.method === 'engine') await engine(database.db, job.runs);
  else if (job.method === 'first-check') await firstCheck(database.db);
  else if (job.method === 'naive-overlaps') await naive(database.db, job, naiveOverlaps);
  else if (job.method === 'naive-gaps') await naive(database.db, job, naiveGaps);
  else await preview(database.db, job.runs);
} finally {
  await database.close();
}
