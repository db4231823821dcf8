/**
 * Search in a real Chromium against a real server with the demo district: full pinyin in the
 * main app's search box flies the map to the result; an address in /find shows the grid that
 * address lies in (as a place, 该位置所在网格); /find?grid=CODE (the printed board's QR code)
 * shows that grid's card without asking for the location. Places are looked up from the API and
 * the database, never hard-coded.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/find-grid.png and search.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PublicSearchResponse } from '../../common/contracts/public.ts';
import { openApp, useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';

const RESULTS = 'test-results';
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};

function screenshot(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return `${RESULTS}/${name}`;
}
function publish(name: string): void {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync('docs/screenshots', { recursive: true });
  copyFileSync(`${RESULTS}/${name}`, `docs/screenshots/${name}`);
}

const mapCentre = (page: Page) =>
  page.evaluate(() => {
    const map = window.__wangge!.map as { getCenter(): { lng: number; lat: number } };
    const { lng, lat } = map.getCenter();
    return { lon: lng, lat };
  });

/** Counts calls to the Geolocation API, so a test can tell that a page never asked for the location. */
const COUNT_GEOLOCATION = `
  window.__geoCalls = 0;
  for (const name of ['getCurrentPosition', 'watchPosition']) {
    const original = navigator.geolocation[name].bind(navigator.geolocation);
    navigator.geolocation[name] = (...args) => { window.__geoCalls++; return original(...args); };
  }`;

