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
import { readTemplate, saveTemplate, templateFile } from './db/template.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type Log = (message: string) => void;

/** Loads the demo district into an empty database; true if it did (data/load.ts: loadDemoIfEmpty). */
export type LoadDemo = (db: Kysely<DB>, options: { demoPassword: string; onProgress?: Log }) => Promise<boolean>;

/** An opened database; `templateToSave` is set when a new data directory was made without a template. */
export interface OpenedDatabase extends Database {
  templateToSave?: string;
}

/**
 * Opens the configured database. A new embedded data directory is restored from the migrated
 * template (server/db/template.ts) when there is one, and otherwise created from scratch, after
 * which prepareDatabase saves the template for the next new directory.
 */
export async function openConfiguredDatabase(config: Config, log: Log): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    log(`正在连接数据库… / connecting to PostgreSQL (DATABASE_URL) …`);
    if (config.databaseReadUrl) log('public reads from the replica at DATABASE_READ_URL (the primary when it is down)');
    return openDatabase({
      driver: 'server',
      connectionString: config.databaseUrl,
      readConnectionString: config.databaseReadUrl,
    });
  }
  if (config.databaseReadUrl) log('DATABASE_READ_URL ignored: the embedded database has no replica');
  const { dataDir } = config;
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`正在打开数据库… / opening the embedded PostGIS database in ${dataDir} …`);
    return openDatabase({ driver: 'embedded', dataDir });
  }
  const file = templateFile();
  const template = readTemplate(file);
  if (!template) {
    log(
      `正在准备数据库（首次启动，创建 PostGIS，约 20–40 秒）… / ` +
        `creating the embedded PostGIS database in ${dataDir} (first start, about 20–40 s) …`,
    );
    return { ...(await openDatabase({ driver: 'embedded', dataDir })), templateToSave: file };
  }
  log(
    `正在准备数据库（首次启动，从模板恢复）… / preparing the database in ${dataDir} (first start, from the template) …`,
  );
  try {
    return await openDatabase({ driver: 'embedded', dataDir, loadDataDir: template });
  } catch (error) {
    throw new Error(
      `could not restore the database template ${file} into ${dataDir} (${(error as Error).message}); ` +
        'delete both and start again',
      { cause: error },
    );
  }
}

/** Migrates, then loads the demo into an empty database unless WANGGE_LOAD_DEMO=0. */
export async function prepareDatabase(
  database: OpenedDatabase,
  config: Config,
  log: Log,
  loadDemo: LoadDemo,
): Promise<{ demoLoaded: boolean }> {
  const started = Date.now();
  const applied = await migrate(database.db);
  if (applied.length)
    log(
      `已更新数据库结构 / applied migrations ${applied.join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  if (database.templateToSave) {
    // Before the demo is loaded: the template is the schema only.
    await saveTemplate(database, database.templateToSave).then(
      () => log(`已保存数据库模板，下次新建数据库只需几秒 / saved the database template: ${database.templateToSave}`),
      (error: Error) => log(`could not save the database template (${error.message}); starting anyway`),
    );
  }
  let demoLoaded = false;
  if (config.loadDemo) demoLoaded = await loadDemo(database.db, { demoPassword: config.demoPassword, onProgress: log });
  return { demoLoaded };
}
