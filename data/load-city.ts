/**
 * Load a generated city (data/city/, from `npm run demo:city`) into a migrated database,
 * one district per transaction; demo users come with the first district only. No cases unless
 * CITY_CASES=1 (a generated year per district, data/generator/cases.ts).
 *
 *   DATABASE_URL=postgres://… [DATABASE_SCHEMA=bench] [CITY_CASES=1] npx tsx data/load-city.ts [data/city]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import type { Dataset } from './generator/types.ts';
import { loadDataset, type LoadOptions } from './load.ts';

interface CityIndex {
  grids: number;
  districts: { code: string; file: string; grids: number }[];
}

export async function loadCityDirectory(db: Kysely<DB>, dir: string, options: LoadOptions): Promise<number> {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as CityIndex;
  const progress = options.onProgress ?? (() => {});
  const started = Date.now();
  let grids = 0;
  for (const [k, district] of index.districts.entries()) {
    const dataset = JSON.parse(readFileSync(join(dir, district.file), 'utf8')) as Dataset;
    await loadDataset(db, dataset, {
      ...options,
      onProgress: undefined,
      createUsers: k === 0 && (options.createUsers ?? true),
    });
    grids += dataset.grids.length;
    if ((k + 1) % 10 === 0 || k + 1 === index.districts.length) {
      progress(
        `[city] ${k + 1}/${index.districts.length} districts, ${grids} grids, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
  return grids;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDatabase } = await import('../server/db/database.ts');
  const { migrate } = await import('../server/db/migrate.ts');
  const url = process.env.DATABASE_URL;
  const database = url
    ? await openDatabase({ driver: 'server', connectionString: url, schema: process.env.DATABASE_SCHEMA })
    : await openDatabase({ driver: 'embedded', dataDir: 'var/city-db' });
  await migrate(database.db);
  const dir = process.argv[2] ?? 'data/city';
  await loadCityDirectory(database.db, dir, {
    demoPassword: process.env.DEMO_PASSWORD ?? 'demo',
    cases: process.env.CITY_CASES === '1',
    onProgress: console.log,
  });
  // Planner statistics now: without them (autovacuum may be off) every later query seq-scans
  // or is JIT-compiled for estimates a thousand times too high.
  const { sql } = await import('kysely');
  await sql`ANALYZE`.execute(database.db);
  await database.close();
}
