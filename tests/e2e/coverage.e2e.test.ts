/**
 * 覆盖分析 in a real Chromium against a real server with the demo district: a planner signs in,
 * opens the panel on the district; the uncovered and doubly claimed counts and the table are the
 * API's; the grids are coloured and the organisations outlined; an organisation's area opens; the
 * 3-minute circle shows the API's share, the method, and the unreached areas on the map; the
 * export links carry the parameters; suggestions come back numbered; the print sheet holds the map.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/coverage-party.png and coverage-reach.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pointOnFeature } from '@turf/turf';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { PartyOrgArea } from '../../common/contracts/party.ts';
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';

const DISTRICT = '131002000000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

/** Features of a map source (all tiles loaded) and of a layer as rendered on screen. */
function mapCounts(page: Page, source: string, layer: string): Promise<{ source: number; rendered: number }> {
  return page.evaluate(
    ([s, l]) => {
      const map = window.__wangge!.map as {
        querySourceFeatures(source: string): unknown[];
        queryRenderedFeatures(options: { layers: string[] }): unknown[];
      };
      return {
        source: map.querySourceFeatures(s!).length,
        rendered: map.queryRenderedFeatures({ layers: [l!] }).length,
      };
    },
    [source, layer],
  );
}

const idle = (page: Page) =>
  page.evaluate(() => (window.__wangge!.adapter as { whenIdle(): Promise<void> }).whenIdle());

