/**
 * The validation bench's datasets: a generated city of N grids (data/city-N, written by
 * data/write-city.ts), its known answers (each district's meta.deliberateErrors), the same
 * grids and communities as GeoJSON for mapshaper, and the city loaded into either driver
 * (server: one schema per size; embedded: a data directory var/bench-N), reused when it is
 * already there with the right grid count.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Feature, MultiPolygon } from 'geojson';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import type { DB } from '../../server/db/schema.ts';
import { loadCityDirectory } from '../../data/load-city.ts';
import type { Dataset, DeliberateError } from '../../data/generator/types.ts';

const DEFAULT_SEED = 20260; // data/write-city.ts's default

interface CityIndex {
  seed: number;
  grids: number;
  districts: { code: string; file: string; grids: number }[];
}

export interface City {
  grids: number;
  dir: string;
  districts: number;
  /** The injected gaps and overlaps: the answers every method must find. */
  expected: DeliberateError[];
  /** grids.json (code, community_code) and communities.json (code) for mapshaper. */
  geojsonDir: string;
}

function readIndex(dir: string): CityIndex | undefined {
  const file = join(dir, 'index.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CityIndex) : undefined;
}

/** data/city when it already holds this size (npm run demo:city), else data/city-N. */
function cityDir(grids: number): string {
  const demo = readIndex('data/city');
  if (demo && demo.grids === grids && demo.seed === DEFAULT_SEED) return 'data/city';
  return `data/city-${grids}`;
}

export function ensureCity(grids: number, log: (m: string) => void): City {
  const dir = cityDir(grids);
  let index = readIndex(dir);
  if (!index || index.grids !== grids || index.seed !== DEFAULT_SEED) {
    log(`writing a ${grids}-grid city to ${dir}`);
    execFileSync('npx', ['tsx', 'data/write-city.ts', '--grids', String(grids), '--out', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    index = readIndex(dir)!;
  }
  const geojsonDir = `var/bench-geojson-${grids}`;
  const expectedFile = join(geojsonDir, 'expected.json');
  if (!existsSync(expectedFile)) {
    log(`exporting ${dir} to GeoJSON in ${geojsonDir}`);
    mkdirSync(geojsonDir, { recursive: true });
    const gridFeatures: Feature<MultiPolygon, { code: string; community_code: string }>[] = [];
    const communityFeatures: Feature<MultiPolygon, { code: string }>[] = [];
    const expected: DeliberateError[] = [];
    for (const district of index.districts) {
      const dataset = JSON.parse(readFileSync(join(dir, district.file), 'utf8')) as Dataset;
      expected.push(...dataset.meta.deliberateErrors);
      for (const g of dataset.grids) {
        gridFeatures.push({
          type: 'Feature',
          properties: { code: g.code, community_code: g.community_code },
          geometry: g.geom,
        });
      }
      for (const r of dataset.regions) {
        if (r.level === 'community')
          communityFeatures.push({ type: 'Feature', properties: { code: r.code }, geometry: r.geom });
      }
    }
    writeFileSync(
      join(geojsonDir, 'grids.json'),
      JSON.stringify({ type: 'FeatureCollection', features: gridFeatures }),
    );
    writeFileSync(
      join(geojsonDir, 'communities.json'),
      JSON.stringify({ type: 'FeatureCollection', features: communityFeatures }),
    );
    // Written last: its presence says the export is complete.
    writeFileSync(expectedFile, JSON.stringify(expected));
  }
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as DeliberateError[];
  return { grids, dir, districts: index.districts.length, expected, geojsonDir };
}

/** True when the database already holds exactly this city (grid count and the injected grids). */
async function holdsCity(db: Kysely<DB>, city: City): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grids`.execute(db);
  if (rows[0]?.n !== city.grids) return false;
  const codes = [...new Set(city.expected.flatMap((e) => e.grids))];
  const found = await db
    .selectFrom('grids')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('code', 'in', codes)
    .executeTakeFirst();
  return found?.n === codes.length;
}

export interface Loaded {
  /** Milliseconds spent migrating and loading now; null when the data was already there. */
  loadMs: number | null;
}

export interface ServerTarget extends Loaded {
  url: string;
  schema: string;
}

/**
 * The city in a schema of the server database: bench_city_N, or public when it already
 * holds this city (data/load-city.ts's default target). Loaded when neither does.
 */
export async function ensureServer(url: string, city: City, log: (m: string) => void): Promise<ServerTarget> {
  const admin = await openDatabase({ driver: 'server', connectionString: url, max: 1 });
  try {
    for (const schema of [`bench_city_${city.grids}`, 'public']) {
      const { rows } = await sql<{ t: string | null }>`SELECT to_regclass(${`${schema}.grids`})::text AS t`.execute(
        admin.db,
      );
      if (!rows[0]?.t) continue;
      const database = await openDatabase({ driver: 'server', connectionString: url, schema, max: 1 });
      try {
        if (await holdsCity(database.db, city)) {
          await migrate(database.db);
          return { url, schema, loadMs: null };
        }
      } finally {
        await database.close();
      }
    }
    const schema = `bench_city_${city.grids}`;
    log(`loading ${city.dir} into ${url} schema ${schema}`);
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin.db);
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
    const started = performance.now();
    const database = await openDatabase({ driver: 'server', connectionString: url, schema });
    try {
      await migrate(database.db);
      await loadCityDirectory(database.db, city.dir, { demoPassword: 'bench', onProgress: log });
      // As every import ends (data/load-city.ts): planner statistics for the first check.
      await sql`ANALYZE`.execute(database.db);
    } finally {
      await database.close();
    }
    return { url, schema, loadMs: performance.now() - started };
  } finally {
    await admin.close();
  }
}

export interface EmbeddedTarget extends Loaded {
  dataDir: string;
}

/** The city in the embedded data directory var/bench-N (created and loaded when needed). */
export async function ensureEmbedded(city: City, log: (m: string) => void): Promise<EmbeddedTarget> {
  const dataDir = `var/bench-${city.grids}`;
  const started = performance.now();
  let database: Database = await openDatabase({ driver: 'embedded', dataDir });
  try {
    await migrate(database.db);
    if (await holdsCity(database.db, city)) return { dataDir, loadMs: null };
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grids`.execute(database.db);
    if ((rows[0]?.n ?? 0) > 0) {
      log(`${dataDir} holds another dataset: recreating it`);
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
      database = await openDatabase({ driver: 'embedded', dataDir });
      await migrate(database.db);
    }
    log(`loading ${city.dir} into the embedded database ${dataDir}`);
    await loadCityDirectory(database.db, city.dir, { demoPassword: 'bench', onProgress: log });
    await sql`ANALYZE`.execute(database.db);
    return { dataDir, loadMs: performance.now() - started };
  } finally {
    await database.close();
  }
}
