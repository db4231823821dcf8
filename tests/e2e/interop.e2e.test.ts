/**
 * 导入 / 导出 in a real Chromium against a real server with the demo district. A street editor
 * opens the dialog, uploads a GeoJSON of stations made here: a file with a bad station kind
 * is reported and cannot be committed; a good file's dry-run counts are the API's own dry run
 * of the same bytes; 导入 writes it and the station is in /api/stations. A planner gets 导出
 * only, and its link downloads the selected region. Anonymous users get neither.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/import-dialog.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import type { ImportReport } from '../../common/contracts/interop.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const STREET = '131002001000'; // editor-001's street
const CODE = '131002001001HY99';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

function stationFile(stations: { code: string; name: string; kind: string; lon: number; lat: number }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 'FeatureCollection',
      features: stations.map((s) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
        properties: { 编号: s.code, 名称: s.name, 类型: s.kind, 地址: '测试路 1 号', 开放时间: 'Mo-Fr 09:00-17:00' },
      })),
    }),
  );
}

const counts = (page: Page) =>
  page.$$eval('#import-report .import-count', (items) =>
    Object.fromEntries(
      items.map((item) => [
        (item as HTMLElement).dataset.key!,
        Number(item.querySelector('.value')!.textContent!.replace(/[^0-9]/g, '')),
      ]),
    ),
  );

describe('导入 / 导出 dialog in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'an editor checks and imports a GeoJSON of stations: the counts are the API’s, the station lands',
    { timeout: 180_000 },
    async () => {
      const url = env.server().url;
      const cookie = await sessionCookie(url, 'editor-001');
      // A point surely inside the street: on one of its grids.
      const grids = await plannerGrids(url, STREET);
      const [lon, lat] = pointOnFeature(grids.features[0]!).geometry.coordinates as [number, number];
      const stationsNow = async () => {
        const response = await httpClient(url).get<StationCollection>(`/api/stations?region=${STREET}`);
        expect(response.status).toBe(200);
        return response.body.features.map((f) => f.properties.code);
      };
      expect(await stationsNow()).not.toContain(CODE);

      const { page, foreign, pageErrors } = await openApp(env.browser(), url);
      expect(await page.isVisible('#import-button')).toBe(false);
      expect(await page.isVisible('#export-button')).toBe(false);
      await signIn(page, 'editor-001');
      await page.click('#import-button');
      await page.waitForSelector('#interop-dialog[open] #import-view');
      await page.selectOption('#import-view select[name="layer"]', 'stations');
      await page.selectOption('#import-view select[name="crs"]', 'EPSG:4326');

      // A file that is not GeoJSON: the API's 400 in plain Chinese, no report, nothing to commit.
      await page.setInputFiles('#import-file', {
        name: '坏文件.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from('{"type": "FeatureCollection", "features": ['),
      });
      await page.click('#import-check');
      await page.waitForSelector('#import-error');
      expect(await page.textContent('#import-error')).toMatch(/^文件或参数有误：/);
      expect(await page.$('#import-report')).toBeNull();
      expect(await page.isDisabled('#import-commit')).toBe(true);

      // A file with a station kind that does not exist: reported, and 导入 stays disabled.
      const bad = stationFile([
        { code: CODE, name: '导入测试红色驿站', kind: 'red_post', lon, lat },
        { code: '131002001001HY98', name: '类型错误的站点', kind: 'tea_house', lon, lat },
      ]);
      await page.setInputFiles('#import-file', { name: '站点.geojson', mimeType: 'application/geo+json', buffer: bad });
      await page.click('#import-check');
      await page.waitForSelector('#import-report .import-invalid');
      expect(await counts(page)).toMatchObject({ features: 2, invalid: 1 });
      expect(await page.isDisabled('#import-commit')).toBe(true);
      expect(await page.textContent('#import-gate')).toContain('有无效要素');
      expect(await page.textContent('#import-report .import-invalid')).toContain('第 2 个');
      // The mapping table was filled from the file's Chinese column names.
      expect(await page.inputValue('#import-view select[name="map-kind"]')).toBe('类型');
      mkdirSync(RESULTS, { recursive: true });
      // The screenshot shows the report and the mapping table at once.
      await page.setViewportSize({ width: 1400, height: 1500 });
      await page.click('#import-view details.import-mapping summary');
      await page.locator('#interop-dialog').screenshot({ path: `${RESULTS}/import-dialog.png` });
      await page.setViewportSize({ width: 1400, height: 860 });

      // The good file: the dialog's dry run equals the API's dry run of the same bytes.
      const good = stationFile([{ code: CODE, name: '导入测试红色驿站', kind: 'red_post', lon, lat }]);
      await page.setInputFiles('#import-file', {
        name: '站点.geojson',
        mimeType: 'application/geo+json',
        buffer: good,
      });
      await page.click('#import-check');
      await page.waitForFunction(
        () => document.querySelector('#import-report .import-count[data-key="features"] .value')?.textContent === '1',
      );
      const response = await httpClient(url).upload<ImportReport>(
        { layer: 'stations', crs: 'EPSG:4326' },
        { name: '站点.geojson', body: new Uint8Array(good) },
        { cookie },
      );
      expect(response.status).toBe(200);
      const api = response.body;
      expect(api.committed).toBe(false);
      expect(await counts(page)).toEqual({
        features: api.features,
        create: api.create,
        update: api.update,
        unchanged: api.unchanged,
        invalid: api.invalid.length,
      });
      expect(api).toMatchObject({ features: 1, create: 1, update: 0, invalid: [] });
      expect(await stationsNow()).not.toContain(CODE); // dry runs write nothing

      expect(await page.isDisabled('#import-commit')).toBe(false);
      await page.click('#import-commit');
      await page.waitForSelector('#import-report[data-committed="1"]');
      expect(await page.textContent('#import-report .import-done')).toContain('新建 1');
      expect(await stationsNow()).toContain(CODE);
      expect(foreign).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/import-dialog.png`, `${DOCS}/import-dialog.png`);
      }
    },
  );

  it('a planner gets 导出 only, for the selected region', { timeout: 120_000 }, async () => {
    const url = env.server().url;
    const { page, pageErrors } = await openApp(env.browser(), url);
    await signIn(page, 'planner');
    expect(await page.isVisible('#export-button')).toBe(true);
    expect(await page.isVisible('#import-button')).toBe(false);
    await page.click('#export-button');
    await page.waitForSelector('#interop-dialog[open] #export-view');
    expect(await page.$('#interop-tab-import')).toBeNull();
    // Only the export is there: the dialog is titled for it, with no single tab to choose.
    expect(await page.textContent('#interop-title')).toBe('导出数据');
    expect(await page.$('#interop-tab-export')).toBeNull();
    await page.selectOption('#export-view select[name="export-layer"]', 'stations');
    await page.selectOption('#export-view select[name="export-format"]', 'csv');
    const href = await page.getAttribute('#export-download', 'href');
    // The app starts on the district: the link carries it.
    expect(href).toBe('/api/export?layer=stations&region=131002000000&format=csv&crs=EPSG%3A4326');
    const cookie = await sessionCookie(url, 'planner');
    const download = await httpClient(url).fetch('GET', href!, { cookie });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    // The English switch relabels the buttons and the dialog.
    await page.click('#interop-close');
    await page.click('#lang-switch');
    expect(await page.textContent('#export-button')).toBe('Export');
    await page.click('#export-button');
    // A planner cannot import: the dialog is titled for what it holds.
    expect(await page.textContent('#interop-dialog h2')).toBe('Export data');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
