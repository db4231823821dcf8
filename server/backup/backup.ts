/**
 * Backups of either driver, as files an operator can keep anywhere.
 *
 * - embedded: PGlite's own `dumpDataDir` tarball (gzip) of the whole data directory. Taken
 *   and restored only while no server holds the directory (its lock, server/db/embedded.ts):
 *   PGlite is one process, and copying files under a running one would not be consistent.
 * - server: `pg_dump --format=custom` of the configured schema (the search_path in
 *   DATABASE_URL's options) or of the whole database, and `pg_restore --clean --if-exists`
 *   in one transaction, so a failed restore leaves the database as it was.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { countGrids } from '../grids/grids.queries.ts';
import { openDatabase } from '../db/database.ts';
import { openEmbedded } from '../db/embedded.ts';

const run = promisify(execFile);

/** A refusal the operator can act on (exit status 2), as opposed to a crash. */
export class BackupRefused extends Error {}

export type Log = (message: string) => void;

/** The schema named by `options=-c search_path=…` in a connection string, if any. */
export function schemaOf(connectionString: string): string | undefined {
  const options = new URL(connectionString).searchParams.get('options') ?? '';
  const path = /search_path=([^\s,]+)/.exec(options)?.[1];
  return path && path !== 'public' ? path : undefined;
}

/** The same connection string for libpq, which reads '+' in a query as '+', not a space. */
export function libpqUrl(connectionString: string): string {
  const url = new URL(connectionString);
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  url.search = '';
  return query ? `${url.toString()}?${query}` : url.toString();
}

async function refuseIfInUse(dataDir: string, what: string): Promise<void> {
  if (existsSync(dataDir) && (await lockfile.check(dataDir, { stale: 30_000, realpath: false }))) {
    throw new BackupRefused(
      `${what}: the data directory ${dataDir} is in use by a running Wangge server. ` +
        'The embedded database allows one process only: stop the server, then run this again.',
    );
  }
}

export async function backupEmbedded(dataDir: string, file: string, log: Log): Promise<void> {
  await refuseIfInUse(dataDir, 'backup');
  if (!existsSync(dataDir)) throw new BackupRefused(`backup: there is no data directory at ${dataDir} (set DATA_DIR)`);
  const embedded = await openEmbedded({ dataDir });
  try {
    const blob = (await embedded.pg.dumpDataDir('gzip')) as Blob;
    writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  } finally {
    await embedded.close();
  }
  log(`backed up ${dataDir} to ${file}`);
}

/** Replaces the data directory with the backup's; the old one is kept until the new one opens. */
export async function restoreEmbedded(dataDir: string, file: string, log: Log): Promise<{ grids: number }> {
  await refuseIfInUse(dataDir, 'restore');
  const blob = new Blob([readFileSync(file)]);
  const aside = `${dataDir}.before-restore-${Date.now()}`;
  if (existsSync(dataDir)) renameSync(dataDir, aside);
  try {
    const database = await openDatabase({ driver: 'embedded', dataDir, loadDataDir: blob });
    try {
      const grids = await countGrids(database.db);
      log(`restored ${file} into ${dataDir}: ${grids} grids`);
      return { grids };
    } finally {
      await database.close();
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    if (existsSync(aside)) renameSync(aside, dataDir);
    throw error;
  } finally {
    if (existsSync(aside)) rmSync(aside, { recursive: true, force: true });
  }
}

export async function backupServer(connectionString: string, file: string, log: Log): Promise<void> {
  const schema = schemaOf(connectionString);
  const args = [
    '--format=custom',
    '--no-owner',
    `--file=${file}`,
    ...(schema ? [`--schema=${schema}`] : []),
    libpqUrl(connectionString),
  ];
  await run('pg_dump', args, { maxBuffer: 16 * 1024 * 1024 });
  log(`backed up ${schema ? `schema ${schema}` : 'the database'} to ${file}`);
}

export async function restoreServer(connectionString: string, file: string, log: Log): Promise<void> {
  if (!existsSync(file)) throw new BackupRefused(`restore: no file ${file}`);
  await run(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${libpqUrl(connectionString)}`,
      file,
    ],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  log(`restored ${file}${schemaOf(connectionString) ? ` into schema ${schemaOf(connectionString)}` : ''}`);
}
