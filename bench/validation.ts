/**
 * Coverage validation bench (issue 3): the validation engine against the obvious PostGIS
 * queries and mapshaper, on generated cities of 1,000 / 10,000 / 100,000 grids, on both
 * drivers, with a check that each method finds exactly the injected gaps and overlaps;
 * and the preview of one edited grid. Called by bench/run.ts, or alone:
 *
 *   BENCH_VALIDATION_SIZES=1000,10000,100000 BENCH_DATABASE_URL=postgres://postgres@localhost/wangge_bench \
 *     npx tsx bench/validation.ts
 *
 * Environment (defaults in brackets): BENCH_VALIDATION_SIZES [1000];
 * BENCH_VALIDATION_DRIVERS [embedded, plus server when BENCH_DATABASE_URL is set];
 * BENCH_DATABASE_URL [postgres://postgres@localhost/wangge_bench when server is asked for];
 * BENCH_VALIDATION_EMBEDDED_MAX [100000]: largest size loaded into the embedded driver;
 * BENCH_VALIDATION_METHODS [first,engine,naive,mapshaper,preview]; BENCH_VALIDATION_FIRST_RUNS [3]
 * first checks from nothing (each in a new process); BENCH_VALIDATION_RUNS [5]
 * warm engine runs; BENCH_VALIDATION_BASELINE_RUNS [3] naive and mapshaper runs;
 * BENCH_VALIDATION_PREVIEW_RUNS [50]; BENCH_VALIDATION_TIMEOUT_S [120] per run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { DeliberateError } from '../data/generator/types.ts';
import { ensureCity, ensureEmbedded, ensureServer, type City } from './validation/datasets.ts';
import { runWorker } from './validation/child.ts';
import {
  mapshaperCommand,
  mapshaperStartup,
  readGaps,
  readOverlaps,
  runMapshaper,
  vertexIndex,
  type MapshaperJob,
} from './validation/mapshaper.ts';
import { classify, score, type FoundProblem, type Score } from './validation/score.ts';
import type { WorkerJob, WorkerMethod } from './validation/protocol.ts';

type Driver = 'embedded' | 'server';

export interface ValidationBenchOptions {
  sizes: number[];
  drivers: Driver[];
  url: string;
  embeddedMax: number;
  methods: Set<string>;
  runs: number;
  firstRuns: number;
  baselineRuns: number;
  previewRuns: number;
  timeoutMs: number;
}

export function optionsFromEnv(env = process.env): ValidationBenchOptions {
  const list = (value: string | undefined, fallback: string) =>
    (value ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const drivers = list(
    env.BENCH_VALIDATION_DRIVERS,
    env.BENCH_DATABASE_URL ? 'server,embedded' : 'embedded',
  ) as Driver[];
  return {
    sizes: list(env.BENCH_VALIDATION_SIZES, '1000').map(Number),
    drivers,
    url: env.BENCH_DATABASE_URL ?? 'postgres://postgres@localhost/wangge_bench',
    embeddedMax: Number(env.BENCH_VALIDATION_EMBEDDED_MAX ?? 100_000),
    methods: new Set(list(env.BENCH_VALIDATION_METHODS, 'first,engine,naive,mapshaper,preview')),
    runs: Number(env.BENCH_VALIDATION_RUNS ?? 5),
    firstRuns: Number(env.BENCH_VALIDATION_FIRST_RUNS ?? 3),
    baselineRuns: Number(env.BENCH_VALIDATION_BASELINE_RUNS ?? 3),
    previewRuns: Number(env.BENCH_VALIDATION_PREVIEW_RUNS ?? 50),
    timeoutMs: Number(env.BENCH_VALIDATION_TIMEOUT_S ?? 120) * 1000,
  };
}

export interface ValidationRow {
  method: string;
  size: number;
  driver: Driver | '—';
  /** Median ms, or why there is none. */
  ms: number | 'timeout' | 'error';
  runs: number;
  /** The engine row this one is compared with (same size and driver; for mapshaper the server's, else the embedded). */
  vsEngine?: { cold: number; warm: number };
  score?: Score;
  note?: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const log = (m: string) => process.stderr.write(`[validation] ${m}\n`);
const ofKind = (expected: DeliberateError[], kinds: string[]) => expected.filter((e) => kinds.includes(e.kind));

