/**
 * A private PostgreSQL primary and its streaming replica, started by the test on ports of this
 * helper's range (7300–7399), in temporary directories, with Debian's binaries. The shared test
 * cluster is never touched: pg_basebackup copies a whole cluster (the shared one held 146 MB
 * across 12 databases and grows with every suite's schemas), and it has no replication line in
 * its pg_hba.conf. initdb's own pg_hba.conf allows local replication, and PostGIS is installed
 * system-wide, so CREATE EXTENSION works in the private cluster.
 *
 * The replica is made by deploy/replica.sh (pg_basebackup -R), the same script the deployment
 * calls. Run as root (here and in CI), the PostgreSQL commands run as the postgres user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const PORTS = { first: 7300, last: 7399 };
const isRoot = process.getuid?.() === 0;

export interface PgInstance {
  port: number;
  dataDir: string;
  /** A URL for `database` on this instance. */
  url(database?: string): string;
  /** pg_ctl stop: `immediate` is a crash (no shutdown checkpoint), as a power cut would leave it. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** pg_ctl start, waiting until it takes connections. */
  start(): Promise<void>;
  /** The same, blocking (set-up and clean-up, where nothing else runs). */
  stopSync(mode?: 'fast' | 'immediate'): void;
  startSync(): void;
  /** One statement through a fresh connection; rows back. */
  query<R extends object = Record<string, unknown>>(text: string, database?: string): Promise<R[]>;
}

export interface ReplicaPair {
  primary: PgInstance;
  replica: PgInstance;
  /** Stops both (immediately) and removes their directories. */
  destroy(): void;
}

/** Why a replica test cannot run here, or undefined when it can. */
export function replicaSkipReason(): string | undefined {
  if (!process.env.TEST_DATABASE_URL) return 'server driver only: TEST_DATABASE_URL is not set';
  try {
    execFileSync(join(PG_BIN, 'pg_basebackup'), ['--version'], { stdio: 'pipe' });
  } catch {
    return `no ${PG_BIN}/pg_basebackup (Debian package postgresql-15)`;
  }
  return undefined;
}

const asPostgresArgs = (command: string, args: string[]): [string, string[]] =>
  isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
const asPostgres = (command: string, args: string[]): string =>
  execFileSync(...asPostgresArgs(command, args), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** Without blocking the event loop: a fault test's clients keep running meanwhile. */
const asPostgresAsync = async (command: string, args: string[]): Promise<void> => {
  await promisify(execFile)(...asPostgresArgs(command, args));
};

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
  });
}

/** A free port of this helper's range (several test files may run at once). */
async function freePort(after = PORTS.first): Promise<number> {
  const start = after + Math.floor(Math.random() * (PORTS.last - after));
  for (let i = 0; i <= PORTS.last - after; i++) {
    const port = after + ((start - after + i) % (PORTS.last - after + 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${PORTS.first}–${PORTS.last}`);
}

function instance(port: number, dataDir: string): PgInstance {
  const pgCtl = join(PG_BIN, 'pg_ctl');
  const stopArgs = (mode: string) => ['-D', dataDir, 'stop', '-m', mode, '-w', '-t', '30'];
  const startArgs = ['-D', dataDir, 'start', '-w', '-t', '60', '-l', join(dataDir, 'server.log')];
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    dataDir,
    url,
    stop: (mode = 'fast') => asPostgresAsync(pgCtl, stopArgs(mode)),
    start: () => asPostgresAsync(pgCtl, startArgs),
    stopSync: (mode = 'fast') => void asPostgres(pgCtl, stopArgs(mode)),
    startSync: () => void asPostgres(pgCtl, startArgs),
    async query<R extends object>(text: string, database?: string) {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return (await client.query<R>(text)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** A new private primary (initdb) on a free port, started, with `database` holding PostGIS. */
export async function startPrimary(database: string): Promise<PgInstance & { root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'wangge-pg-'));
  if (isRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' })));
    chownSync(root, uid!, gid!);
  }
  const dataDir = join(root, 'primary');
  const port = await freePort();
  asPostgres(join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const settings = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = '/tmp'",
    // A throwaway cluster: speed over durability.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    // No checkpoint on a timer or by WAL volume, so a replica's restartpoints (and with them where
    // it reopens after a crash) move only when a test asks (CHECKPOINT): replica-down relies on it.
    "checkpoint_timeout = '1h'",
    "max_wal_size = '8GB'",
  ];
  asPostgres('sh', [
    '-c',
    `printf '%s\\n' ${settings.map((s) => `"${s}"`).join(' ')} >> ${dataDir}/postgresql.auto.conf`,
  ]);
  const primary = instance(port, dataDir);
  primary.startSync();
  await primary.query(`CREATE DATABASE ${database}`);
  await primary.query('CREATE EXTENSION postgis', database);
  return { ...primary, root };
}

/** A streaming replica of `primary` made by deploy/replica.sh, in `root`, on a free port. */
export async function startReplica(primary: PgInstance, root: string, database: string): Promise<PgInstance> {
  const dataDir = join(root, 'replica');
  const port = await freePort();
  execFileSync(resolve('deploy/replica.sh'), [primary.url(database), String(port), dataDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PG_BIN },
  });
  return instance(port, dataDir);
}

/** A primary with PostGIS in `database` and its replica, both running. */
export async function startReplicaPair(database = 'wangge'): Promise<ReplicaPair> {
  const primary = await startPrimary(database);
  let replica: PgInstance | undefined;
  const destroy = () => {
    for (const pgi of [replica, primary]) {
      try {
        pgi?.stopSync('immediate');
      } catch {
        // Not running.
      }
    }
    rmSync(primary.root, { recursive: true, force: true });
  };
  try {
    replica = await startReplica(primary, primary.root, database);
  } catch (error) {
    destroy();
    throw error;
  }
  return { primary, replica, destroy };
}

/** Waits (bounded) until the replica has replayed everything the primary has written so far. */
export async function caughtUp(pair: ReplicaPair, database = 'wangge', timeoutMs = 30_000): Promise<void> {
  const [row] = await pair.primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn', database);
  const lsn = row!.lsn;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [replayed] = await pair.replica.query<{ done: boolean }>(
      `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
      database,
    );
    if (replayed?.done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the replica did not replay up to ${lsn} within ${timeoutMs} ms`);
}
