/**
 * The server driver: node-postgres against a real PostgreSQL + PostGIS.
 *
 * The pool is bounded in time as well as in size, so a database that is down or busy turns
 * into a quick 503 instead of a hang: waiting for a connection gives up after
 * `connectTimeoutMs`, and every statement after `statementTimeoutMs`. Each connection the
 * pool hands out is recorded in the current request's scope (request-scope.ts), so a client
 * that hangs up has its query cancelled.
 */
import pg from 'pg';
import { holdConnection, releaseConnection } from './request-scope.ts';
import { cancelBackend } from './session.queries.ts';

// Counts (int8) fit in a JS number; parse them as numbers on both drivers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface ServerOptions {
  connectionString: string;
  /** Schema to work in (tests isolate each file in its own); PostGIS stays in public. */
  schema?: string;
  max?: number;
  /** Give up waiting for a free or new connection after this long (default 0.5 s: a busy pool answers 503 well within a second). */
  connectTimeoutMs?: number;
  /** Cancel any statement running longer (default 120 s; a whole-city validation takes ~10 s). */
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity (the read pool's connections say `wangge-read`). */
  applicationName?: string;
  /** A streaming replica for public reads (DATABASE_READ_URL); read-pool.ts. */
  readConnectionString?: string;
}

/** Pool settings from the environment: WANGGE_DB_POOL, WANGGE_DB_CONNECT_TIMEOUT_MS, WANGGE_DB_STATEMENT_TIMEOUT_MS. */
export function poolSettings(
  env: NodeJS.ProcessEnv = process.env,
): Required<Pick<ServerOptions, 'max' | 'connectTimeoutMs' | 'statementTimeoutMs'>> {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
    return value;
  };
  return {
    max: read('WANGGE_DB_POOL', 10, 1),
    connectTimeoutMs: read('WANGGE_DB_CONNECT_TIMEOUT_MS', 500, 100),
    statementTimeoutMs: read('WANGGE_DB_STATEMENT_TIMEOUT_MS', 120_000, 100),
  };
}

export interface ServerPools {
  /** The application's pool. */
  pool: pg.Pool;
  /**
   * Two connections of its own for health checks and query cancellation, so both still
   * work when the application's pool is exhausted.
   */
  service: pg.Pool;
}

export function openServerPools(options: ServerOptions): ServerPools {
  const defaults = poolSettings();
  const common = {
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName,
    options: options.schema ? `-c search_path=${options.schema},public` : undefined,
  };
  const pool = new pg.Pool({
    ...common,
    max: options.max ?? defaults.max,
    statement_timeout: options.statementTimeoutMs ?? defaults.statementTimeoutMs,
  });
  const service = new pg.Pool({ ...common, max: 2, statement_timeout: 5_000 });
  for (const p of [pool, service]) {
    // An idle client losing its connection (the server restarted) must not crash the process;
    // the pool drops it and opens a new one on the next request.
    p.on('error', (error) => console.error('[db] idle client error:', error.message));
  }
  // Each connection handed out is recorded in the request's scope with a way to cancel it.
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = (async () => {
    const client = await connect();
    const pid = (client as unknown as { processID: number }).processID;
    holdConnection(client, async () => {
      await cancelBackend(service, pid);
    });
    return client;
  }) as typeof pool.connect;
  pool.on('release', (_error: unknown, client: pg.PoolClient) => releaseConnection(client));
  return { pool, service };
}
