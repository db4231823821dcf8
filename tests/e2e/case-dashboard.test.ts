/**
 * 案件统计 in a real Chromium against a real server with the demo district and a year of cases:
 * a planner opens the dashboard on the district; the headline figures, the trend's months and
 * the league table are GET /api/cases/stats's for the same region and period; 近30天 changes
 * them as the API does; the 台账 downloads as a workbook; the map's case points and the 办结率
 * choropleth come on, a point's popup names its case.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/case-dashboard.png and case-map.png.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { CasePointCollection } from '../../common/contracts/case-points.ts';
import { formatHours, formatRate, periodOf, periodQuery } from '../../client/panels/case-stats-logic.ts';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { insertCaseYear } from '../helpers/case-year.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { readWorkbook } from '../helpers/workbook.ts';

const DISTRICT = '131002000000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

/** The extent of the points, to frame them. */
const bboxOf = (points: CasePointCollection): number[] => {
  const xs = points.features.map((f) => f.geometry.coordinates[0]);
  const ys = points.features.map((f) => f.geometry.coordinates[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
};
const figure = (page: Page, key: string) => page.textContent(`#case-figures [data-figure="${key}"] .figure-value`);

describe('案件统计 and the case layers in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'shows the API’s statistics for the demo district, downloads the 台账 and draws the cases',
    { timeout: 240_000 },
    async () => {
      const url = env.server().url;
      await insertCaseYear(env.server().database.db, new Date());
      const cookie = await sessionCookie(url, 'planner');
      const get = async <T>(path: string): Promise<T> => {
        const response = await httpClient(url).get<T>(path, { cookie });
        expect(response.status, path).toBe(200);
        return response.body as T;
      };
      const year = periodOf('1y', new Date());
      const stats = await get<CaseStats>(`/api/cases/stats?${periodQuery(DISTRICT, year)}`);
      expect(stats.totals.accepted).toBeGreaterThan(800);

      const { page, foreign, pageErrors } = await openApp(env.browser(), url);
      // Anonymous users get no 案件统计 button and no case layers (the API refuses them).
      expect(await page.isVisible('#case-stats-button')).toBe(false);
      expect(await page.isVisible('#case-points-toggle')).toBe(false);
      await signIn(page, 'planner');
      await page.click('#case-stats-button');
      await page.waitForSelector('#case-figures', { timeout: 60_000 });

      // The headline figures are the API's, formatted as the dashboard formats them.
      const t = stats.totals;
      expect(await figure(page, 'accepted')).toBe(t.accepted.toLocaleString('zh-CN'));
      expect(await figure(page, 'closed')).toBe(t.closed.toLocaleString('zh-CN'));
      expect(await figure(page, 'closureRate')).toBe(formatRate(t.closureRate));
      expect(await figure(page, 'onTimeRate')).toBe(formatRate(t.onTimeRate));
      expect(await figure(page, 'satisfactionRate')).toBe(formatRate(t.satisfactionRate));
      expect(await figure(page, 'avgHandlingHours')).toBe(formatHours(t.avgHandlingHours));
      expect(await figure(page, 'overdueNow')).toBe(String(t.overdueNow));
      expect(t.overdueNow).toBeGreaterThan(0);
      expect(await page.textContent('#case-figures [data-figure="closureRate"] .figure-label')).toBe('办结率');

      // The trend: one group per month of the API's trend, bars as tall as their counts.
      const months = await page.$$eval('#case-trend .month', (groups) =>
        groups.map((g) => ({
          month: (g as SVGGElement).dataset.month,
          accepted: Number(g.querySelector('.bar.accepted')!.getAttribute('height')),
          closed: Number(g.querySelector('.bar.closed')!.getAttribute('height')),
        })),
      );
      expect(months.map((m) => m.month)).toEqual(stats.trend.map((m) => m.month));
      const busiest = stats.trend.reduce((a, b) => (b.accepted > a.accepted ? b : a));
      const drawn = months.find((m) => m.month === busiest.month)!;
      expect(drawn.accepted).toBeGreaterThan(0);
      expect(drawn.closed / drawn.accepted).toBeCloseTo(busiest.closed / busiest.accepted, 5);
      expect(await page.$$eval('#case-trend .rate-dot', (dots) => dots.length)).toBe(
        stats.trend.filter((m) => m.satisfactionRate !== null).length,
      );

      // The league table: one row per street of the district, by name, sortable.
      const leagueCodes = () =>
        page.$$eval('#case-league tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.code));
      expect((await leagueCodes()).sort()).toEqual(stats.byRegion.map((r) => r.code).sort());
      for (const street of stats.byRegion) expect(await page.textContent('#case-league tbody')).toContain(street.name);
      await page.screenshot({ path: `${RESULTS}/case-dashboard.png` });
      await page.click('#case-league [data-sort="accepted"]');
      const byAccepted = [...stats.byRegion].sort(
        (a, b) => b.accepted - a.accepted || a.name.localeCompare(b.name, 'zh-CN'),
      );
      expect(await leagueCodes()).toEqual(byAccepted.map((r) => r.code));
      await page.click('#case-league [data-sort="accepted"]'); // again: the other way round
      const ascending = [...stats.byRegion].sort(
        (a, b) => a.accepted - b.accepted || a.name.localeCompare(b.name, 'zh-CN'),
      );
      expect(await leagueCodes()).toEqual(ascending.map((r) => r.code));
      expect(await page.$$eval('#case-by-category tbody tr', (rows) => rows.length)).toBe(stats.byCategory.length);
      expect(await page.textContent('#case-by-category')).toContain('安全隐患');
      expect(await page.$$eval('#case-by-channel tbody tr', (rows) => rows.length)).toBe(stats.byChannel.length);

      // 导出台账: the same region and period, as a workbook.
      expect(await page.getAttribute('#case-export', 'href')).toBe(
        `/api/reports/cases.xlsx?${periodQuery(DISTRICT, year)}`,
      );
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#case-export')]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = await readWorkbook(readFileSync((await download.path())!));
      const ledger = workbook.worksheets[0]!;
      expect(ledger.name).toBe('案件台账');
      // Every case is a row; a merged duplicate (合并至 filled) counts in its original's figures, not its own.
      const headers = (ledger.getRow(1).values as unknown[]).map(String);
      const mergedColumn = headers.indexOf('合并至');
      expect(mergedColumn).toBeGreaterThan(0);
      let own = 0;
      ledger.eachRow((row, n) => {
        if (n > 1 && !row.getCell(mergedColumn).text) own++;
      });
      expect(own).toBe(stats.totals.reported);

      // 近30天: the figures follow the API for the new period.
      const month = periodOf('30d', new Date());
      const recent = await get<CaseStats>(`/api/cases/stats?${periodQuery(DISTRICT, month)}`);
      expect(recent.totals.accepted).not.toBe(t.accepted);
      await page.click('[data-period="30d"]');
      await expect
        .poll(() => figure(page, 'accepted'), { timeout: 30_000 })
        .toBe(recent.totals.accepted.toLocaleString('zh-CN'));
      expect(await page.getAttribute('#case-export', 'href')).toBe(
        `/api/reports/cases.xlsx?${periodQuery(DISTRICT, month)}`,
      );
      await page.click('[data-period="1y"]');
      await expect.poll(() => figure(page, 'accepted'), { timeout: 30_000 }).toBe(t.accepted.toLocaleString('zh-CN'));

      // The map: case points by state, then the 办结率 choropleth.
      const points = await get<CasePointCollection>(`/api/cases/points?${periodQuery(DISTRICT, year)}`);
      expect(points.features.length).toBeGreaterThan(800);
      await page.click('#case-dashboard .close');
      await page.check('#case-points-toggle');
      await page.waitForSelector(`body[data-case-points="${points.features.length}"]`, { timeout: 30_000 });
      const rendered = await page.evaluate(() =>
        (
          window.__wangge!.map as {
            queryRenderedFeatures(o: { layers: string[] }): { properties: { status: string } }[];
          }
        )
          .queryRenderedFeatures({ layers: ['case-points'] })
          .map((f) => f.properties.status),
      );
      expect(rendered.length).toBeGreaterThan(100);
      expect(new Set(rendered)).toEqual(new Set(['open', 'overdue', 'closed']));
      expect(await page.textContent('#case-points-legend')).toContain('已超期');
      await page.check('#case-rates-toggle');
      await page.waitForSelector('body[data-case-rates]:not([data-case-rates="0"])', { timeout: 30_000 });
      const rated = Number(await page.getAttribute('body', 'data-case-rates'));
      expect(rated).toBe(stats.byGrid.filter((g) => g.closureRate !== null).length);
      // For the screenshot: the stations off (their dots read like cases), the whole district in view.
      await page.click('#layers .actions button:last-child');
      await page.evaluate(async (bbox) => {
        const adapter = window.__wangge!.adapter as {
          fitBbox(b: number[], animate: boolean): void;
          whenIdle(): Promise<void>;
        };
        adapter.fitBbox(bbox, false);
        await adapter.whenIdle();
      }, bboxOf(points));
      await page.screenshot({ path: `${RESULTS}/case-map.png` });

      // A click on an overdue point names its case.
      const overdue = points.features.find((f) => f.properties.status === 'overdue')!;
      await page.evaluate(async ([lon, lat]) => {
        const adapter = window.__wangge!.adapter as {
          flyToPoint(x: number, y: number): void;
          whenIdle(): Promise<void>;
        };
        adapter.flyToPoint(lon!, lat!);
        await new Promise((r) => setTimeout(r, 1500));
        await adapter.whenIdle();
      }, overdue.geometry.coordinates);
      const rect = (await page.$eval('#map', (el) => el.getBoundingClientRect().toJSON())) as DOMRect;
      const at = await page.evaluate(([x, y]) => window.__wangge!.project(x!, y!), overdue.geometry.coordinates);
      await page.mouse.click(at.x + rect.left, at.y + rect.top);
      await page.waitForSelector('#case-popup', { timeout: 15_000 });
      const ticket = await page.getAttribute('#case-popup', 'data-ticket');
      const shown = points.features.find((f) => f.properties.ticket === ticket)!;
      expect(shown.properties.status).toBe('overdue');
      expect(await page.textContent('#case-popup')).toContain('已超期');

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/case-dashboard.png`, `${DOCS}/case-dashboard.png`);
        copyFileSync(`${RESULTS}/case-map.png`, `${DOCS}/case-map.png`);
      }
      expect(foreign, 'requests outside the app origin').toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