export async function benchValidation(options: ValidationBenchOptions): Promise<ValidationRow[]> {
  const rows: ValidationRow[] = [];
  for (const size of options.sizes) {
    const city = ensureCity(size, log);
    log(`${size} grids: ${city.districts} districts, ${city.expected.length} injected problems, in ${city.dir}`);
    const engineBySize: Partial<Record<Driver, { cold: number; warm: number }>> = {};
    for (const driver of options.drivers) {
      if (driver === 'embedded' && size > options.embeddedMax) continue;
      const loadStarted = performance.now();
      const target =
        driver === 'server'
          ? { driver, ...(await ensureServer(options.url, city, log)) }
          : { driver, ...(await ensureEmbedded(city, log)) };
      if (target.loadMs !== null) {
        rows.push({
          method: 'load (migrate + load city)',
          size,
          driver,
          ms: target.loadMs,
          runs: 1,
          note: `${((performance.now() - loadStarted) / 1000).toFixed(0)} s`,
        });
      }
      const workerTarget: WorkerJob['target'] =
        target.driver === 'server'
          ? { driver: 'server', url: target.url, schema: target.schema }
          : { driver: 'embedded', dataDir: target.dataDir };
      const run = (method: WorkerMethod, runs: number) => {
        log(`${method} · ${size} · ${driver}`);
        return runWorker({ method, target: workerTarget, runs, timeoutMs: options.timeoutMs }, log);
      };
      const driverRows: ValidationRow[] = [];
      let first: number | undefined;
      if (options.methods.has('first')) {
        // Issue 15: the first check of freshly imported data, each run in a new process with
        // community_checks emptied; the naive SQL and mapshaper rows are divided by its median.
        const runs: {
          ms: number;
          loadMs: number;
          matchMs: number;
          exactMs: number;
          saveMs: number;
          overlaid: number;
        }[] = [];
        let found: FoundProblem[] = [];
        let failure: string | undefined;
        for (let i = 0; i < options.firstRuns; i++) {
          const outcome = await run('first-check', 0);
          const m = outcome.messages.flatMap((x) => ('first' in x ? [x.first] : []))[0];
          if (!m) {
            failure = outcome.failure ?? 'error';
            break;
          }
          log(
            `  first check ${m.ms.toFixed(0)} ms (load ${m.loadMs.toFixed(0)}, match ${m.matchMs.toFixed(0)}, overlay ${m.exactMs.toFixed(0)}; saved after ${m.saveMs.toFixed(0)})`,
          );
          runs.push(m);
          found = outcome.messages.flatMap((x) => ('found' in x ? x.found : []));
        }
        if (runs.length) {
          const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
          first = mid.ms;
          const all = runs.map((r) => r.ms.toFixed(0)).join(', ');
          driverRows.push({
            method: 'engine, first check from nothing (new process, community_checks empty)',
            size,
            driver,
            ms: mid.ms,
            runs: runs.length,
            score: score(city.expected, found),
            note: `runs ${all} ms; median run: read ${mid.loadMs.toFixed(0)} + edge match ${mid.matchMs.toFixed(0)} + exact overlay ${mid.exactMs.toFixed(0)} ms (${mid.overlaid} communities), saving after the answer ${mid.saveMs.toFixed(0)} ms`,
          });
        } else
          driverRows.push({
            method: 'engine, first check from nothing',
            size,
            driver,
            ms: failure === 'timeout' ? 'timeout' : 'error',
            runs: 0,
            note: failure,
          });
      }
      if (options.methods.has('engine')) {
        const outcome = await run('engine', options.runs);
        const cold = outcome.messages.flatMap((m) => ('run' in m && m.run === 'cold' ? [m.ms] : []));
        const warm = outcome.messages.flatMap((m) => ('run' in m && m.run === 'warm' ? [m.ms] : []));
        const found = outcome.messages.flatMap((m) => ('found' in m ? m.found : []));
        const s = cold.length ? score(city.expected, found) : undefined;
        const failed = outcome.failure === 'timeout' ? 'timeout' : 'error';
        const coldNote = outcome.messages.flatMap((m) => ('run' in m && m.run === 'cold' ? [m.note] : []))[0];
        driverRows.push({
          method: 'engine, cold (first check of the data: nothing in memory or saved)',
          size,
          driver,
          ms: cold[0] ?? failed,
          runs: cold.length,
          score: s,
          note: outcome.failure ?? coldNote,
        });
        const restart = outcome.messages.flatMap((m) =>
          'run' in m && m.run === 'restart' ? [{ ms: m.ms, note: m.note }] : [],
        )[0];
        if (restart)
          driverRows.push({
            method: 'engine, new process (saved checks read back)',
            size,
            driver,
            ms: restart.ms,
            runs: 1,
            note: restart.note,
          });
        driverRows.push({
          method: 'engine, warm (cache filled)',
          size,
          driver,
          ms: warm.length ? median(warm) : failed,
          runs: warm.length,
          score: s,
        });
        const edits = outcome.messages.flatMap((m) => ('run' in m && m.run === 'edit' ? [m.ms] : []));
        if (edits.length)
          driverRows.push({
            method: 'engine, warm after one grid edit (its community re-checked)',
            size,
            driver,
            ms: median(edits),
            runs: edits.length,
          });
        if (cold.length && warm.length) engineBySize[driver] = { cold: first ?? cold[0]!, warm: median(warm) };
      } else if (first !== undefined) engineBySize[driver] = { cold: first, warm: NaN };
      if (options.methods.has('naive')) {
        const parts: { ms: number; found: FoundProblem[] }[] = [];
        for (const [method, kind] of [
          ['naive-overlaps', 'overlap'],
          ['naive-gaps', 'gap'],
        ] as const) {
          const outcome = await run(method, options.baselineRuns - 1);
          const times = outcome.messages.flatMap((m) => ('run' in m ? [m.ms] : []));
          const found = outcome.messages.flatMap((m) => ('found' in m ? m.found : [])).map(classify);
          const label =
            kind === 'overlap'
              ? "PostGIS naive overlaps (GiST self-join, ST_Relate '2********')"
              : 'PostGIS naive gaps (ST_Difference(community, ST_Union(grids)))';
          if (!times.length) {
            driverRows.push({
              method: label,
              size,
              driver,
              ms: outcome.failure === 'timeout' ? 'timeout' : 'error',
              runs: 0,
              note: outcome.failure,
            });
            continue;
          }
          driverRows.push({
            method: label,
            size,
            driver,
            ms: median(times),
            runs: times.length,
            score: score(ofKind(city.expected, [kind]), found),
            note: outcome.failure,
          });
          parts.push({ ms: median(times), found });
        }
        if (parts.length === 2) {
          const all = parts.flatMap((p) => p.found);
          driverRows.push({
            method: 'PostGIS naive, overlaps + gaps',
            size,
            driver,
            ms: parts[0]!.ms + parts[1]!.ms,
            runs: options.baselineRuns,
            score: score(city.expected, all),
          });
        }
      }
      if (options.methods.has('preview')) {
        const outcome = await run('preview', options.previewRuns);
        const cold = outcome.messages.flatMap((m) => ('run' in m && m.run === 'cold' ? [m.ms] : []));
        const warm = outcome.messages.flatMap((m) => ('run' in m && m.run === 'warm' ? [m.ms] : []));
        const summary = outcome.messages.flatMap((m) => ('preview' in m ? [m.preview] : []))[0];
        const failed = outcome.failure === 'timeout' ? 'timeout' : 'error';
        driverRows.push({
          method: 'preview, first call in a new process',
          size,
          driver,
          ms: cold[0] ?? failed,
          runs: cold.length,
          note: outcome.failure,
        });
        driverRows.push({
          method: 'preview, one grid with a vertex moved 3 m',
          size,
          driver,
          ms: warm.length ? median(warm) : failed,
          runs: warm.length,
          note: summary
            ? `${summary.withProblems}/${summary.runs} previews report a created problem; engine's own tookMs median ${summary.medianServerMs} ms`
            : outcome.failure,
        });
      }
      for (const row of driverRows) if (!row.method.startsWith('preview')) row.vsEngine = engineBySize[driver];
      rows.push(...driverRows);
    }
    if (options.methods.has('mapshaper'))
      rows.push(...(await benchMapshaper(city, options, engineBySize.server ?? engineBySize.embedded)));
  }
  return rows;
}

