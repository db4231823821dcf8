/**
 * The map's vector-tile path in Chromium: with ?tiles=1 the demo district's grids are drawn
 * from /tiles/grids (as a city above 5,000 grids is) and MapLibre's own tile source holds
 * the same grids the API lists; anonymous tiles have no band, signed-in tiles do.
 */
import { describe, expect, it } from 'vitest';
import type { GridCollection } from '../../common/contracts/grids.ts';
import { CHROMIUM_ARGS, signIn, useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';

const DISTRICT = '131002000000';

describe('map draws grids from vector tiles', () => {
  const env = useServerAndBrowser();

  it('renders the grid tile source, anonymous then signed in', { timeout: 180_000 }, async () => {
    expect(CHROMIUM_ARGS).toContain('--no-sandbox');
    const base = env.server().url;
    const grids = (await httpClient(base).get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body;
    const codes = new Set(grids.features.map((f) => f.properties.code));
    const page = await env.browser().newPage({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
    const tileRequests: string[] = [];
    const { foreign, pageErrors: errors } = watchPage(page, base);
    page.on('request', (r) => {
      if (r.url().includes('/tiles/grids/')) tileRequests.push(r.url());
    });
    await page.goto(`${base}/?tiles=1`);
    await page.waitForSelector('body[data-layers-ready="1"][data-grid-source="tiles"]', { timeout: 60_000 });

    const rendered = async () =>
      page.evaluate(async () => {
        const map = window.__wangge!.map as import('maplibre-gl').Map;
        map.jumpTo({ center: [116.69, 39.5], zoom: 13 });
        await new Promise<void>((resolve) => map.once('idle', () => resolve()));
        const features = map.querySourceFeatures('grid-tiles', { sourceLayer: 'grids' });
        return {
          codes: [...new Set(features.map((f) => String(f.properties.code)))],
          bands: features.filter((f) => f.properties.band !== undefined).length,
          painted: map.queryRenderedFeatures({ layers: ['grid-fill'] }).length,
        };
      });
    const anon = await rendered();
    expect(anon.codes.length).toBeGreaterThan(5);
    for (const code of anon.codes) expect(codes.has(code), code).toBe(true);
    expect(anon.bands).toBe(0);
    expect(anon.painted).toBeGreaterThan(0);
    expect(tileRequests.length).toBeGreaterThan(0);
    expect(await page.textContent('#status')).toContain(String(codes.size));

    await signIn(page, 'planner');
    await page.waitForFunction(
      () => {
        const map = window.__wangge!.map as import('maplibre-gl').Map;
        return map
          .querySourceFeatures('grid-tiles', { sourceLayer: 'grids' })
          .some((f) => f.properties.band !== undefined);
      },
      undefined,
      { timeout: 30_000 },
    );
    const staff = await rendered();
    expect(staff.bands).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
