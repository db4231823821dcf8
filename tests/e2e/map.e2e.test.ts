/**
 * The map app in a real Chromium against a real server with the demo district: the grids
 * render, a click on a grid opens its details, the language switch works, and the page
 * fetches nothing from outside its own origin.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes the README screenshots in docs/screenshots/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GridCollection, GridFeature } from '../../common/contracts/grids.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { GRID_CODE } from '../../common/domain.ts';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';

const DISTRICT = '131002000000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

/** A point well inside the grid: its centroid when that lies inside, else a point on its surface. */
function insidePoint(grid: GridFeature): [number, number] {
  const centroid = turf.centroid(grid);
  const point = turf.booleanPointInPolygon(centroid, grid) ? centroid : turf.pointOnFeature(grid);
  const [lon, lat] = point.geometry.coordinates;
  return [lon!, lat!];
}

/**
 * The grid whose inside point lies farthest (on screen) from any station circle, so the click
 * lands on the grid and not on a station drawn over it.
 */
async function pickClickableGrid(page: Page, grids: GridCollection, stations: StationCollection) {
  const candidates = grids.features.map((grid) => ({ code: grid.properties.code, lonLat: insidePoint(grid) }));
  const stationPoints = stations.features.map((s) => s.geometry.coordinates as [number, number]);
  return page.evaluate(
    ({ candidates, stationPoints }) => {
      const handle = window.__wangge!;
      const container = document.getElementById('map')!.getBoundingClientRect();
      const stationsPx = stationPoints.map(([lon, lat]) => handle.project(lon, lat));
      let best: { code: string; x: number; y: number; clearance: number } | null = null;
      for (const { code, lonLat } of candidates) {
        const { x, y } = handle.project(lonLat[0], lonLat[1]);
        // Stay clear of the edges, the zoom buttons (top right) and the status line (bottom left).
        if (x < 60 || y < 60 || x > container.width - 120 || y > container.height - 60) continue;
        const clearance = Math.min(...stationsPx.map((s) => Math.hypot(s.x - x, s.y - y)));
        if (!best || clearance > best.clearance)
          best = { code, x: x + container.left, y: y + container.top, clearance };
      }
      return best;
    },
    { candidates, stationPoints },
  );
}

describe('map app in Chromium', () => {
  const env = useServerAndBrowser();

  it('renders every grid, opens a grid on click and switches to English', { timeout: 180_000 }, async () => {
    const grids = (await httpClient(env.server().url).get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body;
    const stations = (await httpClient(env.server().url).get<StationCollection>(`/api/stations?region=${DISTRICT}`))
      .body;
    expect(grids.features.length).toBeGreaterThan(300);

    const { page, foreign, pageErrors } = await openApp(env.browser(), env.server().url, 'data-map-ready');
    expect(Number(await page.textContent('#grid-count'))).toBe(grids.features.length);
    const config = (await httpClient(env.server().url).get<{ demo: boolean }>('/api/config')).body;
    expect(await page.isVisible('#demo-badge')).toBe(config.demo);
    await expect.poll(() => page.textContent('#status')).toContain('显示');
    // Anonymous: grids in one neutral colour, no household bands in the legend, no 校验.
    expect(await page.getAttribute('body', 'data-households')).toBe('0');
    expect(await page.isVisible('#band-legend')).toBe(false);
    expect(await page.textContent('#legend-sign-in')).toBe('登录后显示户数');
    expect(await page.isVisible('#validate-button')).toBe(false);
    expect(await page.textContent('#region-summary')).not.toContain('户数');
    // Stations and community outlines arrive after the grids.
    await page.waitForSelector('body[data-layers-ready="1"]', { timeout: 30_000 });
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}/map.png` });

    const target = await pickClickableGrid(page, grids, stations);
    expect(target, 'a grid inside the viewport').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    const code = page.locator('#detail-grid-code');
    await code.waitFor({ timeout: 15_000 });
    expect(await code.textContent()).toMatch(GRID_CODE);
    expect(await code.textContent()).toBe(target!.code);
    await expect.poll(() => page.textContent('#details')).toMatch(/网格员|暂无登记/);
    expect(await page.textContent('#detail-households-hidden')).toBe('登录后显示户数');
    expect(await page.textContent('#details')).not.toContain('人口');
    await page.screenshot({ path: `${RESULTS}/grid-details.png` });

    // Party coverage mode counts the grids without a grid-level party organisation.
    await page.click('#coverage-toggle');
    const uncovered = grids.features.filter((grid) => grid.properties.party_orgs.length === 0).length;
    await expect.poll(() => page.textContent('#uncovered-count')).toContain(String(uncovered));
    await page.screenshot({ path: `${RESULTS}/coverage.png` });

    // A street in the region tree: the summary shows its figures.
    const street = page.locator('.tree .tree .tree-name').first();
    const streetName = (await street.textContent()) ?? '';
    await street.click();
    await expect.poll(() => page.textContent('#region-summary')).toContain(streetName);

    await page.click('#lang-switch');
    await expect.poll(() => page.textContent('#app-title')).toBe('Grid management · Anci District');
    expect(await page.textContent('#status')).toContain(`Showing ${grids.features.length} grids`);
    await page.screenshot({ path: `${RESULTS}/map-en.png` });
    // The choice of language survives a reload.
    await page.reload();
    await page.waitForSelector('body[data-map-ready="1"]', { timeout: 60_000 });
    expect(await page.textContent('#app-title')).toBe('Grid management · Anci District');

    // Signed in, the same page shows the household bands, the region's households and 校验.
    await signIn(page, 'planner');
    await page.waitForSelector('#band-legend');
    expect(await page.isVisible('#legend-sign-in')).toBe(false);
    await expect.poll(() => page.textContent('#region-summary')).toContain('Households');
    expect(await page.isVisible('#validate-button')).toBe(true);

    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(`${RESULTS}/map.png`, `${DOCS}/map-zh.png`);
      copyFileSync(`${RESULTS}/grid-details.png`, `${DOCS}/grid-details.png`);
      copyFileSync(`${RESULTS}/coverage.png`, `${DOCS}/party-coverage.png`);
    }
    expect(foreign, 'requests outside the app origin').toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
