/** The server driver: node-postgres against a real PostgreSQL + PostGIS. */
import pg from 'pg';

// Counts (int8) fit in a JS number; parse them as numbers on both drivers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface ServerOptions {
  connectionString: string;
  /** Schema to work in (tests isolate each file in its own); PostGIS stays in public. */
  schema?: string;
  max?: number;
}

export function openServerPool(options: ServerOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: options.schema ? `-c search_path=${options.schema},public` : undefined,
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (error) => console.error('[db] idle client error:', error.message));
  return pool;
}
