/**
 * The legend shows the household bounds the API serves for the district on the map (issue 15,
 * defect 4): 300–500 户 by default; after an admin sets the district to 250–600 through
 * PUT /api/settings/household-bounds, a signed-in reader's legend says 250–600 户, in both
 * languages. Real Chromium against a real server with the demo district.
 */
import { describe, expect, it } from 'vitest';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';

const DISTRICT = '131002000000';

describe('household bounds in the legend, in Chromium', () => {
  const env = useServerAndBrowser();

  it('shows the default bounds, then the district\'s own after an admin changes them', { timeout: 180_000 }, async () => {
    const legend = async (page: import('playwright-core').Page) => {
      await page.waitForSelector('#band-legend[data-bounds]:not([data-bounds=""])');
      return page.$$eval('#band-legend li', (items) => items.map((li) => li.textContent?.trim()));
    };
    const first = await openApp(env.browser(), env.server().url);
    await signIn(first.page, 'planner');
    expect(await legend(first.page)).toEqual(['少于 300 户', '300–500 户', '多于 500 户', '商务楼宇 / 商圈 / 市场']);
    await first.page.close();

    const admin = await sessionCookie(env.server().url, 'admin');
    const put = await httpClient(env.server().url).put('/api/settings/household-bounds', { cookie: admin, body: { district: DISTRICT, min: 250, max: 600 } });
    expect(put.status).toBe(200);

    const { page, foreign, pageErrors } = await openApp(env.browser(), env.server().url);
    await signIn(page, 'planner');
    await expect.poll(() => legend(page)).toEqual(['少于 250 户', '250–600 户', '多于 600 户', '商务楼宇 / 商圈 / 市场']);
    expect(await page.getAttribute('#band-legend', 'data-bounds')).toBe('250-600');
    await page.click('#lang-switch');
    await expect.poll(() => legend(page)).toEqual(['Under 250', '250–600', 'Over 600', 'Commercial building / district / market']);
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
