/**
 * Names with HTML in them are stored as given and shown as text. A grid is renamed (in SQL, as
 * a careless import would leave it) to `<img src=x onerror=…>` and a station to `<script>…`;
 * the map's details card and tooltip, the finder's station card and the OGC HTML pages must
 * show both literally and run neither. A `securitypolicyviolation` listener, installed before
 * any page script, must record nothing in this normal use — and does record an inline script
 * injected on purpose (so the listener and the CSP are really there).
 */
import * as turf from '@turf/turf';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GridCollection, GridFeature } from '../../common/contracts/grids.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';

const DISTRICT = '131002000000';
const GRID_NAME = '<img src=x onerror="window.__xss=1">';
const STATION_NAME = '<script>window.__xss=2</script>';

declare global {
  interface Window {
    __xss?: number;
    __csp?: string[];
    __inline?: number;
  }
}

async function watchedContext(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp!.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}

const insidePoint = (grid: GridFeature): [number, number] => {
  const c = turf.centroid(grid);
  return (turf.booleanPointInPolygon(c, grid) ? c : turf.pointOnFeature(grid)).geometry.coordinates as [number, number];
};

/** Screen position (page pixels) of a lon/lat, or null when off the map. */
const screenAt = (page: Page, lonLat: [number, number]) =>
  page.evaluate(([lon, lat]) => {
    const box = document.getElementById('map')!.getBoundingClientRect();
    const { x, y } = window.__wangge!.project(lon, lat);
    // Clear of the search box (top left), the zoom buttons and the details card (right, 340 px wide).
    if (x < 60 || y < 60 || x > box.width - 420 || y > box.height - 60) return null;
    return { x: x + box.left, y: y + box.top };
  }, lonLat);

const safe = async (page: Page) => ({
  xss: await page.evaluate(() => window.__xss),
  csp: await page.evaluate(() => window.__csp),
});

describe('names with HTML are shown as text and run nothing (Chromium)', () => {
  const env = useServerAndBrowser();

  it(
    'map details and tooltip, finder card, OGC HTML: literal names, no script, no CSP violation',
    { timeout: 240_000 },
    async () => {
      const base = env.server().url;
      const db = env.server().database.db;
      const stations = (await httpClient(base).get<StationCollection>(`/api/stations?region=${DISTRICT}`)).body;
      const grids = (await httpClient(base).get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body;
      const stationPoints = stations.features.map((s) => s.geometry.coordinates as [number, number]);
      const context = await env.browser().newContext({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
      await watchedContext(context);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(base);
      await page.waitForSelector('body[data-layers-ready="1"]', { timeout: 60_000 });

      // The grid and station clearest of others on screen, so clicks and hovers land on them.
      // Only points where the map itself takes the click: not under the search box, a card or the legend.
      const px = async (p: [number, number]) => {
        const at = await screenAt(page, p);
        if (!at) return at;
        const onMap = await page.evaluate(
          ([x, y]) => document.elementFromPoint(x, y)?.classList.contains('maplibregl-canvas') ?? false,
          [at.x, at.y] as [number, number],
        );
        return onMap ? at : null;
      };
      const stationPx = await Promise.all(stationPoints.map(px));
      const clearance = (at: { x: number; y: number }, skip = -1) =>
        Math.min(...stationPx.map((s, i) => (s && i !== skip ? Math.hypot(s.x - at.x, s.y - at.y) : Infinity)));
      let grid: { code: string; at: { x: number; y: number }; room: number } | undefined;
      for (const g of grids.features) {
        const at = await px(insidePoint(g));
        if (at && (!grid || clearance(at) > grid.room)) grid = { code: g.properties.code, at, room: clearance(at) };
      }
      let station: { code: string; at: { x: number; y: number }; room: number } | undefined;
      stationPx.forEach((at, i) => {
        if (at && (!station || clearance(at, i) > station.room))
          station = { code: stations.features[i]!.properties.code, at, room: clearance(at, i) };
      });
      expect(grid && station, 'a grid and a station on screen').toBeTruthy();
      await sql`UPDATE grids SET name = ${GRID_NAME} WHERE code = ${grid!.code}`.execute(db);
      await sql`UPDATE stations SET name = ${STATION_NAME} WHERE code = ${station!.code}`.execute(db);
      await page.reload();
      await page.waitForSelector('body[data-layers-ready="1"]', { timeout: 60_000 });
      await signIn(page, 'planner');

      // The grid: details card and tooltip.
      await page.mouse.click(grid!.at.x, grid!.at.y);
      await expect.poll(() => page.textContent('#detail-grid-code'), { timeout: 15_000 }).toBe(grid!.code);
      expect(await page.textContent('#details h2')).toBe(GRID_NAME);
      expect(await page.locator('#details img, #map-tooltip img').count()).toBe(0);
      await page.mouse.move(grid!.at.x + 2, grid!.at.y + 2);
      await expect.poll(() => page.textContent('#map-tooltip')).toContain(GRID_NAME);

      // The station: details card and tooltip.
      await page.mouse.click(station!.at.x, station!.at.y);
      await expect.poll(() => page.textContent('#details h2'), { timeout: 15_000 }).toBe(STATION_NAME);
      await page.mouse.move(station!.at.x + 1, station!.at.y);
      await expect.poll(() => page.textContent('#map-tooltip')).toContain(STATION_NAME);
      expect(await page.locator('#details script').count()).toBe(0);
      expect(await safe(page)).toEqual({ xss: undefined, csp: [] });

      // The finder's station card (a shared link opens it) and the OGC HTML pages.
      const find = await context.newPage();
      find.on('pageerror', (e) => pageErrors.push(e.message));
      await find.goto(`${base}/find?station=${station!.code}`);
      await expect.poll(() => find.textContent('body'), { timeout: 30_000 }).toContain(STATION_NAME);
      expect(await safe(find)).toEqual({ xss: undefined, csp: [] });
      for (const path of [
        `/ogc/collections/grids/items/${grid!.code}?f=html`,
        `/ogc/collections/stations/items/${station!.code}?f=html`,
        '/ogc/collections/stations/items?f=html&limit=1000',
      ]) {
        const ogc = await context.newPage();
        await ogc.goto(base + path);
        expect(await ogc.textContent('body'), path).toMatch(/<img src=x onerror|<script>window\.__xss=2<\/script>/);
        expect(await safe(ogc), path).toEqual({ xss: undefined, csp: [] });
        await ogc.close();
      }
      // The API docs page under the same policy.
      const docs = await context.newPage();
      await docs.goto(`${base}/api/docs`);
      await docs.waitForSelector('.opblock', { timeout: 30_000 });
      expect(await safe(docs)).toEqual({ xss: undefined, csp: [] });

      // Control: an inline script injected on purpose is blocked and reported.
      await docs.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
      });
      await expect.poll(() => docs.evaluate(() => window.__csp!.length)).toBe(1);
      expect(await docs.evaluate(() => window.__inline)).toBeUndefined();
      expect((await docs.evaluate(() => window.__csp))![0]).toMatch(/^script-src/);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});
