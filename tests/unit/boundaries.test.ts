/**
 * The import boundaries of .dependency-cruiser.cjs fail on a deliberate violation, and the real
 * tree has none. The violations are written into a scratch tree in the temp directory (the same
 * folder names, so the same rules apply), never into the source tree that lint reads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

const ROOT = new URL('../../', import.meta.url).pathname;
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const ruleSet = { forbidden: config.forbidden };

async function violations(files: string[], baseDir: string, withTsConfig = false) {
  const { output } = await cruise(files, {
    ...config.options,
    ...(withTsConfig ? {} : { tsConfig: undefined }),
    baseDir,
    ruleSet,
    validate: true,
  });
  return (output as ICruiseResult).summary.violations
    .filter((v) => v.rule.severity === 'error')
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('import boundaries', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wangge-boundaries-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };

  it('refuses geometry that imports the HTTP layer, production code that imports test hooks, server code that imports data/, and a cycle', async () => {
    write('server/http/errors.ts', 'export class HttpError extends Error {}\n');
    write(
      'server/geo/probe.ts',
      "import { HttpError } from '../http/errors.ts';\nexport const refuse = () => new HttpError('x');\n",
    );
    write('server/testing/pause-hooks.ts', 'export const installPauseHook = () => {};\n');
    write(
      'server/editing/probe.ts',
      "import { installPauseHook } from '../testing/pause-hooks.ts';\nexport const x = installPauseHook;\n",
    );
    write(
      'server/main.ts',
      "import { installPauseHook } from './testing/pause-hooks.ts';\nimport { demo } from '../data/load.ts';\nexport const x = [installPauseHook, demo];\n",
    );
    write('data/load.ts', 'export const demo = 1;\n');
    write('server/grids/probe.ts', "import { demo } from '../../data/load.ts';\nexport const x = demo;\n");
    write('common/a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
    write('common/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");

    // server/main.ts, the composition root, may name both data/ and server/testing/: not listed.
    expect((await violations(['server', 'data', 'common'], scratch)).sort()).toEqual([
      'geo-is-pure: server/geo/probe.ts → server/http/errors.ts',
      'no-circular: common/a.ts → common/b.ts',
      'server-not-to-data: server/grids/probe.ts → data/load.ts',
      'testing-only-from-composition-root: server/editing/probe.ts → server/testing/pause-hooks.ts',
    ]);
  });

  it('finds no violation in the real tree (what `npm run lint:imports` checks)', async () => {
    const dirs = ['server', 'common', 'client', 'data', 'tests', 'bench', 'migrations'];
    expect(await violations(dirs, ROOT, true)).toEqual([]);
  }, 60_000);
});
