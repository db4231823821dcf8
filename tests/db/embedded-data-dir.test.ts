/**
 * DESIGN.md traps 5 and 6: the embedded data directory is locked to one process, data
 * survives a restart, and the first start says what it is doing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openConfiguredDatabase } from '../../server/boot.ts';
import { readConfig } from '../../server/config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wangge-datadir-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('locks the data directory, keeps data across restarts and reports the first start', async () => {
  const config = readConfig({ DATA_DIR: dataDir });
  const messages: string[] = [];
  const first = await openConfiguredDatabase(config, (m) => messages.push(m));
  expect(messages.join('\n')).toMatch(/first start/);

  // A second process (here: a second open) on the same directory is refused.
  await expect(openConfiguredDatabase(config, () => {})).rejects.toThrow(/in use by another Wangge process/);

  await sql`CREATE TABLE kept (n int)`.execute(first.db);
  await sql`INSERT INTO kept VALUES (42)`.execute(first.db);
  await first.close();

  messages.length = 0;
  const second = await openConfiguredDatabase(config, (m) => messages.push(m));
  try {
    expect(messages.join('\n')).not.toMatch(/first start/);
    const { rows } = await sql<{ n: number }>`SELECT n FROM kept`.execute(second.db);
    expect(rows).toEqual([{ n: 42 }]);
  } finally {
    await second.close();
  }
}, 120_000);
