/**
 * The coverage check in a real Chromium against a real server with the demo district: the
 * panel's counts are the API's, the demo's deliberate gaps and overlaps are listed, a click on
 * a problem moves the map onto it, communities in the tree get their marks, the panel follows
 * the tree and speaks English, and closing it clears the map.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/validation.png.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type ValidationReport } from '../../common/contracts/validation.ts';
import { PROBLEM_SUMMARY_FIELD } from '../../common/rules/problem-types.ts';
import { openApp, signIn, useServerAndBrowser } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';

const DISTRICT = '131002000000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

interface DeliberateError {
  kind: 'gap' | 'overlap';
  grids: string[];
}
const demo = JSON.parse(readFileSync('data/demo/anci-district.json', 'utf8')) as {
  meta: { deliberateErrors: DeliberateError[] };
};

type Bbox = [number, number, number, number];

function bboxOf(geometry: GeoJSON.Geometry): Bbox {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as [number, number];
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit((geometry as { coordinates: unknown }).coordinates);
  return box;
}

/** Problem type → the count shown in the panel. */
function panelCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#validation .type-row', (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row as HTMLElement).dataset.type,
        Number((row.querySelector('.type-count') as HTMLElement).dataset.count),
      ]),
    ),
  );
}

function expectedCounts(report: ValidationReport): Record<string, number> {
  return Object.fromEntries(
    Object.entries(PROBLEM_SUMMARY_FIELD).map(([type, field]) => [type, report.summary[field]]),
  );
}

function mapView(page: Page) {
  return page.evaluate(() => {
    const map = window.__wangge!.map as {
      getCenter(): { lng: number; lat: number };
      getZoom(): number;
      isMoving(): boolean;
    };
    const { lng, lat } = map.getCenter();
    return { lng, lat, zoom: map.getZoom(), moving: map.isMoving() };
  });
}

