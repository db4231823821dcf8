/**
 * First start (issue 17): `npm start` on a fresh clone of this repository's HEAD (node_modules
 * linked, no dist/, no var/), timed to /api/health and to a drawn map (Chromium loads the page and
 * waits until the map is idle with its grid layer rendered), in three situations:
 * - first start, no template: the database template is not there yet (install scripts skipped),
 *   so this start creates PostGIS and saves the template;
 * - first start after `npm install`: the template exists (postinstall, or an earlier start);
 * - later start: the same clone again, client built and database there.
 * The browser is launched before the clock starts (a user's browser is already open).
 * `tsx bench/first-start.ts` runs it alone; `npm run bench` runs it unless BENCH_FIRST_START=0.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export interface FirstStartOptions {
  runs: number;
  /** The repository to clone (its committed HEAD). */
  repo: string;
  port: number;
  log: (line: string) => void;
}

export interface FirstStartRow {
  situation: string;
  healthS: number[];
  mapS: number[];
  /** CPU seconds of the started process tree (npm, tsx, node, vite) up to the drawn map: robust to a noisy machine. */
  cpuS: number[];
}

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function firstStartOptionsFromEnv(): FirstStartOptions {
  return {
    runs: Number(process.env.BENCH_FIRST_START_RUNS ?? 3),
    repo: process.cwd(),
    port: Number(process.env.BENCH_FIRST_START_PORT ?? 8199),
    log: (line) => console.error(line),
  };
}

export async function benchFirstStart(options: FirstStartOptions): Promise<FirstStartRow[]> {
  const rows: FirstStartRow[] = [
    { situation: 'first start, no template (creates PostGIS, saves the template)', healthS: [], mapS: [], cpuS: [] },
    { situation: 'first start after npm install (template there)', healthS: [], mapS: [], cpuS: [] },
    { situation: 'later start (client built, database there)', healthS: [], mapS: [], cpuS: [] },
  ];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (let run = 1; run <= options.runs; run++) {
      const clone = mkdtempSync(join(tmpdir(), 'fs-'));
      const cache = mkdtempSync(join(tmpdir(), 'fs-cache-'));
      try {
        execFileSync('git', ['clone', '-q', options.repo, clone]);
        symlinkSync(realpathSync(join(options.repo, 'node_modules')), join(clone, 'node_modules'));
        for (const [i, row] of rows.entries()) {
          // The second situation is a fresh clone again, with the template the first one saved.
          if (i === 1) for (const dir of ['dist', 'var']) rmSync(join(clone, dir), { recursive: true, force: true });
          const timing = await timeStart(browser, clone, cache, options.port);
          row.healthS.push(timing.healthS);
          row.mapS.push(timing.mapS);
          row.cpuS.push(timing.cpuS);
          options.log(
            `[first-start] run ${run}, ${row.situation}: health ${timing.healthS.toFixed(1)} s, map ${timing.mapS.toFixed(1)} s, ` +
              `CPU ${timing.cpuS.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`,
          );
        }
      } finally {
        rmSync(clone, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}

async function timeStart(
  browser: Browser,
  clone: string,
  cacheDir: string,
  port: number,
): Promise<{ healthS: number; mapS: number; cpuS: number }> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: clone,
    env: { ...process.env, PORT: String(port), WANGGE_CACHE_DIR: cacheDir, DATA_DIR: join(clone, 'var') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: npm, tsx and node stop together
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    while (!(await healthy(url))) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output.slice(-3000)}`);
      if (performance.now() - started > 300_000) throw new Error(`no health after 300 s:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const healthS = (performance.now() - started) / 1000;
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    try {
      await page.goto(url);
      await page.waitForSelector('body[data-map-ready="1"]', { timeout: 120_000 });
      await page.waitForFunction(
        () => {
          const map = window.__wangge?.map as { queryRenderedFeatures(g: undefined, o: object): unknown[] } | undefined;
          return (map?.queryRenderedFeatures(undefined, { layers: ['grid-fill'] }).length ?? 0) > 0;
        },
        undefined,
        { timeout: 60_000 },
      );
    } finally {
      await page.close();
    }
    return { healthS, mapS: (performance.now() - started) / 1000, cpuS: groupCpuSeconds(child.pid!) };
  } finally {
    await stop(child, exited);
    await released(join(clone, 'var'));
  }
}

/**
 * npm exits before the server has closed its database: wait for the data directory's lock to go
 * (up to 90 s: after a SIGKILL it goes stale in 30 s, and a loaded machine is slow to shut down).
 */
async function released(dataDir: string): Promise<void> {
  for (let i = 0; i < 900 && existsSync(`${dataDir}.lock`); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * CPU time (user + system) of the live processes in a process group, and of their waited-for
 * children (a finished vite build), from /proc (Linux; 0 elsewhere).
 */
function groupCpuSeconds(group: number): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // Fields after the command (which may hold spaces): state ppid pgrp … utime(14) stime(15) cutime(16) cstime(17)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    }
  } catch {
    return 0;
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`)).ok;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function firstStartTable(rows: FirstStartRow[]): string {
  const lines = [
    '| situation | to /api/health (s) | to a drawn map (s) | CPU to the map (s) | runs (map, s) |',
    '|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.situation} | ${median(r.healthS).toFixed(1)} | ${median(r.mapS).toFixed(1)} | ${median(r.cpuS).toFixed(1)} | ` +
        `${r.mapS.map((s) => s.toFixed(1)).join(', ')} |`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const options = firstStartOptionsFromEnv();
  console.log(`\nFirst start · fresh clone of ${options.repo} · ${options.runs} runs (medians)\n`);
  console.log(firstStartTable(await benchFirstStart(options)));
}