describe('覆盖分析 panel in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'shows the API’s party coverage and station reach for the demo district, exports and prints',
    { timeout: 240_000 },
    async () => {
      const url = env.server().url;
      const cookie = await sessionCookie(url, 'planner');
      const get = async <T>(path: string): Promise<T> => {
        const response = await httpClient(url).get<T>(path, { cookie });
        expect(response.status, path).toBe(200);
        return response.body as T;
      };
      const party = await get<PartyCoverageReport>(`/api/coverage/party?region=${DISTRICT}`);
      const total = party.regions[0]!;
      expect(total.code).toBe(DISTRICT);
      // The demo district has deliberate gaps in its party coverage.
      expect(total.uncovered).toBeGreaterThan(0);

      const { page, foreign, pageErrors } = await openApp(env.browser(), url);
      // Anonymous users get no 覆盖分析 button (the API refuses them).
      expect(await page.isVisible('#coverage-button')).toBe(false);
      await signIn(page, 'planner');
      await page.click('#coverage-button');
      await page.waitForSelector('#coverage-uncovered', { timeout: 60_000 });

      // 党组织覆盖: the counts are the API's, the table has every region of the report.
      expect(Number(await page.getAttribute('#coverage-uncovered', 'data-count'))).toBe(total.uncovered);
      expect(Number(await page.getAttribute('#coverage-claimed-twice', 'data-count'))).toBe(total.claimedTwice);
      expect(await page.textContent('#coverage-uncovered .figure-label')).toBe('未覆盖');
      const tableCodes = await page.$$eval('#coverage-party-table tbody tr', (rows) =>
        rows.map((r) => (r as HTMLElement).dataset.code),
      );
      expect(tableCodes).toEqual(party.regions.map((r) => r.code));
      const firstStreet = party.regions.find((r) => r.level === 'street')!;
      const streetCells = await page.$$eval(`#coverage-party-table tr[data-code="${firstStreet.code}"] td`, (cells) =>
        cells.map((c) => c.textContent),
      );
      expect(streetCells.slice(1, 5)).toEqual(
        [firstStreet.grids, firstStreet.covered, firstStreet.uncovered, firstStreet.claimedTwice].map(String),
      );

      // On the map: every grid of the district coloured, the problem grids with the report's status.
      await idle(page);
      const partyGrids = await mapCounts(page, 'coverage-party-grids', 'coverage-party-fill');
      expect(partyGrids.rendered).toBeGreaterThan(0);
      const statuses = await page.evaluate(() => {
        const map = window.__wangge!.map as {
          querySourceFeatures(source: string): { properties: { code: string; status: string } }[];
        };
        return Object.fromEntries(
          map.querySourceFeatures('coverage-party-grids').map((f) => [f.properties.code, f.properties.status]),
        );
      });
      for (const grid of party.problemGrids.features)
        expect(statuses[grid.properties.code], grid.properties.code).toBe(grid.properties.status);
      expect((await mapCounts(page, 'coverage-org-outlines', 'coverage-org-outline')).rendered).toBeGreaterThan(0);

      // A click on a grid on the map opens its organisation's area: grids, households, outline.
      const grids = (await httpClient(url).get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body;
      const grid = grids.features.find(
        (g) => g.properties.party_orgs.length === 1 && g.geometry.coordinates.length === 1,
      )!;
      const orgCode = grid.properties.party_orgs[0]!;
      const [lon, lat] = pointOnFeature(grid).geometry.coordinates as [number, number];
      await page.evaluate(
        async ([x, y]) => {
          window.__wangge!.adapter.fitBbox([x! - 0.004, y! - 0.003, x! + 0.004, y! + 0.003], false);
          await window.__wangge!.adapter.whenIdle();
        },
        [lon, lat],
      );
      const rect = (await page.$eval('#map', (el) => el.getBoundingClientRect().toJSON())) as DOMRect;
      const inside = await page.evaluate(([x, y]) => window.__wangge!.project(x!, y!), [lon, lat]);
      await page.mouse.click(inside.x + rect.left, inside.y + rect.top);
      await page.waitForSelector(`#coverage-org[data-org="${orgCode}"]`, { timeout: 15_000 });
      const area = await get<PartyOrgArea>(`/api/party-orgs/${orgCode}/area`);
      expect(await page.textContent('#coverage-org')).toContain(
        `${area.grids.length} 个网格 · ${area.households.toLocaleString('zh-CN')} 户`,
      );
      await expect
        .poll(async () => (await mapCounts(page, 'coverage-org-selected', 'coverage-org-selected-line')).source, {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
      // Organisations with issues are listed and open on click.
      expect(await page.$$eval('#coverage-org-issues button', (b) => b.length).catch(() => 0)).toBe(
        new Set(party.orgIssues.map((i) => i.code)).size,
      );
      if (party.orgIssues[0]) {
        await page.click(`#coverage-org-issues button[data-org="${party.orgIssues[0].code}"]`);
        await page.waitForSelector(`#coverage-org[data-org="${party.orgIssues[0].code}"]`, { timeout: 15_000 });
      }
      // The panel follows the tree: a street's report has the street's figures of the district's.
      const street = party.regions.find((r) => r.level === 'street' && r.uncovered > 0) ?? firstStreet;
      await page.click(`.tree-name[data-code="${street.code}"]`);
      await page.waitForSelector(`#coverage-party-table tbody tr:first-child[data-code="${street.code}"]`, {
        timeout: 30_000,
      });
      expect(Number(await page.getAttribute('#coverage-uncovered', 'data-count'))).toBe(street.uncovered);
      await page.click(`.tree-name[data-code="${DISTRICT}"]`);
      await page.waitForSelector(`#coverage-party-table tbody tr:first-child[data-code="${DISTRICT}"]`, {
        timeout: 30_000,
      });
      // For the screenshot: the organisation of the same grid chosen at district zoom.
      await idle(page);
      const again = await page.evaluate(([x, y]) => window.__wangge!.project(x!, y!), [lon, lat]);
      await page.mouse.click(again.x + rect.left, again.y + rect.top);
      await page.waitForSelector('#coverage-org[data-org]', { timeout: 15_000 });
      await page.waitForSelector('#coverage-uncovered', { timeout: 30_000 });
      await idle(page);
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}/coverage-party.png` });

      // 3分钟工作圈: the share and the method are the API's; the unreached areas are on the map.
      // Progress while the reach is computed: recorded as it appears, however fast the answer.
      await page.evaluate(() => {
        const seen = new Set<string>();
        (window as unknown as { __progress: Set<string> }).__progress = seen;
        new MutationObserver(() => {
          const status = document.querySelector('#coverage-reach .coverage-status.loading');
          if (status?.textContent) seen.add(status.textContent);
        }).observe(document.getElementById('coverage')!, { childList: true, subtree: true });
      });
      const started = Date.now();
      await page.click('.coverage-tab[data-tab="reach"]');
      await page.waitForSelector('#reach-share', { timeout: 120_000 });
      expect(await page.evaluate(() => [...(window as unknown as { __progress: Set<string> }).__progress])).toEqual([
        '计算中…',
      ]);
      const reachMs = Date.now() - started;
      const reach = await get<StationReachReport>(
        `/api/coverage/stations?region=${DISTRICT}&minutes=3&speed=1.2&areas=1`,
      );
      expect(Number(await page.getAttribute('#reach-share', 'data-share'))).toBeCloseTo(reach.share, 9);
      expect(await page.getAttribute('#reach-method', 'data-method')).toBe(reach.method);
      expect(await page.textContent('#reach-method')).toBe(reach.method === 'network' ? '沿路网步行' : '直线距离');
      // Listed: the areas with households, as in the workbook; the others are drawn and counted apart.
      const listed = reach.unreached.features.filter((f) => f.properties.households > 0).length;
      expect(listed).toBeGreaterThan(0);
      expect(Number(await page.textContent('#reach-unreached-count'))).toBe(listed);
      expect(await page.textContent('#reach-unreached-empty')).toContain(
        String(reach.unreached.features.length - listed),
      );
      // 冗余 is explained on the page, not in a tooltip.
      expect(await page.textContent('#reach-redundant-hint')).toContain('同类站点');
      await idle(page);
      const unreached = await mapCounts(page, 'coverage-unreached', 'coverage-unreached-fill');
      expect(unreached.rendered).toBeGreaterThan(0);
      expect((await mapCounts(page, 'coverage-stations', 'coverage-stations')).source).toBeGreaterThan(0);

      // The export links carry the region and the reach's parameters.
      expect(await page.getAttribute('#coverage-export-xlsx', 'href')).toBe(
        `/api/reports/coverage.xlsx?region=${DISTRICT}&minutes=3&speed=1.2&lang=zh`,
      );
      expect(await page.getAttribute('#coverage-export-geojson', 'href')).toBe(
        `/api/reports/coverage.geojson?region=${DISTRICT}&minutes=3&speed=1.2`,
      );
      const xlsx = await httpClient(url).fetch('GET', (await page.getAttribute('#coverage-export-xlsx', 'href'))!, {
        cookie,
      });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      const geojson = await httpClient(url).get<{ type: string }>(
        (await page.getAttribute('#coverage-export-geojson', 'href'))!,
        { cookie },
      );
      expect(geojson.status).toBe(200);
      expect(geojson.body.type).toBe('FeatureCollection');

      // A click on the largest unreached area in the list names its households on the map.
      await page.click('#reach-unreached button.coverage-item >> nth=0');
      await page.waitForSelector('.coverage-popup .coverage-popup-body', { timeout: 15_000 });
      const biggest = Math.max(...reach.unreached.features.map((f) => f.properties.households));
      expect(await page.textContent('.coverage-popup .coverage-popup-body')).toContain(
        `${biggest.toLocaleString('zh-CN')} 户`,
      );
      await page.click('.tree-name[data-code="' + DISTRICT + '"]');
      await page.waitForSelector('#reach-share', { timeout: 120_000 });
      await page.$eval('#coverage .coverage-body', (body) => body.scrollTo(0, 0));
      await idle(page);
      await page.screenshot({ path: `${RESULTS}/coverage-reach.png` });

      // Bad input is refused in the panel with a plain message, nothing sent.
      await page.fill('#reach-minutes', '0');
      await page.click('#reach-run');
      expect(await page.textContent('#reach-form .error')).toContain('时间须为');
      await page.fill('#reach-minutes', '3');

      // 选址建议: three numbered sites with their gains.
      await page.click('.coverage-tab[data-tab="suggest"]');
      await page.fill('#suggest-k', '3');
      await page.click('#suggest-run');
      await page.waitForSelector('#suggest-table tbody tr', { timeout: 120_000 });
      const ranks = await page.$$eval('#suggest-table tbody tr', (rows) =>
        rows.map((r) => (r as HTMLElement).dataset.rank),
      );
      expect(ranks.length).toBeGreaterThan(0);
      expect(ranks).toEqual(ranks.map((_, i) => String(i + 1)));
      expect(
        await page.$$eval('.suggestion-marker:not([hidden])', (markers) => markers.map((m) => m.textContent)),
      ).toEqual(ranks);
      await idle(page);
      await page.screenshot({ path: `${RESULTS}/coverage-suggest.png` });

      // 打印: the sheet holds the title, the map image and the tables; print media shows only it.
      await page.evaluate(() => {
        window.print = () => void (document.body.dataset.printed = '1');
      });
      await page.click('.coverage-tab[data-tab="reach"]');
      await page.click('#coverage-print');
      await page.waitForSelector('body[data-printed="1"]', { state: 'attached', timeout: 15_000 });
      expect(await page.textContent('#print-sheet h1')).toBe('覆盖分析 · 安次区');
      const image = await page.getAttribute('#print-sheet img.print-map', 'src');
      expect(image?.startsWith('data:image/png;base64,')).toBe(true);
      expect(image!.length).toBeGreaterThan(20_000);
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('#map')).toBe(false);
      expect(await page.isVisible('#print-sheet')).toBe(true);
      await page.screenshot({
        path: `${RESULTS}/coverage-print.png`,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1400, height: 1500 },
      });
      await page.emulateMedia({ media: 'screen' });

      // English on request: the tabs and the method follow the switch.
      await page.click('#lang-switch');
      expect(await page.textContent('.coverage-tab[data-tab="party"]')).toBe('Party coverage');
      expect(await page.textContent('#reach-method')).toBe(
        reach.method === 'network' ? 'walking along roads' : 'straight line',
      );
      await page.click('#lang-switch');

      // A session that ended meanwhile: the API's 401 is told in plain Chinese.
      await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }));
      await page.fill('#reach-minutes', '4');
      await page.click('#reach-run');
      await expect
        .poll(() => page.textContent('#coverage-reach .coverage-status'), { timeout: 30_000 })
        .toContain('请先登录');

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/coverage-party.png`, `${DOCS}/coverage-party.png`);
        copyFileSync(`${RESULTS}/coverage-reach.png`, `${DOCS}/coverage-reach.png`);
      }
      console.log(`reach of the district shown in ${reachMs} ms (API tookMs ${reach.tookMs})`);
      expect(foreign, 'requests outside the app origin').toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
