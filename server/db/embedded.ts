/**
 * The embedded driver: PGlite + PostGIS (WASM) behind Kysely's own PostgresDialect.
 *
 * PGlite is a single connection, so the pool adapter hands it to one caller at a time
 * (a transaction holds it from BEGIN to COMMIT). See docs/adr/0001-embedded-postgis.md.
 */
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { mkdirSync } from 'node:fs';
import lockfile from 'proper-lockfile';

export interface QueryResultLike {
  rows: unknown[];
  command?: string;
  rowCount?: number;
}

/** The subset of pg's PoolClient that Kysely's PostgresDriver uses. */
export interface PoolClientLike {
  query(sql: string, params: readonly unknown[]): Promise<QueryResultLike>;
  release(): void;
}

const COMMAND = /^\s*(INSERT|UPDATE|DELETE|MERGE|SELECT)\b/i;

/** Serialises access to the one PGlite connection. */
export class PGlitePool {
  #queue: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(readonly pg: PGlite) {}

  async connect(): Promise<PoolClientLike> {
    if (this.#ended) throw new Error('embedded database is closed');
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const pg = this.pg;
    let released = false;
    return {
      async query(sql, params) {
        // No parameters: the simple protocol, which also runs multi-statement scripts.
        if (params.length === 0) {
          const results = await pg.exec(sql);
          const last = results[results.length - 1];
          return {
            rows: last?.rows ?? [],
            command: COMMAND.exec(sql)?.[1]?.toUpperCase(),
            rowCount: last?.affectedRows ?? 0,
          };
        }
        const result = await pg.query(sql, params as unknown[]);
        return {
          rows: result.rows,
          command: COMMAND.exec(sql)?.[1]?.toUpperCase(),
          rowCount: result.affectedRows ?? 0,
        };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#queue;
    await this.pg.close();
  }
}

export interface EmbeddedOptions {
  /** Data directory; undefined keeps the database in memory (tests). */
  dataDir?: string;
  /** A dumped data directory (tarball) to start from, as made by `dumpDataDir`. */
  loadDataDir?: Blob | File;
  log?: (message: string) => void;
}

export interface Embedded {
  pool: PGlitePool;
  pg: PGlite;
  close(): Promise<void>;
}

/**
 * Open (and create on first use) the embedded PostGIS. A data directory is locked for
 * this process: PGlite does not fsync and two processes on one directory corrupt it.
 */
export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Embedded> {
  let unlock: (() => Promise<void>) | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir, options.log ?? ((m) => console.error(`[wangge] ${m}`)));
  }
  try {
    const pg = await PGlite.create({
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir,
      extensions: { postgis },
    });
    const pool = new PGlitePool(pg);
    return {
      pool,
      pg,
      async close() {
        await pool.end();
        await unlock?.();
      },
    };
  } catch (error) {
    await unlock?.();
    throw error;
  }
}

const LOCK = { stale: 30_000, update: 10_000, realpath: false } as const;

/**
 * Lock the data directory for this process; the returned function unlocks it (once, harmlessly
 * twice). One long WASM statement blocks the event loop, and on a loaded machine creating PostGIS
 * or restoring the template has blocked it past the stale time, so the lock's refresh came too
 * late and proper-lockfile threw from a timer ("compromised"). Then the lock is taken again,
 * unless another process took it meanwhile: two processes on one directory corrupt it, so this
 * one stops.
 */
async function lockDataDir(dataDir: string, log: (message: string) => void): Promise<() => Promise<void>> {
  let release: (() => Promise<void>) | undefined;
  let closed = false;
  const take = async () => {
    release = await lockfile.lock(dataDir, { ...LOCK, onCompromised: retake });
  };
  const retake = (error: Error) => {
    if (closed) return;
    log(`the lock on ${dataDir} was late to refresh (${error.message}); taking it again`);
    take().catch((again: Error) => {
      console.error(`[wangge] ${inUse(dataDir).message} (${again.message}); stopping`);
      process.exit(1);
    });
  };
  try {
    await take();
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw inUse(dataDir, error);
    throw error;
  }
  return async () => {
    if (closed) return;
    closed = true;
    await release?.().catch((error: { code?: string }) => {
      if (error.code !== 'ERELEASED') throw error;
    });
  };
}

function inUse(dataDir: string, cause?: unknown): Error {
  return new Error(
    `The data directory ${dataDir} is in use by another Wangge process. ` +
      'The embedded database allows one process only; stop the other one or set DATA_DIR.',
    { cause },
  );
}
