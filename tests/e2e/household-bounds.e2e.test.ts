/**
 * The legend shows the household bounds the API serves for the district on the map (issue 15,
 * defect 4): 300–500 户 by default; after an admin sets the district to 250–600 through
 * PUT /api/settings/household-bounds, a signed-in reader's legend says 250–600 户, in both
 * languages. With the district at 100–2,000 (issue 16), the editor's live preview of a grid
 * the default would call too full (or too empty) colours it ok, by the bounds the API served.
 * Real Chromium against a real server with the demo district.
 */
import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { openApp, signIn, signInAndStartDraft, useServerAndBrowser, zoomToRing } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const DISTRICT = '131002000000';
const STREET = '131002003000'; // editor-003's

/** PUT the district's bounds as admin. */
async function putBounds(url: string, min: number, max: number): Promise<void> {
  const admin = await sessionCookie(url, 'admin');
  const res = await httpClient(url).put('/api/settings/household-bounds', {
    cookie: admin,
    body: { district: DISTRICT, min, max },
  });
  expect(res.status).toBe(200);
}

describe('household bounds in the legend, in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    "shows the default bounds, then the district's own after an admin changes them",
    { timeout: 180_000 },
    async () => {
      const legend = async (page: import('playwright-core').Page) => {
        await page.waitForSelector('#band-legend[data-bounds]:not([data-bounds=""])');
        return page.$$eval('#band-legend li', (items) => items.map((li) => li.textContent?.trim()));
      };
      const first = await openApp(env.browser(), env.server().url);
      await signIn(first.page, 'planner');
      expect(await legend(first.page)).toEqual(['少于 300 户', '300–500 户', '多于 500 户', '商务楼宇 / 商圈 / 市场']);
      await first.page.close();

      const admin = await sessionCookie(env.server().url, 'admin');
      const put = await httpClient(env.server().url).put('/api/settings/household-bounds', {
        cookie: admin,
        body: { district: DISTRICT, min: 250, max: 600 },
      });
      expect(put.status).toBe(200);

      const { page, foreign, pageErrors } = await openApp(env.browser(), env.server().url);
      await signIn(page, 'planner');
      await expect
        .poll(() => legend(page))
        .toEqual(['少于 250 户', '250–600 户', '多于 600 户', '商务楼宇 / 商圈 / 市场']);
      expect(await page.getAttribute('#band-legend', 'data-bounds')).toBe('250-600');
      await page.click('#lang-switch');
      await expect
        .poll(() => legend(page))
        .toEqual(['Under 250', '250–600', 'Over 600', 'Commercial building / district / market']);
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );

  it('at 100–2,000 the live preview colours a grid ok that the default would not', { timeout: 180_000 }, async () => {
    const url = env.server().url;
    await putBounds(url, 100, 2_000);
    try {
      // A one-ring residential grid of the street outside the default 300–500.
      const grid = (await plannerGrids(url, STREET)).features
        .filter(
          (f) =>
            f.properties.kind === 'residential' &&
            f.geometry.coordinates.length === 1 &&
            f.geometry.coordinates[0]!.length === 1,
        )
        .filter((f) => f.properties.households! < 300 || f.properties.households! > 500)
        .sort((a, b) => Math.abs(b.properties.households! - 400) - Math.abs(a.properties.households! - 400))[0];
      expect(grid, 'a grid outside 300–500 in the street').toBeDefined();
      const ring = grid!.geometry.coordinates[0]![0]!;
      const polygon: Polygon = { type: 'Polygon', coordinates: [ring] };
      const [insideLon, insideLat] = turf.pointOnFeature(polygon).geometry.coordinates as [number, number];
      const vertex = ring.reduce((east, p) => (p[0]! > east[0]! ? p : east));

      const { page, pageErrors } = await openApp(env.browser(), url);
      await signInAndStartDraft(page, 'editor-003');
      const screen = await zoomToRing(page, ring);
      const inside = await screen(insideLon, insideLat);
      await page.mouse.click(inside.x, inside.y);
      await expect
        .poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 })
        .toContain(grid!.properties.code);

      // Drag its easternmost vertex a little further east: the preview tallies the outline.
      await page.click('#tool-reshape');
      const from = await screen(vertex[0]!, vertex[1]!);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let step = 1; step <= 4; step++) await page.mouse.move(from.x + step * 3, from.y);
      await page.mouse.up();
      const tally = await page.waitForSelector('#editor-running .edit-tally', { timeout: 15_000 });
      const households = Number((await page.textContent('#editor-running .tally-households'))!.replace(/[^\d]/g, ''));
      // Outside the default band, inside the district's: ok, and labelled with the served bounds.
      expect(households < 300 || households > 500, `${households} households`).toBe(true);
      expect(await tally.getAttribute('data-band')).toBe('ok');
      expect(await page.textContent('#editor-running .edit-tally .muted')).toBe('100–2000 户');
      await page.click('#editor-cancel');
      expect(pageErrors).toEqual([]);
      await page.close();
    } finally {
      await putBounds(url, 300, 500);
    }
  });
});