describe('search in Chromium', () => {
  const env = useServerAndBrowser();
  const db = () => env.server().database.db;
  const search = async (q: string) => {
    const res = await httpClient(env.server().url).get<PublicSearchResponse>(
      `/api/public/search?q=${encodeURIComponent(q)}&limit=50`,
    );
    expect(res.status).toBe(200);
    return res.body.hits;
  };

  it(
    'full pinyin in the main app: the list is keyboard-driven and the map flies to the pick',
    { timeout: 180_000 },
    async () => {
      const { page, foreign, pageErrors } = await openApp(env.browser(), env.server().url);
      await page.setViewportSize({ width: 1366, height: 768 });
      expect(await page.getAttribute('#map-search-input', 'placeholder')).toBe('搜索网格、社区、小区、道路、门牌…');
      const [best] = await search('yucai');
      expect(best).toMatchObject({ type: 'community', name: '育才社区' });
      const [w, s, e, n] = best!.bbox!;
      // Start away from the community, so flying there is something the test can see.
      await page.evaluate(
        ([lon, lat]) =>
          (window.__wangge!.map as { jumpTo(o: { center: [number, number] }): void }).jumpTo({ center: [lon, lat] }),
        [e + (e - w) * 2, n + (n - s) * 2] as [number, number],
      );
      const before = await mapCentre(page);
      expect(before.lon >= w && before.lon <= e && before.lat >= s && before.lat <= n).toBe(false);

      await page.click('#map-search-input');
      await page.keyboard.type('yucai');
      await page.waitForSelector('#map-search-hits:not([hidden]) .map-search-hit');
      expect(await page.getAttribute('#map-search-hits .map-search-hit >> nth=0', 'data-code')).toBe(best!.code);
      // ↓ ↓ ↑ comes back to the first hit; Enter picks it.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      expect(await page.getAttribute('#map-search-input', 'aria-activedescendant')).toBe('map-search-hit-0');
      expect(await page.getAttribute('#map-search-hit-0', 'aria-selected')).toBe('true');
      await page.screenshot({ path: screenshot('search.png') });
      publish('search.png');
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('body', 'data-search-picked')).toBe(`community:${best!.code}`);
      expect(await page.isHidden('#map-search-hits')).toBe(true);
      // The map centre moves into the community's box, and the community is selected.
      await expect
        .poll(
          async () => {
            const c = await mapCentre(page);
            return c.lon >= w && c.lon <= e && c.lat >= s && c.lat <= n;
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      await expect.poll(() => page.textContent('#region-summary')).toContain('育才社区');
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );

  it('an address in /find shows the grid it lies in, as a place (该位置所在网格)', { timeout: 120_000 }, async () => {
    // A station address and the grid holding the station, from the database.
    const { rows } = await sql<{ code: string; address: string; grid: string; grid_name: string }>`
      SELECT s.code, s.address, g.code AS grid, g.name AS grid_name FROM stations s
      JOIN LATERAL (SELECT code, name FROM grids g WHERE ST_Intersects(g.geom, s.geom) ORDER BY code LIMIT 1) g ON true
      WHERE s.address <> '' ORDER BY s.code LIMIT 1`.execute(db());
    const place = rows[0]!;
    expect(place, 'a station with an address inside a grid').toBeDefined();
    const hit = (await search(place.address)).find((h) => h.type === 'address' && h.code === place.code);
    expect(hit).toBeDefined();

    const context = await env.browser().newContext(PHONE);
    const page = await context.newPage();
    const { foreign, pageErrors } = watchPage(page, env.server().url);
    await page.goto(`${env.server().url}/find`);
    await page.waitForSelector('body[data-find-ready="1"]');
    await page.fill('#q', place.address);
    await page.press('#q', 'Enter');
    await page.tap(`.hit[data-type="address"][data-code="${place.code}"]`);
    await page.waitForSelector(`#grid-name[data-code="${place.grid}"]`, { timeout: 30_000 });
    expect(await page.textContent('#grid-name')).toBe(place.grid_name);
    expect(await page.textContent('#where-eyebrow')).toBe('该位置所在网格');
    expect(await page.textContent('.nearest h3')).toBe('该位置附近的服务站');
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it(
    '/find?grid=CODE shows that grid without asking for the location, and says 暂未建立 when it has no party organisation',
    { timeout: 120_000 },
    async () => {
      const { rows } = await sql<{ code: string; name: string; community: string }>`
      SELECT g.code, g.name, c.name AS community FROM grids g JOIN regions c ON c.code = g.community_code
      WHERE NOT EXISTS (SELECT 1 FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
        WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group'))
      ORDER BY g.code LIMIT 1`.execute(db());
      const grid = rows[0]!;
      expect(grid, 'the demo has a grid without a party organisation').toBeDefined();
      const context = await env.browser().newContext(PHONE); // no geolocation permission granted
      await context.addInitScript(COUNT_GEOLOCATION);
      const page = await context.newPage();
      const { foreign, pageErrors } = watchPage(page, env.server().url);
      await page.goto(`${env.server().url}/find?grid=${grid.code}`);
      await page.waitForSelector(`body[data-grid-card="${grid.code}"]`, { timeout: 30_000 });
      expect(await page.getAttribute('#grid-name', 'data-code')).toBe(grid.code);
      expect(await page.textContent('#grid-name')).toBe(grid.name);
      expect(await page.textContent('#community')).toContain(grid.community);
      expect(await page.textContent('#where-eyebrow')).toBe('网格');
      expect(await page.textContent('#party-org')).toBe('暂未建立');
      expect(await page.locator('#stations .station').count()).toBeGreaterThan(0);
      await page.waitForSelector(`body[data-grid-outline="${grid.code}"]`);
      await page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
      await page.evaluate(() => (window as unknown as { __find: { idle(): Promise<void> } }).__find.idle());
      expect(await page.evaluate(() => (window as unknown as { __geoCalls: number }).__geoCalls)).toBe(0);
      expect(page.url()).toContain(`grid=${grid.code}`);
      await page.screenshot({ path: screenshot('find-grid.png') });
      publish('find-grid.png');

      // An unknown grid says so in plain words.
      await page.goto(`${env.server().url}/find?grid=131002999999999`);
      await expect.poll(() => page.textContent('#status')).toContain('没有找到这个网格');
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});
