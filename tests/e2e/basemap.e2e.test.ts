/**
 * The offline base map in Chromium (issue 17): at street zoom the map draws road names along
 * the roads and grid names, in Chinese, with no glyph file and no request leaving the origin
 * (text is drawn in the browser's own fonts); grid labels show households only once signed in.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/basemap-district.png and
 * basemap-street.png (1440×900).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseRoadImport } from '../../server/roads/roads-import.ts';
import { replaceRoads } from '../../server/roads/roads.queries.ts';
import { signIn, useServerAndBrowser, watchPage } from '../helpers/browser.ts';

const DISTRICT = '131002000000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';
const CJK = /[\u4e00-\u9fff]/;
/** A street-zoom view in the middle of the demo district (永华道街道). */
const STREET_VIEW = { center: [116.69, 39.515] as [number, number], zoom: 15.5 };

interface Rendered {
  roadNames: string[];
  gridLabels: { name: string; households: unknown }[];
  communityLabels: number;
  roads: number;
}

/** Jump (or not) and wait until the map has drawn everything, then read what it rendered. */
function rendered(page: Page, view: typeof STREET_VIEW | null): Promise<Rendered> {
  return page.evaluate(async (view) => {
    const map = window.__wangge!.map as MapLibreMap;
    if (view) map.jumpTo(view);
    await new Promise<void>((resolve) => {
      map.once('idle', () => resolve());
      map.triggerRepaint();
    });
    const names = (layer: string) => map.queryRenderedFeatures({ layers: [layer] });
    return {
      roadNames: names('base-road-label').map((f) => String(f.properties.name)),
      gridLabels: names('base-label-grid').map((f) => ({
        name: String(f.properties.name),
        households: f.properties.households,
      })),
      communityLabels: names('base-label-community').length,
      roads: names('base-road').length,
    };
  }, view);
}

describe('offline base map in Chromium', () => {
  const env = useServerAndBrowser();

  it('draws road and grid names in Chinese at street zoom, offline', { timeout: 300_000 }, async () => {
    const server = env.server();
    const db = server.database.db;
    // The demo loads its roads on start once it has them; until then load the demo road file.
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM roads`.execute(db);
    if (rows[0]!.n === 0)
      await replaceRoads(db, DISTRICT, parseRoadImport(JSON.parse(readFileSync('data/demo/roads.geojson', 'utf8'))));

    const page = await env.browser().newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const { foreign, pageErrors } = watchPage(page, server.url);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.url);
    await page.waitForSelector('body[data-layers-ready="1"]', { state: 'attached', timeout: 120_000 });

    // District zoom: community names, drawn over the grids.
    const district = await rendered(page, null);
    expect(district.communityLabels).toBeGreaterThan(10);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}/basemap-district.png` });

    // Street zoom, anonymous: road names along the roads and grid names, all Chinese, no households.
    const street = await rendered(page, STREET_VIEW);
    expect(street.roads).toBeGreaterThan(0);
    expect(street.roadNames.length).toBeGreaterThan(0);
    for (const name of street.roadNames) expect(name).toMatch(CJK);
    expect(street.gridLabels.length).toBeGreaterThan(0);
    for (const label of street.gridLabels) {
      expect(label.name).toMatch(CJK);
      expect(label.households).toBeUndefined();
    }

    // Signed in: the grid labels add the households (the base tiles are fetched again).
    await signIn(page, 'planner');
    await page.waitForFunction(
      () =>
        (window.__wangge!.map as MapLibreMap)
          .queryRenderedFeatures({ layers: ['base-label-grid'] })
          .some((f) => typeof f.properties.households === 'number'),
      undefined,
      { timeout: 60_000 },
    );
    const signedIn = await rendered(page, null);
    expect(signedIn.gridLabels.filter((l) => typeof l.households === 'number').length).toBeGreaterThan(0);
    await page.screenshot({ path: `${RESULTS}/basemap-street.png` });

    // Nothing left the origin, and no glyph or font file was fetched: text is the browser's.
    expect(foreign, 'requests outside the app origin').toEqual([]);
    expect(
      requests.filter((url) => /glyph|fonts?\/|\.(pbf|woff2?|ttf|otf)(\?|$)/.test(url) && !url.includes('/tiles/')),
    ).toEqual([]);
    expect(requests.some((url) => url.includes('/tiles/base/'))).toBe(true);
    expect(pageErrors).toEqual([]);
    // The session probe of an anonymous page load (401) is the browser's resource log, not ours.
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);

    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(`${RESULTS}/basemap-district.png`, `${DOCS}/basemap-district.png`);
      copyFileSync(`${RESULTS}/basemap-street.png`, `${DOCS}/basemap-street.png`);
    }
    await page.close();
  });
});
