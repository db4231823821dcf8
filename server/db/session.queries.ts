/**
 * Statements about the connection and its transaction rather than about the data: JIT,
 * snapshots shared between connections, savepoints, liveness and version probes.
 */
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema.ts';

/** JIT off for the rest of the transaction (each caller says why it pays). */
export async function jitOffInTransaction(trx: Kysely<DB>): Promise<void> {
  await sql`SET LOCAL jit = off`.execute(trx);
}

/** The transaction's snapshot id, for a second connection to import. */
export async function exportSnapshot(trx: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(trx);
  return rows[0]!.id;
}

/** Make `trx` (just begun) see exactly what the exporting transaction sees. */
export async function importSnapshot(trx: Kysely<DB>, snapshot: string): Promise<void> {
  await sql`SET TRANSACTION SNAPSHOT ${sql.lit(snapshot)}`.execute(trx);
}

export async function savepoint(trx: Kysely<DB>, name: string): Promise<void> {
  await sql`SAVEPOINT ${sql.id(name)}`.execute(trx);
}

export async function releaseSavepoint(trx: Kysely<DB>, name: string): Promise<void> {
  await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(trx);
}

export async function rollbackToSavepoint(trx: Kysely<DB>, name: string): Promise<void> {
  await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(trx);
}

/** A round trip that fails when the server is unreachable. */
export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** The primary's WAL write position now (a pg_lsn as text, such as `0/15379E20`). */
export async function walPosition(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/**
 * How far a hot standby has replayed, and whether that is at least `lsn` (a position on its
 * primary). A server not in recovery (promoted, or not a physical standby at all) has no such
 * position to compare, and counts as having reached it.
 */
export async function replayedTo(client: pg.PoolClient, lsn: string): Promise<{ at: string; reached: boolean }> {
  const { rows } = await client.query<{ at: string | null; reached: boolean }>(
    `SELECT pg_last_wal_replay_lsn()::text AS at,
            NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= $1::pg_lsn AS reached`,
    [lsn],
  );
  return { at: rows[0]!.at ?? 'none', reached: rows[0]!.reached === true };
}

export async function postgisVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select postgis_lib_version() as v`.execute(db);
  return rows[0]?.v ?? 'unknown';
}

/** Cancel the statement a backend is running (from the service pool, which the stuck one is not part of). */
export async function cancelBackend(service: pg.Pool, pid: number): Promise<void> {
  await service.query('SELECT pg_cancel_backend($1)', [pid]);
}

/** Hold a connection busy in the database for `seconds` (the test hooks' slow query). */
export async function sleepInDatabase(db: Kysely<DB>, seconds: number): Promise<void> {
  await sql`SELECT pg_sleep(${seconds})`.execute(db);
}
