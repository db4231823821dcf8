/** The migration runner's statements (migrate.ts): its record table, and one migration applied and recorded. */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

export async function createMigrationsTable(db: Kysely<DB>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export async function appliedVersions(db: Kysely<DB>): Promise<Set<string>> {
  return new Set((await db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
}

/** Run the migration's file and record it, in `trx` (the caller's transaction: both or neither). */
export async function applyMigration(
  trx: Kysely<DB>,
  migration: { version: string; name: string; sql: string },
): Promise<void> {
  await sql.raw(migration.sql).execute(trx);
  await trx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name }).execute();
}
