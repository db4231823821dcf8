/**
 * 修复 in a real Chromium against a real server with the demo district: editor-003 starts a
 * draft for 永华道街道, whose deliberate gap (data/demo meta.deliberateErrors) is listed under 问题与修复;
 * clicking its 修复 gives it to a neighbour in one 'repair' changeset (read back over the
 * API), and 批量修复 (2,000 m²) repairs the street's deliberate overlap, leaving the draft
 * with no error.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/repair.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../common/contracts/drafts.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { openApp, signInAndStartDraft, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { readDemoDataset } from '../../data/load.ts';

const RESULTS = 'test-results';
/** The community of 永华道街道 (street 003) with the demo's deliberate gap. */
const GAP_COMMUNITY = readDemoDataset()
  .meta.deliberateErrors.find((e) => e.kind === 'gap' && e.grids[0].startsWith('131002003'))!
  .grids[0].slice(0, 12);
const DOCS = 'docs/screenshots';

describe('repair in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    '修复 on the deliberate gap, then 批量修复: one repair changeset each, the draft validates clean',
    { timeout: 180_000 },
    async () => {
      const url = env.server().url;
      const cookie = await sessionCookie(url, 'editor-003');
      const get = async <T>(path: string) => (await httpClient(url).get<T>(path, { cookie })).body as T;
      const { page, pageErrors } = await openApp(env.browser(), url);
      const draftId = await signInAndStartDraft(page, 'editor-003');

      const gapItem = await page.waitForSelector('#editor .repair-item[data-type="gap"]', { timeout: 30_000 });
      expect(await page.textContent('#editor #repair-title')).toContain('问题与修复');
      expect(await page.inputValue('#repair-max-area')).toBe('2000');
      expect(await page.inputValue('#repair-scope')).toBe('street');
      const gapId = await (await gapItem.$('button.repair-fix'))!.getAttribute('data-problem-id');
      expect(gapId!.startsWith(`gap:${GAP_COMMUNITY}:`)).toBe(true);
      await page.evaluate(() => window.__wangge!.adapter.whenIdle());
      mkdirSync(RESULTS, { recursive: true });
      await page.$eval('#editor .repair-panel', (el) => el.scrollIntoView());
      await page.screenshot({ path: `${RESULTS}/repair.png` });

      await page.click(`#editor button.repair-fix[data-problem-id="${gapId}"]`);
      await expect.poll(() => page.textContent('#editor .repair-results'), { timeout: 30_000 }).toContain('已修复');
      const afterOne = await get<ValidationReport>(`/api/validation?draft=${draftId}`);
      expect(afterOne.problems.features.map((p) => p.properties.id)).not.toContain(gapId);
      const history = await get<{ history: HistoryEntry[] }>('/api/changesets?street=131002003000');
      expect(history.history[0]).toMatchObject({ draft_id: draftId, operation: 'repair' });

      await page.waitForSelector('#repair-batch:not([disabled])');
      await page.click('#repair-batch');
      await expect
        .poll(() => page.textContent('#editor .repair-results'), { timeout: 30_000 })
        .toContain('批量修复：修复 1 处，跳过 0 处');
      expect(await page.textContent('#editor .history-list')).toContain('修复');
      await expect
        .poll(() => page.textContent('#editor .repair-panel'), { timeout: 30_000 })
        .toContain('草稿中没有缝隙、重叠或碎片');
      const clean = await get<ValidationReport>(`/api/validation?draft=${draftId}`);
      expect(clean.problems.features.filter((p) => p.properties.severity === 'error')).toEqual([]);
      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/repair.png`, `${DOCS}/repair.png`);
      }
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
