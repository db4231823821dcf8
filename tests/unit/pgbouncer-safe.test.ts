/**
 * Transaction pooling (pgbouncer, deploy/pgbouncer.ini) is safe for the API only while no
 * statement needs a session of its own: this scans everything that talks to the database.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSessionStatements } from '../../deploy/session-statements.ts';

const ROOTS = ['server', 'migrations', 'data', 'common'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|sql)$/.test(name) ? [path] : [];
  });
}

describe('pgbouncer transaction pooling', () => {
  it('finds each kind of session statement (the scanner can fail)', () => {
    const sample = [
      'SELECT pg_advisory_lock(42);',
      'LISTEN grid_changes;',
      'await sql`SET statement_timeout = 0`',
      "SELECT set_config('search_path', 'x', false)",
      'PREPARE find_grid AS SELECT 1;',
      'DECLARE c CURSOR WITH HOLD FOR SELECT 1;',
      'CREATE TEMP TABLE stage (i int);',
    ].join('\n');
    expect(findSessionStatements(sample).map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const fine = [
      'SELECT pg_advisory_xact_lock(42);',
      'SET LOCAL jit = off;',
      'SET TRANSACTION SNAPSHOT x;',
      'UPDATE grids g\n  SET version = version + 1;',
      'INSERT … ON CONFLICT (k) DO UPDATE\n  SET epoch = EXCLUDED.epoch',
      'CREATE TEMP TABLE s (i int) ON COMMIT DROP;',
    ].join('\n');
    expect(findSessionStatements(fine)).toEqual([]);
  });

  it('no statement in the server, the migrations or the demo loader needs a session', () => {
    const found = ROOTS.flatMap(files).flatMap((file) =>
      findSessionStatements(readFileSync(file, 'utf8')).map((s) => `${file}:${s.line} ${s.rule}: ${s.text}`),
    );
    expect(found).toEqual([]);
  });
});