async function benchMapshaper(
  city: City,
  options: ValidationBenchOptions,
  vsEngine: ValidationRow['vsEngine'],
): Promise<ValidationRow[]> {
  const rows: ValidationRow[] = [];
  const totals: { ms: number; found: FoundProblem[] }[] = [];
  for (const job of ['overlaps', 'gaps'] as MapshaperJob[]) {
    log(`mapshaper ${job} · ${city.grids}: ${mapshaperCommand(job, city)}`);
    const times: number[] = [];
    let failure: string | undefined;
    let out: string | undefined;
    for (let i = 0; i < options.baselineRuns; i++) {
      try {
        const result = await runMapshaper(job, city, options.timeoutMs);
        times.push(result.ms);
        out = result.out;
        log(`  mapshaper ${job} ${result.ms.toFixed(0)} ms`);
      } catch (error) {
        failure = (error as Error).message;
        break;
      }
    }
    const label =
      job === 'overlaps'
        ? "mapshaper overlaps (-mosaic calc='n=count()', n > 1)"
        : 'mapshaper gaps (communities -erase grids)';
    if (!out) {
      rows.push({
        method: label,
        size: city.grids,
        driver: '—',
        ms: failure === 'timeout' ? 'timeout' : 'error',
        runs: 0,
        note: failure,
        vsEngine,
      });
      continue;
    }
    const found = (job === 'overlaps' ? readOverlaps(out) : readGaps(out, vertexIndex(city))).map(classify);
    const kind = job === 'overlaps' ? 'overlap' : 'gap';
    rows.push({
      method: label,
      size: city.grids,
      driver: '—',
      ms: median(times),
      runs: times.length,
      score: score(ofKind(city.expected, [kind]), found),
      note: failure,
      vsEngine,
    });
    totals.push({ ms: median(times), found });
  }
  if (totals.length === 2) {
    const found = totals.flatMap((t) => t.found);
    rows.push({
      method: 'mapshaper, overlaps + gaps',
      size: city.grids,
      driver: '—',
      ms: totals[0]!.ms + totals[1]!.ms,
      runs: options.baselineRuns,
      score: score(city.expected, found),
      vsEngine,
    });
  }
  const startup: number[] = [];
  for (let i = 0; i < options.baselineRuns; i++) startup.push(await mapshaperStartup());
  rows.push({
    method: 'mapshaper start-up alone (npx mapshaper -v), included above',
    size: city.grids,
    driver: '—',
    ms: median(startup),
    runs: startup.length,
  });
  return rows;
}

