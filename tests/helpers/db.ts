/**
 * Runs a database suite on every driver: the embedded PostGIS always, and a real
 * PostgreSQL + PostGIS when TEST_DATABASE_URL is set (each file in its own schema).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database, type DriverName } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { DEMO_PASSWORD, TEMPLATE_KEYS } from './templates.ts';

export const SERVER_URL = process.env.TEST_DATABASE_URL || undefined;
export const DRIVERS: DriverName[] = SERVER_URL ? ['embedded', 'server'] : ['embedded'];

export interface TestDatabase extends Database {
  /** The server driver's schema for this file (undefined on embedded). */
  schema?: string;
}

/** A migrated database, optionally with the demo district, on the given driver. */
export async function openTestDatabase(driver: DriverName, options: { demo?: boolean } = {}): Promise<TestDatabase> {
  if (driver === 'embedded') {
    const template = inject(options.demo ? TEMPLATE_KEYS.demo : TEMPLATE_KEYS.empty);
    if (!template)
      throw new Error('No embedded template: data/demo/anci-district.json is missing (npm run demo:write)');
    const blob = new Blob([readFileSync(template)]);
    return openDatabase({ driver: 'embedded', loadDataDir: blob });
  }
  if (!SERVER_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `wt_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: SERVER_URL, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const database = await openDatabase({ driver: 'server', connectionString: SERVER_URL, schema });
  await migrate(database.db);
  if (options.demo) {
    const { loadDemoIfEmpty } = await import('../../data/load.ts');
    await loadDemoIfEmpty(database.db, { demoPassword: DEMO_PASSWORD });
  }
  return {
    ...database,
    schema,
    async close() {
      await database.close();
      const cleanup = await openDatabase({ driver: 'server', connectionString: SERVER_URL!, max: 1 });
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(cleanup.db);
      await cleanup.close();
    },
  };
}

/**
 * `describe` once per driver; `get()` returns that driver's database inside tests.
 *
 *   describeEachDriver('grids', { demo: true }, (get, driver) => { it(..., async () => get().db ...) })
 */
export function describeEachDriver(
  name: string,
  options: { demo?: boolean },
  body: (get: () => TestDatabase, driver: DriverName) => void,
): void {
  for (const driver of DRIVERS) {
    describe(`${name} [${driver}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(driver, options);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('database not open');
        return database;
      }, driver);
    });
  }
}

/**
 * md5 over every row of the given tables — by default every table of the database's schema
 * except `sessions` (a login writes one) and PostGIS's `spatial_ref_sys`: equal before and
 * after means nothing was written.
 */
export async function tablesChecksum(db: Database['db'], tables?: readonly string[]): Promise<string> {
  const names =
    tables ??
    (
      await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', 'spatial_ref_sys')
    ORDER BY table_name`.execute(db)
    ).rows.map((t) => t.name);
  const parts = names.map(
    (t) => sql`(SELECT coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM ${sql.table(t)} x)`,
  );
  return (await sql<{ sum: string }>`SELECT md5(concat_ws('#', ${sql.join(parts)})) AS sum`.execute(db)).rows[0]!.sum;
}
