/**
 * `npm run restore -- FILE`: restore a backup made by `npm run backup` into the configured
 * database, replacing what is there (DATABASE_URL: pg_restore --clean in one transaction;
 * else DATA_DIR, which no server may be using). Exit status: 0 done, 2 refused, 1 failed.
 */
import { existsSync } from 'node:fs';
import { readConfig } from '../config.ts';
import { failWithUsage } from '../cli-usage.ts';
import { BackupRefused, restoreEmbedded, restoreServer } from './backup.ts';

const fail = failWithUsage('usage: npm run restore -- FILE   (a file written by npm run backup, for the same driver)');
const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length > 0) fail(file ? `unexpected argument ${rest[0]}` : 'give the backup file to restore');
if (!existsSync(file!)) fail(`no file ${file}`);
const config = readConfig();
const log = (message: string) => console.error(`[restore] ${message}`);
try {
  if (config.databaseUrl) await restoreServer(config.databaseUrl, file!, log);
  else await restoreEmbedded(config.dataDir, file!, log);
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof BackupRefused ? 2 : 1);
}