function cell(row: ValidationRow): string[] {
  const ms = typeof row.ms === 'number' ? row.ms.toFixed(row.ms < 100 ? 1 : 0) : row.ms;
  const ratio = (engine: number | undefined) =>
    typeof row.ms === 'number' && engine && !row.method.startsWith('engine') && !row.method.startsWith('load')
      ? `${(row.ms / engine).toFixed(1)}×`
      : '';
  const s = row.score;
  const found = s ? `${s.found}/${s.expected}${s.found === s.expected && s.extra === 0 ? ' ✓' : ''}` : '';
  const extra = s ? `${s.extra}${s.slivers ? ` (+${s.slivers} slivers)` : ''}` : '';
  return [
    row.method,
    String(row.size),
    row.driver,
    ms,
    String(row.runs),
    ratio(row.vsEngine?.cold),
    ratio(row.vsEngine?.warm),
    found,
    extra,
    row.note ?? '',
  ];
}

export function validationTable(rows: ValidationRow[]): string {
  const head = [
    'method',
    'grids',
    'driver',
    'median ms',
    'runs',
    '÷ engine first check',
    '÷ engine warm',
    'injected found',
    'extra',
    'note',
  ];
  const lines = [`| ${head.join(' | ')} |`, '|---|---:|---|---:|---:|---:|---:|---:|---:|---|'];
  for (const row of rows) lines.push(`| ${cell(row).join(' | ')} |`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = optionsFromEnv();
  const rows = await benchValidation(options);
  mkdirSync('var', { recursive: true });
  writeFileSync('var/bench-validation.json', JSON.stringify(rows, null, 1));
  console.log(
    `\nCoverage validation · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model} · node ${process.version}\n`,
  );
  console.log(validationTable(rows));
  for (const row of rows) {
    for (const e of row.score?.missed ?? [])
      console.log(`missed by ${row.method} (${row.size}, ${row.driver}): ${e.kind} ${e.grids.join(' / ')}`);
    for (const e of (row.score?.extras ?? []).slice(0, 5)) {
      console.log(
        `extra from ${row.method} (${row.size}, ${row.driver}): ${e.kind} [${e.grids.join(', ')}] ${e.areaM2?.toFixed(2)} m²`,
      );
    }
  }
}
