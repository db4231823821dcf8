/** Start-up shared by `npm start`, `npm run migrate` and the tests: open, migrate, seed. */
import { readConfig, type Config } from './config.ts';
import { HttpError } from './http/errors.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Log = (message: string) => void;

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

export async function prepareDatabase(database: Database, config: Config, log: Log): Promise<{ demoLoaded: boolean }> {
  const started = Date.now();
  const applied = await migrate(database.db);
  if (applied.length) log(`Applied migrations ${applied.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let demoLoaded = false;
  if (config.loadDemo) {
    const { loadDemoIfEmpty } = await import('../data/load.ts');
    demoLoaded = await loadDemoIfEmpty(database.db, { demoPassword: config.demoPassword, onProgress: log });
  }
  return { demoLoaded };
}

/**
 * The frame of every command-line tool (`npm run validate`, `report`, `roads:load`): open and
 * prepare the configured database, run `work`, close it, exit with the status it returns. A
 * refused request (an HttpError under 500, e.g. an unknown region) prints its message and
 * exits 2; anything else is a crash and keeps its stack trace.
 */
export async function runCli(name: string, work: (database: Database, log: Log) => Promise<number>): Promise<never> {
  const config = readConfig();
  const log: Log = (message) => console.error(`[${name}] ${message}`);
  const database = await openConfiguredDatabase(config, log);
  let status = 0;
  try {
    await prepareDatabase(database, config, log);
    status = await work(database, log);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status >= 500) throw error;
    console.error(error.message);
    status = 2;
  } finally {
    await database.close();
  }
  process.exit(status);
}