describe('coverage check in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'shows the API counts, lists the deliberate errors, zooms to a problem and marks communities',
    { timeout: 180_000 },
    async () => {
      // The check is for signed-in users (its problems carry households).
      const cookie = await sessionCookie(env.server().url, 'planner');
      const get = async (region: string) => {
        const response = await httpClient(env.server().url).get<ValidationReport>(`/api/validation?region=${region}`, {
          cookie,
        });
        expect(response.status).toBe(200);
        return response.body as ValidationReport;
      };
      const report = await get(DISTRICT);
      const deliberate = demo.meta.deliberateErrors;
      expect(report.summary.gaps).toBe(deliberate.filter((e) => e.kind === 'gap').length);
      expect(report.summary.overlaps).toBe(deliberate.filter((e) => e.kind === 'overlap').length);

      const { page, foreign, pageErrors } = await openApp(env.browser(), env.server().url);
      expect(await page.isVisible('#validate-button')).toBe(false); // anonymous: no 校验
      await signIn(page, 'planner');

      // The district is selected at start: 校验 checks it.
      await page.click('#validate-button');
      await page.waitForSelector('#validation .severity', { timeout: 30_000 });
      expect(await page.textContent('#validation .validation-region')).toContain(DISTRICT);
      expect(await panelCounts(page)).toEqual(expectedCounts(report));
      expect(await page.textContent('#validation .type-row[data-type="gap"] .type-label')).toBe('缝隙');
      expect(await page.textContent('#validation .type-row[data-type="overlap"] .type-label')).toBe('重叠');
      expect(await page.textContent('#validation .validation-status')).toContain(`${report.grids} 个网格`);

      // Each deliberate gap and overlap is listed with the grids it lies between.
      for (const type of ['gap', 'overlap'] as const) {
        await page.click(`#validation .type-row[data-type="${type}"]`);
        const listed = await page.$$eval(`#validation button.problem[data-type="${type}"]`, (buttons) =>
          // Grids are listed by name, each with its code on hover (title and data-code).
          buttons.map((b) =>
            [...b.querySelectorAll<HTMLElement>('.problem-grids .named[data-code]')]
              .map((e) => `${e.dataset.code}=${e.title}`)
              .join(' '),
          ),
        );
        expect(listed).toHaveLength(report.summary[PROBLEM_SUMMARY_FIELD[type]]);
        for (const error of deliberate.filter((e) => e.kind === type)) {
          expect(
            listed.some((codes) => error.grids.every((grid) => codes.includes(grid))),
            `${type} ${error.grids}`,
          ).toBe(true);
        }
      }

      // A click on a gap flies the map onto it: the centre ends inside the gap's bbox.
      const before = await mapView(page);
      const gapButton = page.locator('#validation button.problem[data-type="gap"]').first();
      const gapId = await gapButton.getAttribute('data-problem-id');
      const gap = report.problems.features.find((f) => f.properties.id === gapId);
      expect(gap, 'the listed gap is in the API report').toBeDefined();
      const [minLon, minLat, maxLon, maxLat] = bboxOf(gap!.geometry);
      await gapButton.click();
      await expect
        .poll(
          async () => {
            const view = await mapView(page);
            return !view.moving && view.lng >= minLon && view.lng <= maxLon && view.lat >= minLat && view.lat <= maxLat;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      expect((await mapView(page)).zoom).toBeGreaterThan(before.zoom + 3);
      expect(await gapButton.getAttribute('class')).toContain('selected');

      // Communities of the gap's street get their marks once the street is opened in the tree.
      const community = report.communities.find((c) => c.code === gap!.properties.community_code)!;
      const street = `${community.code.slice(0, 9)}000`;
      await page.click(`li[data-code="${street}"] > .tree-row > .tree-toggle`);
      const mark = page.locator(`li[data-code="${community.code}"] > .tree-row > .tree-mark`);
      await mark.waitFor({ timeout: 15_000 });
      expect(await mark.getAttribute('data-state')).toBe('error');
      expect(await mark.textContent()).toBe(`✗ ${community.errors + community.warnings}`);
      const ok = report.communities.find((c) => c.code.startsWith(street.slice(0, 9)) && c.errors + c.warnings === 0);
      if (ok) expect(await page.textContent(`li[data-code="${ok.code}"] > .tree-row > .tree-mark`)).toBe('✓');
      await page.evaluate(() => (window.__wangge!.adapter as { whenIdle(): Promise<void> }).whenIdle());
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}/validation.png` });

      // Selecting the street in the tree checks the street.
      const streetReport = await get(street);
      await page.click(`.tree-name[data-code="${street}"]`);
      await expect
        .poll(() => page.textContent('#validation .validation-region'), { timeout: 15_000 })
        .toContain(street);
      await page.waitForSelector('#validation .severity', { timeout: 30_000 });
      expect(await panelCounts(page)).toEqual(expectedCounts(streetReport));

      // A click on a problem's marker on the map picks it in the list: the marker farthest from
      // the others on screen, so the click cannot land on a neighbour.
      await page.evaluate(() => (window.__wangge!.adapter as { whenIdle(): Promise<void> }).whenIdle());
      const target = await page.evaluate(
        (points) => {
          const handle = window.__wangge!;
          const rect = document.getElementById('map')!.getBoundingClientRect();
          const card = document.getElementById('validation')!.getBoundingClientRect();
          const px = points.map(({ id, point }) => ({ id, ...handle.project(point[0], point[1]) }));
          let best: { id: string; x: number; y: number; clearance: number } | null = null;
          for (const p of px) {
            const x = p.x + rect.left;
            const y = p.y + rect.top;
            if (x < card.right + 20 || y < rect.top + 30 || x > rect.right - 60 || y > rect.bottom - 50) continue;
            const clearance = Math.min(
              Infinity,
              ...px.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)),
            );
            if (!best || clearance > best.clearance) best = { id: p.id, x, y, clearance };
          }
          return best;
        },
        streetReport.problems.features.map((f) => ({ id: f.properties.id, point: f.properties.point })),
      );
      expect(target, 'a problem marker in view').not.toBeNull();
      await page.mouse.click(target!.x, target!.y);
      await expect
        .poll(() => page.getAttribute('#validation button.problem.selected', 'data-problem-id'))
        .toBe(target!.id);

      await page.click('#lang-switch');
      expect(await page.textContent('#validation .type-row[data-type="gap"] .type-label')).toBe('Gaps');
      expect(await page.textContent('#validation h2')).toBe('Coverage check');
      await page.screenshot({ path: `${RESULTS}/validation-en.png` });

      // Closing the panel takes the problems off the map.
      const problemsOnMap = () =>
        page.evaluate(() => {
          const map = window.__wangge!.map as { querySourceFeatures(source: string): unknown[] };
          return map.querySourceFeatures('problem-markers').length;
        });
      await expect.poll(problemsOnMap, { timeout: 10_000 }).toBeGreaterThan(0);
      await page.click('#validation .close');
      expect(await page.isVisible('#validation')).toBe(false);
      await expect.poll(problemsOnMap, { timeout: 10_000 }).toBe(0);

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/validation.png`, `${DOCS}/validation.png`);
      }
      expect(foreign, 'requests outside the app origin').toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
