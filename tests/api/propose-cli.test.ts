/**
 * `npm run propose` (issue 19) as a child process on each driver: on the demo district it
 * prints the same proposal as POST /api/drafts/{id}/proposals computes for a fresh draft (a
 * draft with no edits sees the published grids), as JSON and as Chinese + English lines;
 * bad arguments exit 2 with the usage line before any database is opened.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Draft } from '../../common/contracts/drafts.ts';
import type { Proposal } from '../../common/contracts/proposals.ts';
import { openDatabase } from '../../server/db/database.ts';
import { summaryJson } from '../../server/proposal/summary-lines.ts';
import { DRIVERS, SERVER_URL } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { runCli } from '../helpers/import-cli.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { TEMPLATE_KEYS } from '../helpers/templates.ts';

const STREET = '131002001000';
const COMMUNITY = '131002001002';
const cli = (env: Record<string, string>, ...args: string[]) =>
  runCli('server/proposal/propose-cli.ts', env, args, 240_000);

for (const driver of DRIVERS) {
  describe(`npm run propose [${driver}]`, () => {
    let server: TestServer;
    let env: Record<string, string>;
    let dir: string;
    const http = httpClient(() => server.url);

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      dir = mkdtempSync(join(tmpdir(), 'wangge-propose-'));
      if (driver === 'embedded') {
        // A data directory of its own holding the same demo the test server started from.
        const dataDir = join(dir, 'data');
        const template = new Blob([readFileSync(inject(TEMPLATE_KEYS.demo))]);
        await (await openDatabase({ driver: 'embedded', dataDir, loadDataDir: template })).close();
        env = { DATABASE_URL: '', DATA_DIR: dataDir, WANGGE_LOAD_DEMO: '0' };
      } else {
        const url = new URL(SERVER_URL!);
        url.searchParams.set('options', `-c search_path=${server.database.schema},public`);
        env = { DATABASE_URL: url.toString(), WANGGE_LOAD_DEMO: '0' };
      }
      await http.login('editor-001');
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints the proposal the API makes for a fresh draft: the same JSON, and the summary in Chinese and English', async () => {
      const draft = (
        await http.post<Draft>('/api/drafts', { as: 'editor-001', body: { street: STREET, title: 'cli' } })
      ).body;
      const res = await http.post<Proposal>(`/api/drafts/${draft.id}/proposals`, {
        as: 'editor-001',
        body: { community: COMMUNITY, mode: 'fresh', seed: 7 },
      });
      expect(res.status, res.text).toBe(200);
      const { id: _id, draft: _draft, applied: _applied, ...answer } = res.body;

      const json = await cli(env, '--community', COMMUNITY, '--mode', 'fresh', '--seed', '7', '--json');
      expect(json.code, json.stderr).toBe(0);
      const printed = JSON.parse(json.stdout) as ReturnType<typeof summaryJson>;
      const expected = summaryJson(answer);
      expect({ ...printed, tookMs: 0 }).toEqual({ ...expected, tookMs: 0 });
      expect(printed.summary.grids).toBeGreaterThan(0);
      expect(printed.summary.households).toBeGreaterThan(0);

      const text = await cli(env, '--community', COMMUNITY, '--mode', 'fresh', '--seed', '7');
      expect(text.code, text.stderr).toBe(0);
      const s = answer.summary;
      expect(text.stdout).toContain(`(${COMMUNITY}): 重新划分 fresh, seed 7`);
      expect(text.stdout).toMatch(new RegExp(`户数达标 in band\\s+${s.inBand} / ${s.residential}\\n`));
      expect(text.stdout).toMatch(new RegExp(`总户数 households\\s+${s.households}\\n`));
      expect(text.stdout).toMatch(new RegExp(`切割楼栋 buildings cut\\s+${s.buildingsCut}\\n`));
    }, 300_000);

    it('exits 2 for an unknown community, or a street given as a community', async () => {
      const unknown = await cli(env, '--community', '131002001099');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/does not exist/);
      const street = await cli(env, '--community', STREET);
      expect(street.code).toBe(2);
      expect(street.stderr).toMatch(/is a street/);
    }, 300_000);
  });
}

describe('npm run propose, bad arguments', () => {
  it('exits 2 with the usage line before it opens a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wangge-propose-args-'));
    const env = { DATABASE_URL: '', DATA_DIR: join(dir, 'never-created') };
    for (const args of [
      [],
      ['--community', '12'],
      ['--community', COMMUNITY, '--street', STREET],
      ['--community', COMMUNITY, '--mode', 'shuffle'],
      ['--community', COMMUNITY, '--seed', 'x'],
      ['--community', COMMUNITY, '--seed=-1'],
      ['--community', COMMUNITY, '--seed', '9999999999'],
      ['--community', COMMUNITY, '--colour', 'red'],
    ]) {
      const result = await cli(env, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/usage: npm run propose/);
    }
    expect(existsSync(join(dir, 'never-created'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
