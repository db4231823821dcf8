/**
 * The residents' station finder (/find) on a phone in a real Chromium against a real server
 * with the demo district: a fixed geolocation inside a known grid gives that grid, its worker
 * (its phone only when published) and the same nearest stations as GET /api/public/locate;
 * the kind filter, the share link, a pinyin-initials search, a tap on the map and the English
 * switch work; nothing is fetched from outside the origin.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/find*.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type {
  PublicCommunityCard,
  PublicLocateResponse,
  PublicNearestResponse,
  PublicSearchResponse,
} from '../../common/contracts/public.ts';
import { formatDistance } from '../../client/find/find-format.ts';
import { pinyinInitials } from '../../server/public/search.ts';
import { useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';

const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};

interface FindHandle {
  project(lon: number, lat: number): { x: number; y: number };
  unproject(x: number, y: number): { lon: number; lat: number };
  idle(): Promise<void>;
}
declare global {
  interface Window {
    __find?: FindHandle;
  }
}

interface Watched {
  page: Page;
  foreign: string[];
  pageErrors: string[];
}

async function openFind(context: BrowserContext, baseUrl: string, path = '/find'): Promise<Watched> {
  const page = await context.newPage();
  const { foreign, pageErrors } = watchPage(page, baseUrl);
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('body[data-find-ready="1"]');
  return { page, foreign, pageErrors };
}

function screenshot(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return `${RESULTS}/${name}`;
}
function publish(name: string): void {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(`${RESULTS}/${name}`, `${DOCS}/${name}`);
}

async function answers(page: Page): Promise<number> {
  return Number((await page.getAttribute('body', 'data-answers')) ?? 0);
}
const listedCodes = (page: Page) =>
  page.$$eval('#stations .station', (items) => items.map((li) => (li as HTMLElement).dataset.code));

describe('station finder in Chromium on a phone', () => {
  const env = useServerAndBrowser();
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await httpClient(env.server().url).get<T>(path);
    expect(response.status, path).toBe(200);
    return response.body as T;
  };

  it('locates, filters, shares, searches and taps the map', { timeout: 240_000 }, async () => {
    const base = env.server().url;
    // A grid whose full-time worker's number is not published: the page must not dial it.
    const { rows } = await sql<{ code: string; name: string; lon: number; lat: number }>`
      SELECT g.code, g.name, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT code, name, ST_PointOnSurface(geom) AS p FROM grids) g
      WHERE EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time' AND NOT w.phone_public)
        AND NOT EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time' AND w.phone_public)
      ORDER BY g.code LIMIT 1`.execute(env.server().database.db);
    const grid = rows[0]!;
    expect(grid, 'a demo grid with an unpublished worker phone').toBeDefined();
    const point = { lon: Number(grid.lon), lat: Number(grid.lat) };
    const expected = await getJson<PublicLocateResponse>(
      `/api/public/locate?lon=${point.lon.toFixed(6)}&lat=${point.lat.toFixed(6)}&crs=wgs84`,
    );
    expect(expected.grid?.code).toBe(grid.code);
    expect(expected.worker?.phone).toBeNull();
    expect(expected.stations).toHaveLength(5);

    const context = await env.browser().newContext({
      ...PHONE,
      geolocation: { longitude: point.lon, latitude: point.lat },
      permissions: ['geolocation'],
    });
    const { page, foreign, pageErrors } = await openFind(context, base);
    await expect.poll(() => page.textContent('#locate')).toContain('定位我');

    // 定位我: the grid, its worker (an unpublished phone is not shown at all), its party organisation, the nearest stations.
    await page.tap('#locate');
    await page.waitForSelector('body[data-answers="1"]', { timeout: 30_000 });
    expect(await page.textContent('#grid-name')).toBe(expected.grid!.name);
    expect(await page.textContent('#community')).toContain(expected.community!.name);
    expect(await page.textContent('#worker')).toContain(expected.worker!.name);
    expect(await page.textContent('#worker')).toContain('号码未公开');
    expect(await page.locator('#worker a[href^="tel:"]').count()).toBe(0);
    expect(await page.textContent('#party-org')).toBe(expected.partyOrg ? expected.partyOrg.name : '暂未建立');
    expect(await page.textContent('#where-eyebrow')).toBe('所在网格'); // where you stand
    expect(await listedCodes(page)).toEqual(expected.stations.map((s) => s.code));
    const nearest = expected.stations[0]!;
    const first = page.locator('#stations .station').first();
    expect(await first.locator('.station-name').textContent()).toBe(nearest.name);
    expect(await first.locator('.station-distance').textContent()).toContain(formatDistance(nearest.distanceM, 'zh'));
    expect(await first.locator('.station-distance').textContent()).toContain(`步行约 ${nearest.walkMin} 分钟`);
    expect(await first.locator('.open').textContent()).toBe(
      { true: '营业中', false: '已关门', null: '时间未知' }[String(nearest.openNow)],
    );

    // The map arrives after the answer, with the line to the (pre-selected) nearest station.
    await page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
    expect(await page.textContent('.map-line-label')).toBe(`直线 ${formatDistance(nearest.distanceM, 'zh')}`);
    // The outline of the grid you are in (GET /api/public/grids/:code) is drawn under the stations.
    await page.waitForSelector(`body[data-grid-outline="${expected.grid!.code}"]`, { timeout: 30_000 });
    await page.evaluate(() => window.__find!.idle());
    await page.screenshot({ path: screenshot('find.png') });
    publish('find.png');

    // Kind filter: only red rest stations, the same ones the API lists; their six services have icons.
    const red = await getJson<PublicNearestResponse>(
      `/api/public/stations/nearest?lon=${point.lon.toFixed(6)}&lat=${point.lat.toFixed(6)}&kind=red_post&limit=5`,
    );
    await page.tap('.chip[data-kind="red_post"]');
    await expect.poll(() => listedCodes(page)).toEqual(red.stations.map((s) => s.code));
    expect(
      await page.$$eval('#stations .station', (items) =>
        items.every((li) => (li as HTMLElement).dataset.kind === 'red_post'),
      ),
    ).toBe(true);
    expect(await page.locator('#stations .station').first().locator('.svc.six svg').count()).toBe(6);
    await page.screenshot({ path: screenshot('find-red-post.png') });
    publish('find-red-post.png');
    await page.tap('.chip[data-kind=""]');
    await expect.poll(() => listedCodes(page)).toEqual(expected.stations.map((s) => s.code));

    // Choose the second station: the line and the share link follow.
    const second = expected.stations[1]!;
    await page.tap(`#stations .station[data-code="${second.code}"] .station-head`);
    expect(await page.inputValue('#share-url')).toBe(`${base}/find?station=${second.code}`);
    expect(await page.textContent('.map-line-label')).toContain(formatDistance(second.distanceM, 'zh'));
    await page.evaluate(() => window.__find!.idle());
    await page.screenshot({ path: screenshot('find-station.png') });
    publish('find-station.png');

    // The share link opens that station and centres on it.
    const shared = await openFind(context, base, `/find?station=${second.code}`);
    await shared.page.waitForSelector(`#shared-station .station.selected[data-code="${second.code}"]`);
    expect(await shared.page.textContent('#shared-station .station-name')).toBe(second.name);
    await shared.page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
    const centre = await shared.page.evaluate(({ lon, lat }) => window.__find!.project(lon, lat), second);
    const mapBox = (await shared.page.locator('#map').boundingBox())!;
    expect(centre.x).toBeGreaterThan(0);
    expect(centre.x).toBeLessThan(mapBox.width);
    expect(centre.y).toBeGreaterThan(0);
    // …above the bottom sheet, where it can be seen.
    const sheetTop = (await shared.page.locator('#sheet').boundingBox())!.y;
    expect(centre.y).toBeLessThan(sheetTop - mapBox.y);
    expect(shared.foreign).toEqual([]);
    expect(shared.pageErrors).toEqual([]);
    await shared.page.close();

    // Search by the community's pinyin initials, pick the community: its card lists its grids and
    // claims no 所在网格 (the resident is not standing in the community's centre).
    const initials = pinyinInitials(expected.community!.name).slice(0, 4);
    const hits = await getJson<PublicSearchResponse>(`/api/public/search?q=${initials}`);
    const hit = hits.hits.find((h) => h.type === 'community' && h.code === expected.community!.code);
    expect(hit, `search ${initials} finds ${expected.community!.name}`).toBeDefined();
    const before = await answers(page);
    await page.fill('#q', initials);
    await page.waitForSelector('.hit');
    await page.screenshot({ path: screenshot('find-search.png') });
    await page.tap(`.hit[data-type="community"][data-code="${hit!.code}"]`);
    await page.waitForSelector(`#community-card[data-code="${hit!.code}"]`);
    const card = await getJson<PublicCommunityCard>(`/api/public/communities/${hit!.code}`);
    expect(await page.textContent('#community-name')).toBe(card.name);
    expect(
      await page.$$eval('#community-grids .grid-pick', (els) => els.map((e) => (e as HTMLElement).dataset.code)),
    ).toEqual(card.grids.map((g) => g.code));
    expect(await page.locator('#grid-name').count()).toBe(0);
    expect(await page.textContent('#sheet')).not.toContain('所在网格');
    expect(await answers(page)).toBe(before);

    // A tap on the map (upper part, above the sheet) locates that point.
    await page.evaluate(() => window.__find!.idle());
    const mapBox2 = (await page.locator('#map').boundingBox())!;
    const tapAt = { x: mapBox2.width / 2 - 40, y: 70 };
    const tapped = await page.evaluate(({ x, y }) => window.__find!.unproject(x, y), tapAt);
    const afterSearch = await answers(page);
    await page.touchscreen.tap(mapBox2.x + tapAt.x, mapBox2.y + tapAt.y);
    await expect.poll(() => answers(page)).toBe(afterSearch + 1);
    const atTap = await getJson<PublicLocateResponse>(
      `/api/public/locate?lon=${tapped.lon.toFixed(6)}&lat=${tapped.lat.toFixed(6)}`,
    );
    expect(await listedCodes(page)).toEqual(atTap.stations.map((s) => s.code));
    // A tapped point is a place, not where you stand.
    if (atTap.grid) expect(await page.textContent('#where-eyebrow')).toBe('该位置所在网格');

    // English, remembered across a reload.
    await page.tap('#lang-switch');
    await expect.poll(() => page.textContent('#locate')).toContain('Locate me');
    expect(await page.textContent('.nearest h3')).toBe('Stations near this place');
    await page.screenshot({ path: screenshot('find-en.png') });
    await page.reload();
    await page.waitForSelector('body[data-find-ready="1"]');
    expect(await page.textContent('#locate')).toContain('Locate me');
    await page.tap('#lang-switch');
    await expect.poll(() => page.textContent('#locate')).toContain('定位我');

    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it(
    'says plainly when you are outside every grid and still lists the nearest stations (desktop layout)',
    { timeout: 120_000 },
    async () => {
      // South-west of the demo district's extent (116.6–116.8, 39.43–39.56).
      const point = { lon: 116.58, lat: 39.41 };
      const expected = await getJson<PublicLocateResponse>(
        `/api/public/locate?lon=${point.lon.toFixed(6)}&lat=${point.lat.toFixed(6)}`,
      );
      expect(expected.grid).toBeNull();
      expect(expected.stations.length).toBeGreaterThan(0);
      const context = await env.browser().newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
        geolocation: { longitude: point.lon, latitude: point.lat },
        permissions: ['geolocation'],
      });
      // /find/ (trailing slash) loads its assets from the root too.
      const { page, foreign, pageErrors } = await openFind(context, env.server().url, '/find/');
      await page.click('#locate');
      await page.waitForSelector('body[data-answers="1"]', { timeout: 30_000 });
      expect(await page.textContent('#outside')).toBe('这里不在任何网格内，仍为您列出最近的服务站。');
      expect(await page.locator('#grid-name, #worker').count()).toBe(0);
      expect(await listedCodes(page)).toEqual(expected.stations.map((s) => s.code));
      // Wide screens: the card beside the map, not over it.
      await page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
      const sheetBox = (await page.locator('#sheet').boundingBox())!;
      const mapBox = (await page.locator('#map').boundingBox())!;
      expect(mapBox.x).toBeGreaterThanOrEqual(sheetBox.x + sheetBox.width - 1);
      await page.evaluate(() => window.__find!.idle());
      await page.screenshot({ path: screenshot('find-desktop.png') });
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );

  it('fits a 360×640 phone and says plainly when location is refused', { timeout: 120_000 }, async () => {
    const context = await env.browser().newContext({ ...PHONE, viewport: { width: 360, height: 640 } });
    const { page, foreign, pageErrors } = await openFind(context, env.server().url);
    // No permission granted: the page says what to do and offers the map instead.
    await page.tap('#locate');
    await expect.poll(() => page.textContent('#status')).toContain('定位失败：请允许定位权限，或点地图选择位置');
    await page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Every control a thumb must hit is at least 44 px tall.
    const small = await page.$$eval('button, a[href], input', (elements) =>
      elements
        .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('.hits'))
        .map((e) => ({ id: e.id || e.className, h: e.getBoundingClientRect().height }))
        .filter((e) => e.h < 44),
    );
    expect(small).toEqual([]);
    await page.screenshot({ path: screenshot('find-360.png') });
    publish('find-360.png');

    // Over the per-address limit (this process and the browser share 127.0.0.1): a plain 429 message.
    // This uses up the server's limit for a minute, so it stays the last step of the file.
    let limited = false;
    for (let i = 0; i < 5_000 && !limited; i++) {
      const response = await httpClient(env.server().url).get('/api/public/search?q=lj');
      limited = response.status === 429;
    }
    expect(limited).toBe(true);
    await page.fill('#q', 'lj');
    await page.press('#q', 'Enter');
    await expect.poll(() => page.textContent('#status')).toContain('查询过于频繁，请稍后再试');
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
