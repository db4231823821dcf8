/**
 * OGC paging and streaming export (issue 20), server driver, the 100,000-grid generated city:
 *   - `ogr2ogr` with GDAL's default page size (10) copying every grid from /ogc into GeoJSON;
 *   - one items page (limit 10) at the first and at the last position: by the keyset cursor
 *     the `next` links carry, by `offset` (still served for old links), both over HTTP, and
 *     the naive OFFSET SQL the route ran before (page + count(*)) straight on PostgreSQL;
 *   - a whole-layer export (GeoJSON and CSV) streamed to nowhere: time, bytes, and the
 *     server's resident memory before and at its peak during the download.
 * The real server runs in a child process (bench/public-locate.ts startServer).
 *
 *   BENCH_OGC_URL=postgres://postgres@localhost/wangge_ogc_bench [BENCH_OGC_RUNS=21] npx tsx bench/ogc-paging.ts
 *
 * The city: `npx tsx data/write-city.ts --grids 100000 --out /tmp/city` then
 * `DATABASE_URL=… npx tsx data/load-city.ts /tmp/city` (its users' password is "demo").
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { findCollection } from '../server/ogc/ogc.collections.ts';
import { listItems } from '../server/ogc/ogc.queries.ts';
import { encodeCursor } from '../server/ogc/ogc.cursor.ts';
import { rssMB, startServer } from './public-locate.ts';
import { exportFeatures } from '../server/interop/export.queries.ts';
import { writeGeoJson } from '../server/interop/formats/write-geojson.ts';
import { upperMedian as median } from './stats.ts';

const run = promisify(execFile);

export interface OgcBenchOptions {
  databaseUrl: string;
  runs: number;
  log: (line: string) => void;
}

export interface OgcBenchResult {
  grids: number;
  ogr2ogrS: number;
  ogr2ogrFeatures: number;
  /** Page times (median ms, limit 10) at the first and the last position. */
  pages: { approach: string; firstMs: number; lastMs: number }[];
  exports: { format: string; seconds: number; megabytes: number; rssBeforeMB: number; rssPeakMB: number }[];
}

/**
 * The export route before issue 20, in this process: every feature read into memory, then the
 * whole file built (exportFeatures + writeGeoJson); this process's RSS before and at its peak.
 */
async function bufferedExport(db: Parameters<typeof exportFeatures>[0]): Promise<OgcBenchResult['exports'][number]> {
  const rssBeforeMB = rssMB(process.pid);
  let rssPeakMB = rssBeforeMB;
  const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, rssMB(process.pid))), 50);
  const t = performance.now();
  const features = await exportFeatures(db, 'grids', undefined);
  rssPeakMB = Math.max(rssPeakMB, rssMB(process.pid));
  const body = writeGeoJson(features, { name: 'grids-all' });
  rssPeakMB = Math.max(rssPeakMB, rssMB(process.pid));
  const seconds = Math.round((performance.now() - t) / 100) / 10;
  clearInterval(sampler);
  return {
    format: 'geojson, whole file in memory (the route before; in the bench process)',
    seconds,
    megabytes: Math.round(body.byteLength / 1e5) / 10,
    rssBeforeMB,
    rssPeakMB,
  };
}

export function ogcOptionsFromEnv(url?: string): OgcBenchOptions {
  return {
    databaseUrl: process.env.BENCH_OGC_URL ?? url ?? 'postgres://postgres@localhost/wangge_ogc_bench',
    runs: Number(process.env.BENCH_OGC_RUNS ?? 21),
    log: (l) => console.error(l),
  };
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return Math.round(median(samples) * 100) / 100;
}

async function getOk(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res;
}

