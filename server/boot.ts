/**
 * Start-up shared by `npm start`, the command-line tools and the tests: open, migrate, seed. The
 * demo loader (data/load.ts) is passed in by the composition roots, server/main.ts and
 * server/cli.ts: nothing else in server/ imports data/.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import type { DB } from './db/schema.ts';
import { migrate } from './db/migrate.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Log = (message: string) => void;

/** Loads the demo district into an empty database; true if it did (data/load.ts: loadDemoIfEmpty). */
export type LoadDemo = (db: Kysely<DB>, options: { demoPassword: string; onProgress?: Log }) => Promise<boolean>;

export async function openConfiguredDatabase(config: Config, log: Log): Promise<Database> {
  if (config.databaseUrl) {
    log(`Connecting to PostgreSQL (DATABASE_URL) …`);
    return openDatabase({ driver: 'server', connectionString: config.databaseUrl });
  }
  const fresh = !existsSync(join(config.dataDir, 'PG_VERSION'));
  log(
    fresh
      ? `Creating the embedded PostGIS database in ${config.dataDir} (first start, about 10–20 s) …`
      : `Opening the embedded PostGIS database in ${config.dataDir} …`,
  );
  return openDatabase({ driver: 'embedded', dataDir: config.dataDir });
}

/** Migrates, then loads the demo into an empty database unless WANGGE_LOAD_DEMO=0. */
export async function prepareDatabase(
  database: Database,
  config: Config,
  log: Log,
  loadDemo: LoadDemo,
): Promise<{ demoLoaded: boolean }> {
  const started = Date.now();
  const applied = await migrate(database.db);
  if (applied.length) log(`Applied migrations ${applied.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let demoLoaded = false;
  if (config.loadDemo) demoLoaded = await loadDemo(database.db, { demoPassword: config.demoPassword, onProgress: log });
  return { demoLoaded };
}
