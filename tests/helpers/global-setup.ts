/**
 * Builds two embedded PostGIS templates once per run (migrated; migrated + demo) and
 * caches them by the migrations' and demo data's content, so each embedded test file
 * starts from a tarball in ~4 s instead of creating PostGIS (~10 s) and migrating (~10 s).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/database.ts';
import { migrate, readMigrations } from '../../server/db/migrate.ts';
import { TEMPLATE_KEYS, DEMO_PASSWORD } from './templates.ts';

const CACHE = join(process.cwd(), 'node_modules', '.cache', 'wangge-tests');

function fingerprint(extra: string): string {
  const hash = createHash('sha256');
  for (const m of readMigrations()) hash.update(m.version).update(m.sql);
  hash.update(readFileSync('package-lock.json'));
  hash.update(extra);
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(file: string, withDemo: boolean): Promise<void> {
  if (existsSync(file)) return;
  const started = Date.now();
  const database = await openDatabase({ driver: 'embedded' });
  await migrate(database.db);
  if (withDemo) {
    const { loadDemoIfEmpty } = await import('../../data/load.ts');
    await loadDemoIfEmpty(database.db, { demoPassword: DEMO_PASSWORD });
  }
  const blob = await database.dumpDataDir!();
  await database.close();
  writeFileSync(`${file}.tmp`, Buffer.from(await blob.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  console.log(
    `[tests] built ${withDemo ? 'demo' : 'empty'} embedded template in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

export default async function setup(project: TestProject) {
  mkdirSync(CACHE, { recursive: true });
  const demoFile = 'data/demo/anci-district.json';
  const demoHash = existsSync(demoFile) ? createHash('sha256').update(readFileSync(demoFile)).digest('hex') : 'none';
  const empty = join(CACHE, `empty-${fingerprint('')}.tar`);
  await buildTemplate(empty, false);
  let demo = '';
  if (existsSync(demoFile)) {
    demo = join(CACHE, `demo-${fingerprint(demoHash + readFileSync('data/load.ts', 'utf8'))}.tar`);
    await buildTemplate(demo, true);
  }
  project.provide(TEMPLATE_KEYS.empty, empty);
  project.provide(TEMPLATE_KEYS.demo, demo);
}
