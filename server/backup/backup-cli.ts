/**
 * `npm run backup -- FILE`: back up the configured database (DATABASE_URL: pg_dump of its
 * schema or database; else the embedded data directory DATA_DIR, which no server may be
 * using). Exit status: 0 done, 2 refused (bad arguments, data directory in use), 1 failed.
 */
import { readConfig } from '../config.ts';
import { failWithUsage } from '../cli-usage.ts';
import { BackupRefused, backupEmbedded, backupServer } from './backup.ts';

const fail = failWithUsage(
  'usage: npm run backup -- FILE   (DATABASE_URL: pg_dump custom format; else DATA_DIR: a .tar.gz of the embedded database)',
);
const [file, ...rest] = process.argv.slice(2);
if (!file || rest.length > 0) fail(file ? `unexpected argument ${rest[0]}` : 'give the file to write');
const config = readConfig();
const log = (message: string) => console.error(`[backup] ${message}`);
try {
  if (config.databaseUrl) await backupServer(config.databaseUrl, file!, log);
  else await backupEmbedded(config.dataDir, file!, log);
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof BackupRefused ? 2 : 1);
}
