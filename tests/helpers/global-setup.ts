/**
 * Builds two embedded PostGIS templates once per run (migrated; migrated + demo) and
 * caches them by the migrations' and demo data's content, so each embedded test file
 * starts from a tarball in ~4 s instead of creating PostGIS (~10 s) and migrating (~10 s).
 * The migrated one is `npm start`'s own template (server/db/template.ts: made by postinstall,
 * shared), and the demo one is made from it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../server/db/database.ts';
import { migrate, readMigrations } from '../../server/db/migrate.ts';
import { ensureTemplate, readTemplate } from '../../server/db/template.ts';
import { TEMPLATE_KEYS, DEMO_PASSWORD } from './templates.ts';

const CACHE = join(process.cwd(), 'node_modules', '.cache', 'wangge-tests');

function fingerprint(extra: string): string {
  const hash = createHash('sha256');
  for (const m of readMigrations()) hash.update(m.version).update(m.sql);
  hash.update(readFileSync('package-lock.json'));
  hash.update(extra);
  return hash.digest('hex').slice(0, 16);
}

async function buildDemoTemplate(file: string, empty: string): Promise<void> {
  if (existsSync(file)) return;
  const started = Date.now();
  const database = await openDatabase({ driver: 'embedded', loadDataDir: readTemplate(empty) });
  await migrate(database.db);
  const { loadDemoIfEmpty } = await import('../../data/load.ts');
  await loadDemoIfEmpty(database.db, { demoPassword: DEMO_PASSWORD });
  const blob = await database.dumpDataDir!();
  await database.close();
  writeFileSync(`${file}.tmp`, Buffer.from(await blob.arrayBuffer()));
  renameSync(`${file}.tmp`, file);
  console.log(`[tests] built the demo embedded template in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function setup(project: TestProject) {
  mkdirSync(CACHE, { recursive: true });
  const demoFile = 'data/demo/anci-district.json';
  // Every file the demo load reads (the district, its roads, …), not only the district.
  const demoHash = createHash('sha256');
  for (const name of readdirSync('data/demo').sort()) demoHash.update(name).update(readFileSync(`data/demo/${name}`));
  const empty = await ensureTemplate(undefined, (m) => console.log(`[tests] ${m}`));
  let demo = '';
  if (existsSync(demoFile)) {
    // …and the code that loads it (the accounts, the generated year of cases).
    const loader = ['data/load.ts', 'data/load-cases.ts', 'data/generator/cases.ts', 'data/generator/case-texts.ts'];
    for (const name of loader) demoHash.update(name).update(readFileSync(name));
    demo = join(CACHE, `demo-${fingerprint(demoHash.digest('hex'))}.tar`);
    await buildDemoTemplate(demo, empty);
  }
  project.provide(TEMPLATE_KEYS.empty, empty);
  project.provide(TEMPLATE_KEYS.demo, demo);
}
