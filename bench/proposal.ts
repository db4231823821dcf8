/**
 * Grid proposals (智能划格, issue 19) in `npm run bench`: the proposal (regionalise) side by
 * side with the two baselines (bench/proposal-baselines.ts: turf k-means, greedy floor-only
 * growth), each run through the same path — proposeWith: the unit graph from PostGIS, the
 * plan, outlines and planMetrics — so only the planner differs. Cases:
 *
 * - the demo district, fresh, community by community (time: the median community, and the
 *   community closest to 3,000 households over `runs` runs);
 * - the demo district, rebalance, street by street (proposal only): its out-of-band grids
 *   must all end in band with fewer than 15 grids changed;
 * - generated streets of 5,000 and 20,000 buildings (bench/proposal-street.ts), fresh, the
 *   whole street at once (time: median of `runs`). 20,000 on the server driver only.
 *
 * Memory: peak RSS sampled every 10 ms during a run and the heap's growth over it. The
 * embedded driver runs PostGIS in this process (WASM), so its RSS includes the database.
 *
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/proposal.ts
 *   BENCH_PROPOSAL_SIZES=5000,20000 BENCH_PROPOSAL_RUNS=3 BENCH_PROPOSAL_DRIVERS=embedded,server
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { openDatabase, type Database, type DriverName } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { loadDemoIfEmpty, readDemoDataset } from '../data/load.ts';
import { DEFAULT_HOUSEHOLD_BOUNDS } from '../common/rules/household-band.ts';
import { proposeWith, type ProposalResult, type ProposeInput } from '../server/proposal/propose.ts';
import type { Planner } from '../server/proposal/propose-community.ts';
import { regionalise } from '../server/proposal/regionalise.ts';
import { planMetrics } from '../server/proposal/metrics.ts';
import type { Bounds } from '../server/proposal/unit-graph.ts';
import { greedyBaseline, kmeansBaseline, nonContiguousRegions } from './proposal-baselines.ts';
import { generateStreet, loadStreet } from './proposal-street.ts';
import {
  ALGORITHMS,
  type Algorithm,
  type ProblemCount,
  type ProposalBenchOptions,
  type ProposalBenchResult,
  type QualityRow,
  type RebalanceRow,
} from './proposal-types.ts';
import { median } from './stats.ts';

export type { ProposalBenchOptions, ProposalBenchResult } from './proposal-types.ts';

/** A planner that also times itself and counts non-contiguous regions (outside the timing). */
function instrumented(algorithm: Algorithm) {
  const stats = { planMs: 0, nonContiguous: 0, regionsChanged: 0 };
  const plan: Planner['regionalise'] =
    algorithm === 'proposal'
      ? regionalise
      : algorithm === 'k-means'
        ? (graph, o) => kmeansBaseline(graph, o.seed)
        : (graph, o) => greedyBaseline(graph, o.bounds, o.seed);
  const planner: Planner = {
    regionalise(graph, options) {
      const t = performance.now();
      const out = plan(graph, options);
      stats.planMs += performance.now() - t;
      stats.nonContiguous += nonContiguousRegions(graph, out);
      stats.regionsChanged += out.regions.filter((r) => !r.unchanged).length;
      return out;
    },
    planMetrics,
  };
  return { planner, stats };
}

