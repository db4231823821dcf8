/** The one way to reach the database: a Kysely instance over either driver. */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema.ts';
import { openEmbedded, type EmbeddedOptions } from './embedded.ts';
import { openServerPools, type ServerOptions } from './server.ts';
import { ping } from './session.queries.ts';
import { READ_CONNECT_TIMEOUT_MS, ReadPool } from './read-pool.ts';
import { registerReadDatabase } from './read-database.ts';

export type DriverName = 'embedded' | 'server';

export interface Database {
  db: Kysely<DB>;
  /** Public reads (read-database.ts): a replica with fallback to `db` (DATABASE_READ_URL), else `db` itself. */
  readDb: Kysely<DB>;
  driver: DriverName;
  close(): Promise<void>;
  /** Embedded only: the whole data directory as a tarball (test templates, backups). */
  dumpDataDir?: () => Promise<Blob>;
}

export type DatabaseOptions = ({ driver: 'embedded' } & EmbeddedOptions) | ({ driver: 'server' } & ServerOptions);

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.driver === 'server') {
    const { pool, service } = openServerPools(options);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const serviceDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool: service }) });
    services.set(db, serviceDb);
    const reads = options.readConnectionString ? openReadDatabase(options, pool) : undefined;
    const readDb = reads?.db ?? db;
    registerReadDatabase(db, readDb, reads && (() => reads.pool.replicaState));
    const close = async () => {
      await db.destroy();
      await serviceDb.destroy();
      if (readDb !== db) await readDb.destroy();
    };
    try {
      // Fail fast with a clear message when the server is unreachable.
      await ping(db);
    } catch (error) {
      await close();
      throw error;
    }
    try {
      // A replica that does not answer now is no reason to refuse to start: public reads go to the
      // primary until it does (read-pool.ts). One that refuses us (password, database name) is.
      if (readDb !== db) await ping(readDb);
    } catch (error) {
      await close();
      throw new Error(`DATABASE_READ_URL: ${(error as Error).message}`, { cause: error });
    }
    return { db, readDb, driver: 'server', close };
  }
  const embedded = await openEmbedded(options);
  const db = new Kysely<DB>({
    // The adapter implements the part of pg.Pool that PostgresDriver uses.
    dialect: new PostgresDialect({ pool: embedded.pool as never }),
  });
  registerReadDatabase(db, db);
  return {
    db,
    readDb: db,
    driver: 'embedded',
    dumpDataDir: async () => {
      // Drain the connection first so the dump sees every committed write.
      const client = await embedded.pool.connect();
      try {
        return (await embedded.pg.dumpDataDir('none')) as Blob;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
      await embedded.close();
    },
  };
}

/** The replica's pools (its own, with its own service pool for cancels) behind the fallback read pool. */
function openReadDatabase(options: ServerOptions, primary: pg.Pool): { db: Kysely<DB>; pool: ReadPool } {
  const replica = openServerPools({
    ...options,
    connectionString: options.readConnectionString!,
    connectTimeoutMs: Math.min(options.connectTimeoutMs ?? READ_CONNECT_TIMEOUT_MS, READ_CONNECT_TIMEOUT_MS),
    applicationName: 'wangge-read',
  });
  const pool = new ReadPool(replica, primary);
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), pool };
}

const services = new WeakMap<Kysely<DB>, Kysely<DB>>();

/**
 * The connections kept apart for health checks (server driver): `/api/health` answers even
 * when every connection of the application's pool is busy. The embedded driver has one
 * connection, so it is `db` itself.
 */
export function serviceDatabase(db: Kysely<DB>): Kysely<DB> {
  return services.get(db) ?? db;
}
