/**
 * The migrated template of the embedded database: PostGIS created and every migration applied,
 * dumped once (by `npm install`'s postinstall, or by the first start that had none) and restored
 * into each new data directory. CREATE EXTENSION postgis alone is ~11 s of WASM on a quiet 2-core
 * box (26 s of CPU with the boot, against 12 s for a boot from the template).
 *
 * Kept in node_modules/.cache/wangge/ (or WANGGE_CACHE_DIR), named by a hash of the migrations and
 * the pinned PGlite and PostGIS versions: a new migration or an upgrade makes a new template, an
 * old one is never restored. The template holds the schema only, no demo data and no users, so it
 * cannot go stale when data/demo changes. schema_migrations.applied_at is the template's build time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from './database.ts';
import { migrate, readMigrations, type Migration } from './migrate.ts';

const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
const DEFAULT_CACHE = fileURLToPath(new URL('../../node_modules/.cache/wangge/', import.meta.url));
/** Bumped when what goes into a template changes without a migration (e.g. a different dump format). */
const FORMAT = 1;

export function templateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.WANGGE_CACHE_DIR || DEFAULT_CACHE;
}

/** The template's name: the migrations' text and the embedded engine's versions (exact pins). */
export function templateKey(migrations: readonly Migration[] = readMigrations()): string {
  const { dependencies = {} } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-postgis'])
    hash.update(`${name}@${dependencies[name] ?? '?'}\n`);
  for (const m of migrations) hash.update(`${m.version}\0${m.sql}\0`);
  return hash.digest('hex').slice(0, 16);
}

export function templateFile(cacheDir = templateCacheDir(), key = templateKey()): string {
  return join(cacheDir, `embedded-${key}.tar`);
}

/** The template as PGlite's loadDataDir takes it, or undefined when there is none yet. */
export function readTemplate(file = templateFile()): Blob | undefined {
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Dump a freshly migrated database as the template (atomically: a reader never sees half a file). */
export async function saveTemplate(database: Database, file = templateFile()): Promise<void> {
  if (!database.dumpDataDir) throw new Error('only the embedded database makes a template');
  const blob = await database.dumpDataDir();
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Make the template unless it exists; returns its path. In memory: nothing else is written. */
export async function ensureTemplate(
  file = templateFile(),
  log: (message: string) => void = () => {},
): Promise<string> {
  if (existsSync(file)) return file;
  const started = Date.now();
  log('正在准备数据库模板（PostGIS 与迁移，只需一次）… / making the database template (PostGIS + migrations, once) …');
  const database = await openDatabase({ driver: 'embedded' });
  try {
    await migrate(database.db);
    await saveTemplate(database, file);
  } finally {
    await database.close();
  }
  log(`数据库模板已就绪 / database template ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${file}`);
  return file;
}