/** Run `work`, sampling RSS and heap every 10 ms. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; peakRssMB: number; heapDeltaMB: number }> {
  const heap0 = process.memoryUsage().heapUsed;
  let [peakRss, peakHeap] = [process.memoryUsage.rss(), heap0];
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 10);
  const t = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - t;
    sample();
    return { value, ms, peakRssMB: peakRss / 2 ** 20, heapDeltaMB: (peakHeap - heap0) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

function countProblems(results: ProposalResult[]): ProblemCount[] {
  const by = new Map<string, ProblemCount>();
  for (const p of results.flatMap((r) => r.problems)) {
    const c = by.get(p.kind) ?? { kind: p.kind, count: 0, example: `${p.community_name}: ${p.message_en}` };
    c.count++;
    by.set(p.kind, c);
  }
  return [...by.values()];
}

/** Quality of a set of results (one per community, or one for a street). */
function quality(results: ProposalResult[]) {
  const grids = results.flatMap((r) => r.grids);
  const residential = grids.filter((g) => g.kind !== 'commercial');
  return {
    households: grids.reduce((s, g) => s + g.households, 0),
    grids: grids.length,
    residential: residential.length,
    inBand: residential.filter((g) => g.band === 'ok').length,
    ppMedian: median(residential.map((g) => g.polsbyPopper)),
    roadsCrossed: residential.reduce((s, g) => s + g.roadsCrossed, 0),
    compoundsSplit: results.reduce((s, r) => s + r.summary.compoundsSplit, 0),
    buildingsCut: results.reduce((s, r) => s + r.summary.buildingsCut, 0),
    problems: countProblems(results),
  };
}

const input = (scope: ProposeInput['scope'], mode: ProposeInput['mode'], seed: number, bounds: Bounds) => ({
  draftId: null,
  scope,
  mode,
  seed,
  bounds,
});

async function communitiesOf(db: Kysely<DB>): Promise<{ code: string; households: number }[]> {
  const { rows } = await sql<{ code: string; households: number }>`
    SELECT c.code, coalesce(sum(b.households), 0)::int AS households
    FROM regions c LEFT JOIN buildings b ON b.community_code = c.code
    WHERE c.level = 'community' GROUP BY c.code ORDER BY c.code`.execute(db);
  return rows;
}

async function streetsOf(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('regions').select('code').where('level', '=', 'street').orderBy('code').execute();
  return rows.map((r) => r.code);
}

/** The demo district: fresh per community for the three planners, then rebalance per street. */
async function benchDemo(db: Kysely<DB>, driver: DriverName, options: ProposalBenchOptions, out: ProposalBenchResult) {
  const log = options.log ?? (() => {});
  const bounds = { ...DEFAULT_HOUSEHOLD_BOUNDS };
  const communities = await communitiesOf(db);
  const typical = [...communities].sort(
    (a, b) => Math.abs(a.households - 3_000) - Math.abs(b.households - 3_000) || a.code.localeCompare(b.code),
  )[0]!;
  for (const algorithm of options.algorithms) {
    const { planner, stats } = instrumented(algorithm);
    const times: number[] = [];
    const run = await measured(async () => {
      const results: ProposalResult[] = [];
      for (const c of communities) {
        const t = performance.now();
        results.push(
          await proposeWith(db, input({ level: 'community', code: c.code }, 'fresh', options.seed, bounds), planner),
        );
        times.push(performance.now() - t);
      }
      return results;
    });
    const planMs = stats.planMs;
    const nonContiguous = stats.nonContiguous;
    const typicalTimes: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const t = performance.now();
      await proposeWith(db, input({ level: 'community', code: typical.code }, 'fresh', options.seed, bounds), planner);
      typicalTimes.push(performance.now() - t);
    }
    const row: QualityRow = {
      driver,
      case: 'demo district, fresh per community',
      algorithm,
      communities: communities.length,
      ...quality(run.value),
      nonContiguous,
      ms: median(times),
      planMs,
      communityMs: median(typicalTimes),
      communityHouseholds: typical.households,
      peakRssMB: run.peakRssMB,
      heapDeltaMB: run.heapDeltaMB,
    };
    out.quality.push(row);
    log(`[proposal] row ${JSON.stringify(row)}`);
    log(
      `[proposal] ${driver} demo ${algorithm}: ${row.inBand}/${row.residential} in band, ` +
        `median community ${row.ms.toFixed(0)} ms, all ${(run.ms / 1000).toFixed(1)} s`,
    );
  }

  // Rebalance, street by street: the district's out-of-band grids must end in band.
  const outOfBand = readDemoDataset().meta.outOfBandGrids;
  const { planner, stats } = instrumented('proposal');
  const results: ProposalResult[] = [];
  const t = performance.now();
  for (const street of await streetsOf(db))
    results.push(
      await proposeWith(db, input({ level: 'street', code: street }, 'rebalance', options.seed, bounds), planner),
    );
  const ms = performance.now() - t;
  const grids = results.flatMap((r) => r.grids);
  const residential = grids.filter((g) => g.kind !== 'commercial');
  const retired = new Set(results.flatMap((r) => r.retired));
  // Fixed: its proposed grid is in band, or it is retired and every grid of its community is.
  const fixed = outOfBand.filter((code) => {
    const g = grids.find((x) => x.code === code);
    if (g) return g.band === 'ok';
    return (
      retired.has(code) &&
      residential.filter((x) => x.community_code === code.slice(0, 12)).every((x) => x.band === 'ok')
    );
  });
  const rebalanceRow: RebalanceRow = {
    driver,
    outOfBandBefore: outOfBand,
    fixed,
    residential: residential.length,
    inBand: residential.filter((g) => g.band === 'ok').length,
    gridsChanged: results.reduce((s, r) => s + r.summary.gridsChanged, 0),
    changed: grids.filter((g) => g.status === 'changed').length,
    added: grids.filter((g) => g.status === 'new').length,
    retired: retired.size,
    plannerChanged: stats.regionsChanged,
    householdsMoved: results.reduce((s, r) => s + r.summary.householdsMoved, 0),
    ms,
    problems: countProblems(results),
  };
  out.rebalance.push(rebalanceRow);
  log(`[proposal] rebalance ${JSON.stringify(rebalanceRow)}`);
  log(`[proposal] ${driver} demo rebalance: ${fixed.length}/${outOfBand.length} fixed in ${(ms / 1000).toFixed(1)} s`);
}

