/**
 * 按现状导入（保留问题） in a real Chromium (issue 15): an admin picks grids, drops a file with
 * a grid on top of a published one, ticks the box and checks again: the report lists the
 * overlap as a problem to keep, 导入 waits for a reason, and the commit says which street
 * changesets flag it. An editor sees no such box.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';

const RESULTS = 'test-results';

describe('按现状导入 in the import dialog', () => {
  const env = useServerAndBrowser();

  it(
    'an admin imports an overlapping grid as it is, with a reason; an editor has no such choice',
    { timeout: 180_000 },
    async () => {
      const db = env.server().database.db;
      const { rows } = await sql<{
        g: string;
      }>`SELECT ST_AsGeoJSON(geom, 15) AS g FROM grids WHERE community_code LIKE '131002001%' ORDER BY code LIMIT 1`.execute(
        db,
      );
      const file = Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { 名称: '现状重叠网格', 户数: 400 }, geometry: JSON.parse(rows[0]!.g) },
          ],
        }),
      );

      const { page, pageErrors } = await openApp(env.browser(), env.server().url);
      await signIn(page, 'admin');
      await page.click('#import-button');
      await page.waitForSelector('#interop-dialog[open] #import-view');
      await page.selectOption('#import-view select[name="layer"]', 'grids');
      await page.setInputFiles('#import-file', {
        name: '现状.geojson',
        mimeType: 'application/geo+json',
        buffer: file,
      });
      await page.click('#import-check');
      await page.waitForSelector('#import-report .import-topology');
      // Strict: the overlap would be refused, so 导入 as it stands gives a 409; tick the box instead.
      await page.check('#import-accept-problems');
      expect(await page.textContent('#import-gate')).toContain('请重新预检');
      expect(await page.isDisabled('#import-commit')).toBe(true);
      await page.click('#import-check');
      await page.waitForSelector('#import-report .import-topology.as-is');
      expect(await page.textContent('#import-report .import-topology h4')).toMatch(/^将随导入保留的问题：[1-9]/);
      expect(await page.textContent('#import-report .import-topology')).toContain('重叠');
      expect(await page.textContent('#import-gate')).toBe('按现状导入需要填写理由。');
      expect(await page.isDisabled('#import-commit')).toBe(true);
      await page.fill('#import-reason', '2026 年现状底图');
      expect(await page.isDisabled('#import-commit')).toBe(false);
      mkdirSync(RESULTS, { recursive: true });
      await page.locator('#interop-dialog').screenshot({ path: `${RESULTS}/import-as-is.png` });
      await page.click('#import-commit');
      await page.waitForSelector('#import-as-is-done');
      expect(await page.textContent('#import-as-is-done')).toMatch(
        /^已按现状导入，问题已标注在 1 个街道变更记录中（\d+）。$/,
      );
      const { rows: flagged } = await sql<{
        accept_reason: string;
      }>`SELECT accept_reason FROM changesets WHERE accept_reason IS NOT NULL`.execute(db);
      expect(flagged).toEqual([{ accept_reason: '2026 年现状底图' }]);
      expect(pageErrors).toEqual([]);

      const editor = await openApp(env.browser(), env.server().url);
      await signIn(editor.page, 'editor-001');
      await editor.page.click('#import-button');
      await editor.page.waitForSelector('#interop-dialog[open] #import-view');
      await editor.page.selectOption('#import-view select[name="layer"]', 'grids');
      expect(await editor.page.$('#import-accept-problems')).toBeNull();
    },
  );
});
