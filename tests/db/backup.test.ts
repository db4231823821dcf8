/**
 * `npm run backup` and `npm run restore` on each driver, through the real command-line tools:
 * back up the demo district, delete every grid, restore, and find every grid again (count
 * and md5 of codes and geometry equal). On the embedded driver both tools refuse, with a
 * clear message and exit status 2, while a server holds the data directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { openDatabase } from '../../server/db/database.ts';
import { openTestDatabase, SERVER_URL } from '../helpers/db.ts';
import { TEMPLATE_KEYS } from '../helpers/templates.ts';
import { schemaUrl } from '../faults/spawn-server.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wangge-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a CLI; resolves with its exit status and stderr (never throws on a non-zero status). */
async function cli(
  script: 'backup' | 'restore',
  file: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', `server/backup/${script}-cli.ts`, file], {
      env: { ...process.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: e.code ?? 1, stderr: e.stderr ?? '' };
  }
}

/** Every grid, as count and an md5 over codes, households and exact geometry. */
async function everyGrid(db: Kysely<DB>): Promise<{ n: number; sum: string }> {
  const { rows } = await sql<{ n: number; sum: string }>`SELECT count(*)::int AS n,
      md5(coalesce(string_agg(code || ':' || households || ':' || md5(ST_AsBinary(geom)::text), ',' ORDER BY code), '')) AS sum FROM grids`.execute(
    db,
  );
  return rows[0]!;
}

describe('backup and restore [embedded]', () => {
  it(
    'refused while the data directory is in use; restores every grid after they were deleted',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(dir, 'data');
      const file = join(dir, 'embedded.tar.gz');
      const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
      let database = await openDatabase({
        driver: 'embedded',
        dataDir,
        loadDataDir: new Blob([readFileSync(inject(TEMPLATE_KEYS.demo))]),
      });
      const before = await everyGrid(database.db);
      expect(before.n).toBeGreaterThan(100);

      const busy = await cli('backup', file, env);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(/in use by a running Wangge server.*stop the server/s);
      await database.close();

      const backup = await cli('backup', file, env);
      expect(backup.code, backup.stderr).toBe(0);
      expect(statSync(file).size).toBeGreaterThan(1_000_000);

      database = await openDatabase({ driver: 'embedded', dataDir });
      await sql`TRUNCATE grids CASCADE`.execute(database.db);
      expect((await everyGrid(database.db)).n).toBe(0);
      const refused = await cli('restore', file, env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/in use by a running Wangge server/);
      await database.close();

      const restore = await cli('restore', file, env);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stderr).toContain(`${before.n} grids`);
      database = await openDatabase({ driver: 'embedded', dataDir });
      expect(await everyGrid(database.db)).toEqual(before);
      await database.close();
    },
  );
});

describe.skipIf(!SERVER_URL)('backup and restore [server]', () => {
  it('pg_dump of the schema, every grid deleted, pg_restore finds every grid', { timeout: 120_000 }, async () => {
    const database = await openTestDatabase('server', { demo: true });
    try {
      const file = join(dir, 'server.dump');
      const env = { DATABASE_URL: schemaUrl(SERVER_URL!, database.schema!) };
      const before = await everyGrid(database.db);
      expect(before.n).toBeGreaterThan(100);
      const backup = await cli('backup', file, env);
      expect(backup.code, backup.stderr).toBe(0);

      await sql`TRUNCATE grids CASCADE`.execute(database.db);
      expect((await everyGrid(database.db)).n).toBe(0);
      const restore = await cli('restore', file, env);
      expect(restore.code, restore.stderr).toBe(0);
      expect(await everyGrid(database.db)).toEqual(before);
      // The rest of the schema came back with it: the tables that hang off the grids, and the migrations.
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM org_grids`.execute(database.db);
      expect(rows[0]!.n).toBeGreaterThan(0);
      const { rows: migrations } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM schema_migrations`.execute(
        database.db,
      );
      expect(migrations[0]!.n).toBeGreaterThanOrEqual(6);
    } finally {
      await database.close();
    }
  });
});