/** A generated street, fresh, the whole street per run, for the three planners. */
async function benchStreet(
  db: Kysely<DB>,
  driver: DriverName,
  buildings: number,
  options: ProposalBenchOptions,
  out: ProposalBenchResult,
) {
  const log = options.log ?? (() => {});
  const bounds = { ...DEFAULT_HOUSEHOLD_BOUNDS };
  const street = (await streetsOf(db))[0]!;
  const communities = (await communitiesOf(db)).length;
  for (const algorithm of options.algorithms) {
    // Past 5,000 buildings the baselines run once (their quality is deterministic; their time is
    // the shared graph and outline path plus a planner of a few hundred milliseconds).
    const runs = algorithm === 'proposal' || buildings <= 5_000 ? options.runs : 1;
    const times: number[] = [];
    let first: Awaited<ReturnType<typeof measured<ProposalResult>>> | undefined;
    let firstStats: ReturnType<typeof instrumented>['stats'] | undefined;
    for (let i = 0; i < runs; i++) {
      const { planner, stats } = instrumented(algorithm);
      const run = await measured(() =>
        proposeWith(db, input({ level: 'street', code: street }, 'fresh', options.seed, bounds), planner),
      );
      times.push(run.ms);
      if (!first) [first, firstStats] = [run, stats];
      log(`[proposal] ${driver} street ${buildings} ${algorithm} run ${i + 1}: ${(run.ms / 1000).toFixed(2)} s`);
    }
    const row: QualityRow = {
      driver,
      case: `street of ${buildings.toLocaleString('en-US')} buildings, fresh`,
      algorithm,
      communities,
      ...quality([first!.value]),
      nonContiguous: firstStats!.nonContiguous,
      ms: median(times),
      planMs: firstStats!.planMs,
      peakRssMB: first!.peakRssMB,
      heapDeltaMB: first!.heapDeltaMB,
    };
    out.quality.push(row);
    log(`[proposal] row ${JSON.stringify(row)}`);
  }
}

/** Open a server database, again after a pause if the (shared, loaded) server times out once or twice. */
async function openServer(url: string, schema?: string, max?: number): Promise<Database> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase({ driver: 'server', connectionString: url, schema, max });
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}