export async function benchOgcPaging(o: OgcBenchOptions): Promise<OgcBenchResult | { skipped: string }> {
  const database = await openDatabase({ driver: 'server', connectionString: o.databaseUrl, max: 4 });
  const db = database.db;
  try {
    const grids = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM grids`.execute(db)).rows[0]!.n);
    if (grids < 10_000) return { skipped: `${grids} grids in ${o.databaseUrl}; load the 100,000-grid city first` };
    const lastKey = (
      await sql<{ code: string }>`SELECT code FROM grids ORDER BY code OFFSET ${grids - 11} LIMIT 1`.execute(db)
    ).rows[0]!.code;

    // First, while this process is still small: the buffered export it is compared with.
    const buffered = await bufferedExport(db);
    const server = await startServer(o.databaseUrl, false, o.log);
    try {
      const items = `${server.url}/ogc/collections/grids/items`;
      const pages: OgcBenchResult['pages'] = [];
      const last = encodeCursor({ direction: 'after', key: lastKey });
      // The last keyset page really is the last: 10 grids and no next link.
      const tail = (await (await getOk(`${items}?limit=10&cursor=${last}`)).json()) as { features: unknown[] };
      if (tail.features.length !== 10) throw new Error(`the last page has ${tail.features.length} grids`);
      pages.push({
        approach: 'HTTP, keyset cursor (the next links)',
        firstMs: await medianMs(o.runs, () => getOk(`${items}?limit=10`).then((r) => r.arrayBuffer())),
        lastMs: await medianMs(o.runs, () => getOk(`${items}?limit=10&cursor=${last}`).then((r) => r.arrayBuffer())),
      });
      pages.push({
        approach: 'HTTP, offset (old links, still served)',
        firstMs: await medianMs(o.runs, () => getOk(`${items}?limit=10&offset=0`).then((r) => r.arrayBuffer())),
        lastMs: await medianMs(o.runs, () =>
          getOk(`${items}?limit=10&offset=${grids - 10}`).then((r) => r.arrayBuffer()),
        ),
      });
      // The route before issue 20: the page by OFFSET and a count(*) of the layer, on every page.
      const c = findCollection('grids')!;
      const naive = (offset: number) =>
        Promise.all([
          listItems(db, c, { limit: 10, offset, filters: [] }, { signedIn: false }),
          sql`SELECT count(*)::int AS n FROM grids t`.execute(db),
        ]);
      pages.push({
        approach: 'SQL, naive OFFSET page + count(*) (the route before)',
        firstMs: await medianMs(o.runs, () => naive(0)),
        lastMs: await medianMs(o.runs, () => naive(grids - 10)),
      });
      pages.push({
        approach: 'SQL, keyset page alone',
        firstMs: await medianMs(o.runs, () =>
          listItems(db, c, { limit: 10, offset: 0, filters: [] }, { signedIn: false }),
        ),
        lastMs: await medianMs(o.runs, () =>
          listItems(
            db,
            c,
            { limit: 10, offset: 0, filters: [], cursor: { direction: 'after', key: lastKey } },
            { signedIn: false },
          ),
        ),
      });
      o.log(`  [ogc] pages: ${JSON.stringify(pages)}`);

      const dir = mkdtempSync(join(tmpdir(), 'wangge-ogc-'));
      let ogr2ogrS: number;
      let ogr2ogrFeatures: number;
      try {
        const out = join(dir, 'grids.geojson');
        o.log(`  [ogc] ogr2ogr of ${grids} grids, default page size …`);
        const t = performance.now();
        await run('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${server.url}/ogc`, 'grids'], {
          maxBuffer: 1 << 24,
          timeout: 1_800_000,
        });
        ogr2ogrS = Math.round((performance.now() - t) / 100) / 10;
        ogr2ogrFeatures = (JSON.parse(readFileSync(out, 'utf8')) as { features: unknown[] }).features.length;
        o.log(`  [ogc] ogr2ogr: ${ogr2ogrS} s, ${ogr2ogrFeatures} features`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: process.env.DEMO_PASSWORD ?? 'demo' }),
      });
      const cookie = login.headers.get('set-cookie')?.split(';')[0];
      const exports: OgcBenchResult['exports'] = [];
      if (!login.ok || !cookie) {
        o.log(`  [ogc] export skipped: admin could not sign in (${login.status})`);
      } else {
        for (const format of ['geojson', 'csv']) {
          const pid = server.child.pid!;
          const rssBeforeMB = rssMB(pid);
          let rssPeakMB = rssBeforeMB;
          const sampler = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, rssMB(pid))), 50);
          const t = performance.now();
          const res = await getOk(`${server.url}/api/export?layer=grids&format=${format}`, { headers: { cookie } });
          let bytes = 0;
          const reader = res.body!.getReader();
          for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
          const seconds = Math.round((performance.now() - t) / 100) / 10;
          clearInterval(sampler);
          exports.push({
            format: `${format}, streamed (server)`,
            seconds,
            megabytes: Math.round(bytes / 1e5) / 10,
            rssBeforeMB,
            rssPeakMB,
          });
        }
      }
      exports.push(buffered);
      return { grids, ogr2ogrS, ogr2ogrFeatures, pages, exports };
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
  }
}

export function ogcTable(r: OgcBenchResult | { skipped: string }): string {
  if ('skipped' in r) return `OGC paging and streaming export: skipped (${r.skipped})`;
  const lines = [
    `OGC paging and streaming export · server driver · ${r.grids} grids (medians)`,
    '',
    `ogr2ogr -f GeoJSON of all grids from /ogc, GDAL's default page size (10): ${r.ogr2ogrS} s, ${r.ogr2ogrFeatures} features`,
    '',
    '| one page of 10 grids | first page (ms) | last page (ms) | last ÷ first |',
    '|---|---:|---:|---:|',
    ...r.pages.map(
      (p) => `| ${p.approach} | ${p.firstMs} | ${p.lastMs} | ${(p.lastMs / Math.max(p.firstMs, 0.01)).toFixed(1)}× |`,
    ),
    '',
    '| whole-layer export of the grids | s | MB | RSS before (MB) | peak during (MB) |',
    '|---|---:|---:|---:|---:|',
    ...r.exports.map((e) => `| ${e.format} | ${e.seconds} | ${e.megabytes} | ${e.rssBeforeMB} | ${e.rssPeakMB} |`),
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ogcTable(await benchOgcPaging(ogcOptionsFromEnv())));
}
