/**
 * Migration runner: numbered plain-SQL files in migrations/, applied in order, each in its
 * own transaction and recorded in schema_migrations. Files are never edited once landed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { appliedVersions, applyMigration, createMigrationsTable } from './migrate.queries.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => FILE.test(file))
    .sort()
    .map((file) => {
      const [, version, name] = FILE.exec(file)!;
      return { version: version!, name: name!, sql: readFileSync(join(dir, file), 'utf8') };
    });
}

/** Apply pending migrations; returns the versions applied now. */
export async function migrate(db: Kysely<DB>, migrations = readMigrations()): Promise<string[]> {
  await createMigrationsTable(db);
  const done = await appliedVersions(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await db.transaction().execute((trx) => applyMigration(trx, migration));
    applied.push(migration.version);
  }
  return applied;
}