/** A fresh database on a driver: in memory (embedded), or a schema of its own (server). */
async function withDatabase<T>(driver: DriverName, url: string | undefined, work: (db: Kysely<DB>) => Promise<T>) {
  if (driver === 'embedded') {
    const database = await openDatabase({ driver: 'embedded' });
    try {
      await migrate(database.db);
      return await work(database.db);
    } finally {
      await database.close();
    }
  }
  const schema = `wt_proposal_${randomBytes(4).toString('hex')}`;
  const admin = await openServer(url!, undefined, 1);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  let database: Database | undefined;
  try {
    database = await openServer(url!, schema);
    await migrate(database.db);
    return await work(database.db);
  } finally {
    await database?.close();
    await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
    await admin.close();
  }
}

export async function benchProposal(options: ProposalBenchOptions): Promise<ProposalBenchResult> {
  const log = options.log ?? (() => {});
  const out: ProposalBenchResult = {
    quality: [],
    rebalance: [],
    loads: [],
    errors: [],
    loadBefore: loadavg()[0]!,
    loadAfter: NaN,
  };
  const drivers = options.drivers.filter((d) => d === 'embedded' || options.databaseUrl);
  // A case that fails is reported and the others still run.
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      out.errors.push(`${what}: ${(error as Error).message}`);
      log(`[proposal] ${what} failed: ${(error as Error).stack}`);
    }
  };
  for (const driver of drivers) {
    if (options.demo)
      await attempt(`${driver} demo district`, () =>
        withDatabase(driver, options.databaseUrl, async (db) => {
          const t = performance.now();
          await loadDemoIfEmpty(db, { demoPassword: 'bench', cases: false });
          await sql`ANALYZE`.execute(db);
          out.loads.push({
            driver,
            case: 'demo district',
            buildings: readDemoDataset().buildings.length,
            seconds: (performance.now() - t) / 1000,
          });
          await benchDemo(db, driver, options, out);
        }),
      );
    for (const size of options.sizes) {
      // The 20,000-building street on the server driver only (the target is stated for it).
      if (driver === 'embedded' && size > 5_000) continue;
      await attempt(`${driver} street ${size}`, () =>
        withDatabase(driver, options.databaseUrl, async (db) => {
          const t = performance.now();
          const street = generateStreet(size);
          await loadStreet(db, street);
          await sql`ANALYZE`.execute(db);
          const seconds = (performance.now() - t) / 1000;
          out.loads.push({ driver, case: `street ${size}`, buildings: street.dataset.buildings.length, seconds });
          log(
            `[proposal] ${driver} street of ${street.dataset.buildings.length} buildings loaded in ${seconds.toFixed(1)} s`,
          );
          await benchStreet(db, driver, size, options, out);
        }),
      );
    }
  }
  out.loadAfter = loadavg()[0]!;
  return out;
}

export const proposalOptionsFromEnv = (databaseUrl: string | undefined): ProposalBenchOptions => ({
  databaseUrl,
  drivers: (process.env.BENCH_PROPOSAL_DRIVERS ?? 'embedded,server').split(',') as DriverName[],
  sizes: (process.env.BENCH_PROPOSAL_SIZES ?? '5000,20000').split(',').filter(Boolean).map(Number),
  demo: process.env.BENCH_PROPOSAL_DEMO !== '0',
  algorithms: (process.env.BENCH_PROPOSAL_ALGORITHMS ?? ALGORITHMS.join(','))
    .split(',')
    .filter((a): a is Algorithm => (ALGORITHMS as readonly string[]).includes(a)),
  runs: Number(process.env.BENCH_PROPOSAL_RUNS ?? 3),
  seed: Number(process.env.BENCH_PROPOSAL_SEED ?? 1),
  log: (line) => console.error(line),
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const { proposalTables } = await import('./proposal-table.ts');
  const result = await benchProposal(proposalOptionsFromEnv(process.env.BENCH_DATABASE_URL));
  console.log(proposalTables(result));
}
