/**
 * The 属性 tool in a real Chromium: a street editor picks a grid in a draft, opens 属性, renames
 * it and types its households by hand, saves with a comment, and the draft row (read back over
 * the API) has the new name, the households and households_source 'manual'.
 */
import { mkdirSync } from 'node:fs';
import { pointOnFeature } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import { openApp, signInAndStartDraft, useServerAndBrowser, zoomToRing } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const STREET = '131002003000';

describe('editor 属性 form in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'renames a grid and sets its households by hand; the draft row holds them as manual',
    { timeout: 180_000 },
    async () => {
      const url = env.server().url;
      const grids = await plannerGrids(url, STREET);
      const grid = grids.features.find(
        (g) => g.geometry.coordinates.length === 1 && g.properties.kind === 'residential',
      )!;
      const code = grid.properties.code;
      const households = grid.properties.households! + 17;

      const { page, pageErrors } = await openApp(env.browser(), url);
      const draftId = await signInAndStartDraft(page, 'editor-003');

      // Zoom onto the grid and pick it with a click inside it.
      const screen = await zoomToRing(page, grid.geometry.coordinates[0]![0]!);
      const [lon, lat] = pointOnFeature(grid).geometry.coordinates as [number, number];
      const inside = await screen(lon, lat);
      await page.mouse.click(inside.x, inside.y);
      await expect.poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 }).toContain(code);

      // 属性: the form shows the grid; change the name and type the households.
      expect(await page.textContent('#tool-attributes')).toBe('属性');
      await page.click('#tool-attributes');
      await page.waitForSelector('#attributes-dialog[open]', { timeout: 10_000 });
      expect(await page.inputValue('#attributes-dialog input[name="name"]')).toBe(grid.properties.name);
      expect(await page.isChecked('#attributes-dialog input[name="autoHouseholds"]')).toBe(true);
      expect(await page.textContent('#attributes-dialog')).toContain('按楼栋自动计算');
      await page.fill('#attributes-dialog input[name="name"]', '测试改名网格');
      await page.uncheck('#attributes-dialog input[name="autoHouseholds"]');
      await page.fill('#attributes-dialog input[name="households"]', String(households));
      await page.fill('#attributes-dialog textarea[name="comment"]', '核实户数，更正名称');
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/editor-attributes.png' });
      await page.click('#attributes-dialog button[type="submit"]');
      await page.waitForSelector('#attributes-dialog:not([open])', { state: 'attached', timeout: 30_000 });
      await page.waitForSelector('#editor-running .editor-message.info', { timeout: 30_000 });
      await page.waitForSelector('#editor-running .draft-check', { timeout: 30_000 });

      const cookie = await sessionCookie(url, 'editor-003');
      const detail = (await httpClient(url).get<DraftDetail>(`/api/drafts/${draftId}`, { cookie })).body;
      const row = detail.grids.features.find((f) => f.properties.code === code);
      expect(row?.properties).toMatchObject({
        name: '测试改名网格',
        households,
        households_source: 'manual',
        state: 'changed',
      });
      // The history names the attributes change with its comment.
      expect(await page.textContent('#editor')).toContain('核实户数，更正名称');
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
