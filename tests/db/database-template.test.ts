/**
 * A new embedded data directory starts from the migrated template (server/db/template.ts), not
 * from CREATE EXTENSION postgis: restored, it is migrated and has PostGIS, persists across
 * restarts, and keeps DESIGN.md traps 5 (one process per data directory) and 6 (the first start
 * says what it is doing). Without a template the first start creates one for the next.
 * The server driver never uses a template: a PostgreSQL server has its own PostGIS.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openConfiguredDatabase, prepareDatabase } from '../../server/boot.ts';
import { readConfig } from '../../server/config.ts';
import type { DB } from '../../server/db/schema.ts';
import { readMigrations } from '../../server/db/migrate.ts';
import { templateFile, templateKey } from '../../server/db/template.ts';
import { SERVER_URL } from '../helpers/db.ts';
import { TEMPLATE_KEYS } from '../helpers/templates.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wangge-template-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const cacheBefore = process.env.WANGGE_CACHE_DIR;
afterEach(() => {
  if (cacheBefore === undefined) delete process.env.WANGGE_CACHE_DIR;
  else process.env.WANGGE_CACHE_DIR = cacheBefore;
});
const noDemo = async () => false;

/** Every migration recorded, PostGIS answering with real geometry (a geodesic area), the schema there. */
async function expectMigratedWithPostgis(db: Kysely<DB>): Promise<void> {
  const versions = (await db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map(
    (r) => r.version,
  );
  expect(versions).toEqual(readMigrations().map((m) => m.version));
  const { rows } = await sql<{ version: string; area: number }>`
    SELECT postgis_lib_version() AS version,
           ST_Area(ST_MakeEnvelope(116.69, 39.50, 116.70, 39.51, 4326)::geography) AS area`.execute(db);
  expect(rows[0]!.version).toMatch(/^3\.\d+/);
  // 0.01° × 0.01° at 39.5° N: about 1,112 m × 859 m.
  expect(rows[0]!.area).toBeGreaterThan(950_000);
  expect(rows[0]!.area).toBeLessThan(960_000);
  const grids = await db
    .selectFrom('grids')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(grids.n)).toBe(0);
}

describe('embedded data directory from the template', () => {
  it('is named by the migrations and the engine: a changed migration makes another template', () => {
    const migrations = readMigrations();
    const changed = migrations.map((m, i) => (i === migrations.length - 1 ? { ...m, sql: `${m.sql}\n-- edit` } : m));
    expect(templateKey(changed)).not.toBe(templateKey(migrations));
    expect(templateKey(migrations)).toBe(templateKey());
  });

  it('restores a migrated PostGIS, locked to one process, kept across restarts', async () => {
    // The template the test run uses is npm start's own (global setup: ensureTemplate).
    const template = inject(TEMPLATE_KEYS.empty);
    expect(basename(template)).toBe(basename(templateFile()));
    process.env.WANGGE_CACHE_DIR = dirname(template);
    const config = readConfig({ DATA_DIR: join(scratch, 'restored'), WANGGE_LOAD_DEMO: '0' });

    const messages: string[] = [];
    const first = await openConfiguredDatabase(config, (m) => messages.push(m));
    try {
      expect(messages.join('\n')).toMatch(/first start, from the template/);
      expect(messages.join('\n')).toMatch(/正在准备数据库/);
      expect(first.templateToSave).toBeUndefined();
      await prepareDatabase(first, config, (m) => messages.push(m), noDemo);
      expect(messages.join('\n')).not.toMatch(/applied migrations/);
      await expectMigratedWithPostgis(first.db);

      await expect(openConfiguredDatabase(config, () => {})).rejects.toThrow(/in use by another Wangge process/);
      await first.db
        .insertInto('settings')
        .values({ key: 'template-test', value: JSON.stringify('kept') })
        .execute();
    } finally {
      await first.close();
    }

    messages.length = 0;
    const second = await openConfiguredDatabase(config, (m) => messages.push(m));
    try {
      expect(messages.join('\n')).not.toMatch(/first start/);
      const kept = await second.db.selectFrom('settings').select('value').where('key', '=', 'template-test').execute();
      expect(kept).toEqual([{ value: 'kept' }]);
      await expectMigratedWithPostgis(second.db);
    } finally {
      await second.close();
    }
  }, 240_000);

  it('without a template, the first start creates PostGIS and saves the template for the next', async () => {
    process.env.WANGGE_CACHE_DIR = join(scratch, 'empty-cache');
    const config = readConfig({ DATA_DIR: join(scratch, 'cold'), WANGGE_LOAD_DEMO: '0' });
    const messages: string[] = [];
    const cold = await openConfiguredDatabase(config, (m) => messages.push(m));
    try {
      expect(messages.join('\n')).toMatch(/creating the embedded PostGIS database .* \(first start/);
      expect(cold.templateToSave).toBe(templateFile(join(scratch, 'empty-cache')));
      await prepareDatabase(cold, config, (m) => messages.push(m), noDemo);
      expect(messages.join('\n')).toMatch(/saved the database template/);
      expect(existsSync(cold.templateToSave!)).toBe(true);
      await expectMigratedWithPostgis(cold.db);
    } finally {
      await cold.close();
    }

    const next = readConfig({ DATA_DIR: join(scratch, 'next'), WANGGE_LOAD_DEMO: '0' });
    messages.length = 0;
    const restored = await openConfiguredDatabase(next, (m) => messages.push(m));
    try {
      expect(messages.join('\n')).toMatch(/first start, from the template/);
      await expectMigratedWithPostgis(restored.db);
    } finally {
      await restored.close();
    }
  }, 480_000);
});

describe.runIf(SERVER_URL)('server driver', () => {
  it('connects to the server and never makes or restores a template', async () => {
    process.env.WANGGE_CACHE_DIR = join(scratch, 'server-cache');
    const messages: string[] = [];
    const database = await openConfiguredDatabase(readConfig({ DATABASE_URL: SERVER_URL }), (m) => messages.push(m));
    try {
      expect(database.driver).toBe('server');
      expect(database.templateToSave).toBeUndefined();
      expect(messages.join('\n')).not.toMatch(/template|first start/);
      const { rows } = await sql<{ version: string }>`SELECT postgis_lib_version() AS version`.execute(database.db);
      expect(rows[0]!.version).toMatch(/^3\.\d+/);
    } finally {
      await database.close();
    }
    expect(existsSync(join(scratch, 'server-cache'))).toBe(false);
  });
});
