/**
 * The editor beside the map (issue 17) in a real Chromium at 1366×768: the toolbar and the
 * running panel are on the map, inside the viewport without scrolling; while a split line is
 * drawn the panel shows each part's households (the same as the API's split preview of that
 * line) and updates when the line moves; a split that leaves a part with 0 households is
 * warned about in the page, and going back writes nothing; the publish dialog says 发布; 放弃草稿
 * asks in the page, never with the browser's confirm().
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/editor-toolbar.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Position } from 'geojson';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Draft, DraftDetail } from '../../common/contracts/drafts.ts';
import type { SplitPreview } from '../../common/contracts/editing.ts';
import type { GridFeature } from '../../common/contracts/grids.ts';
import { signIn, useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const STREET = '131002003000';
const VIEWPORT = { width: 1366, height: 768 };

type Point = { x: number; y: number };

/** Where the vertical line x = lon crosses a ring, as latitudes. */
function crossings(ring: Position[], lon: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < ring.length; i++) {
    const [x1, y1] = ring[i - 1] as [number, number];
    const [x2, y2] = ring[i] as [number, number];
    if (x1 < lon !== x2 < lon) out.push(y1 + ((lon - x1) / (x2 - x1)) * (y2 - y1));
  }
  return out.sort((a, b) => a - b);
}

const inViewport = (box: { x: number; y: number; width: number; height: number }) =>
  box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;

/** Page point ⇄ lon/lat through the map itself (what terra-draw records for a click). */
async function mapHelpers(page: Page) {
  const rect = (await page.$eval('#map', (el) => el.getBoundingClientRect().toJSON())) as DOMRect;
  const screen = (lon: number, lat: number): Promise<Point> =>
    page
      .evaluate(([x, y]) => window.__wangge!.project(x!, y!), [lon, lat])
      .then((p) => ({ x: p.x + rect.left, y: p.y + rect.top }));
  const lonLat = (p: Point): Promise<Position> =>
    page.evaluate(
      ([x, y]) => {
        const ll = (window.__wangge!.map as { unproject(p: [number, number]): { lng: number; lat: number } }).unproject(
          [x!, y!],
        );
        return [ll.lng, ll.lat];
      },
      [p.x - rect.left, p.y - rect.top],
    );
  return { screen, lonLat };
}

const partsShown = (page: Page) =>
  page.$$eval('#editor-running .split-part', (els) => els.map((el) => Number(el.getAttribute('data-households'))));

describe('editor toolbar and running panel in Chromium at 1366×768', () => {
  const env = useServerAndBrowser();

  it(
    'shows the tools and the totals on the map; split parts live; warns before a 0-household part; in-page discard',
    { timeout: 240_000 },
    async () => {
      const url = env.server().url;
      const cookie = await sessionCookie(url, 'editor-003');
      const http = httpClient(url);
      const grids = await plannerGrids(url, STREET);
      const grid = grids.features.find(
        (g: GridFeature) =>
          g.geometry.coordinates.length === 1 &&
          g.geometry.coordinates[0]!.length === 1 &&
          g.properties.kind === 'residential' &&
          g.properties.households! >= 100,
      )!;
      const code = grid.properties.code;
      const ring = grid.geometry.coordinates[0]![0]!;
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);

      const page = await env.browser().newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
      const { pageErrors } = watchPage(page, url);
      const nativeDialogs: string[] = [];
      page.on('dialog', (dialog) => {
        nativeDialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(url);
      await page.waitForSelector('body[data-layers-ready="1"]', { timeout: 60_000 });
      await signIn(page, 'editor-003');
      await page.click('#editor-start');
      const draftId = Number(
        await (await page.waitForSelector('#editor .draft-line[data-draft-id]')).getAttribute('data-draft-id'),
      );
      const draftNow = async () => (await http.get<DraftDetail>(`/api/drafts/${draftId}`, { cookie })).body;
      const preview = async (line: Position[]) =>
        (
          await http.request<SplitPreview>('POST', `/api/drafts/${draftId}/grids/${code}/split/preview`, {
            cookie,
            body: { line: { type: 'LineString', coordinates: line } },
          })
        ).body;

      // The toolbar and the running panel are on the map and inside the viewport, nothing scrolled.
      await page.waitForSelector('#editor-toolbar #tool-split', { state: 'visible' });
      const groups = await page.$$('#editor-toolbar .toolbar-group');
      expect(groups.length).toBe(3);
      for (const group of groups) expect(inViewport((await group.boundingBox())!)).toBe(true);
      for (const id of ['tool-split', 'tool-merge', 'tool-boundary', 'tool-attributes', 'tool-undo', 'tool-publish']) {
        const box = (await page.$(`#${id}`))!;
        expect(await box.isVisible(), id).toBe(true);
        expect(inViewport((await box.boundingBox())!), id).toBe(true);
      }
      const mapBox = (await (await page.$('#map'))!.boundingBox())!;
      const toolbarBox = (await (await page.$('#editor-toolbar .toolbar-group'))!.boundingBox())!;
      expect(toolbarBox.y).toBeGreaterThanOrEqual(mapBox.y); // on the map, not in the sidebar
      expect(toolbarBox.x).toBeGreaterThanOrEqual(mapBox.x);
      expect(await page.textContent('#tool-split')).toBe('按线拆分');
      expect(await page.getAttribute('#tool-undo', 'title')).toContain('Ctrl+Z');
      expect(inViewport((await (await page.$('#editor-running'))!.boundingBox())!)).toBe(true);
      expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);

      // Pick the grid: the running panel shows it by name with its households and band.
      await page.evaluate(
        async (bbox) => {
          const adapter = window.__wangge!.adapter;
          adapter.fitBbox(bbox as [number, number, number, number], false);
          await adapter.whenIdle();
        },
        [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      );
      const { screen, lonLat } = await mapHelpers(page);
      const mid = (Math.min(...xs) + Math.max(...xs)) / 2 + 1.234e-6;
      const [south, north] = [crossings(ring, mid)[0]!, crossings(ring, mid).at(-1)!];
      const inside = await screen(mid, (south + north) / 2);
      await page.mouse.click(inside.x, inside.y);
      await expect.poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 }).toContain(code);
      expect(await page.textContent('#editor-running .picked')).toContain(grid.properties.name);
      expect(await page.textContent('#editor-running .picked .households')).toMatch(/^[\d,]+ 户$/);

      // Two lines from the same start below the grid to two ends above it that split it differently.
      const start = await screen(mid, south);
      start.y += 15;
      const startLonLat = await lonLat(start);
      const ends: { point: Point; households: number[] }[] = [];
      for (let f = 0.2; f <= 0.8 && ends.length < 2; f += 0.1) {
        const lon = Math.min(...xs) + f * (Math.max(...xs) - Math.min(...xs));
        const top = crossings(ring, lon).at(-1);
        if (top === undefined) continue;
        const point = await screen(lon, top);
        point.y -= 15;
        const answer = await preview([startLonLat, await lonLat(point)]);
        const households = answer.parts.map((p) => p.households);
        const distinct = !ends.some((e) => e.households.join() === households.join());
        if (answer.cuts && households.length === 2 && households.every((n) => n > 0) && distinct)
          ends.push({ point, households });
      }
      expect(ends.length, 'two lines that split the grid differently').toBe(2);

      // Draw: the running panel shows each part's households while the line follows the pointer.
      await page.click('#tool-split');
      await page.waitForSelector('#editor-running .split-preview');
      await page.mouse.click(start.x, start.y);
      await page.mouse.move(ends[0]!.point.x, ends[0]!.point.y, { steps: 4 });
      await expect.poll(() => partsShown(page), { timeout: 15_000 }).toEqual(ends[0]!.households);
      expect(await page.textContent('#editor-running .split-preview')).toMatch(/第 1 部分.*户.*第 2 部分.*户/);
      mkdirSync('test-results', { recursive: true });
      await page.evaluate(() => window.__wangge!.adapter.whenIdle());
      await page.screenshot({ path: 'test-results/editor-toolbar.png' });
      await page.mouse.move(ends[1]!.point.x, ends[1]!.point.y, { steps: 4 });
      await expect.poll(() => partsShown(page), { timeout: 15_000 }).toEqual(ends[1]!.households);
      const sum = ends[1]!.households.reduce((s, n) => s + n, 0);
      expect(sum).toBe(grid.properties.households);
      await page.click('#editor-cancel');
      await page.waitForSelector('#editor-running .split-preview', { state: 'detached' });

      // A corner cut that leaves a part with 0 households: warned in the page; going back writes nothing.
      let corner: { from: Point; to: Point } | undefined;
      for (let i = 1; i < ring.length - 1 && !corner; i++) {
        const [c, a, b] = [ring[i]!, ring[i - 1]!, ring[i + 1]!];
        const along = (p: Position, s: number) => [c[0]! + s * (p[0]! - c[0]!), c[1]! + s * (p[1]! - c[1]!)];
        const [p, q] = [along(a, 0.12), along(b, 0.12)];
        const ext = (u: Position, v: Position) => [u[0]! + 0.6 * (u[0]! - v[0]!), u[1]! + 0.6 * (u[1]! - v[1]!)];
        const from = await screen(ext(p, q)[0]!, ext(p, q)[1]!);
        const to = await screen(ext(q, p)[0]!, ext(q, p)[1]!);
        const answer = await preview([await lonLat(from), await lonLat(to)]);
        if (answer.cuts && answer.parts.length === 2 && answer.parts.some((part) => part.households === 0))
          corner = { from, to };
      }
      expect(corner, 'a corner cut with no buildings').toBeDefined();
      const before = await draftNow();
      await page.click('#tool-split');
      await page.mouse.click(corner!.from.x, corner!.from.y);
      await page.mouse.move(corner!.to.x, corner!.to.y, { steps: 3 });
      await page.mouse.dblclick(corner!.to.x, corner!.to.y);
      await page.waitForSelector('#split-warning[open]', { timeout: 15_000 });
      expect(await page.textContent('#split-warning')).toContain('0 户');
      expect(await page.$('#split-warning li[data-kind="zero_households"]')).not.toBeNull();
      expect(await page.isVisible('#comment-dialog[open]')).toBe(false);
      await page.click('#split-warning-back');
      await page.waitForSelector('#split-warning:not([open])', { state: 'attached' });
      expect(await page.isVisible('#comment-dialog[open]')).toBe(false);
      expect(await draftNow()).toEqual(before);
      expect(before.grids.features).toEqual([]);
      await page.click('#editor-cancel');

      // 发布 says 发布; cancelling it publishes nothing.
      await page.click('#tool-publish');
      await page.waitForSelector('#comment-dialog[open]');
      expect(await page.textContent('#comment-dialog button[type="submit"]')).toBe('发布');
      await page.click('#comment-dialog button.secondary');
      await page.waitForSelector('#comment-dialog:not([open])', { state: 'attached' });

      // 放弃草稿 asks in the page: cancelling keeps the draft, confirming discards it.
      const status = async () =>
        (await http.get<{ drafts: Draft[] }>(`/api/drafts?street=${STREET}`, { cookie })).body.drafts.find(
          (d) => d.id === draftId,
        )?.status;
      await page.click('#editor-discard');
      await page.waitForSelector('#confirm-dialog[open]');
      expect(await page.textContent('#confirm-dialog')).toContain(`#${draftId}`);
      await page.click('#confirm-cancel');
      await page.waitForSelector('#confirm-dialog:not([open])', { state: 'attached' });
      expect(await status()).toBe('open');
      await page.click('#editor-discard');
      await page.waitForSelector('#confirm-dialog[open]');
      expect(await page.textContent('#confirm-ok')).toBe('放弃草稿');
      await page.click('#confirm-ok');
      await page.waitForSelector('#editor-start', { timeout: 15_000 });
      expect(await status()).toBe('discarded');
      expect(await page.isVisible('#editor-toolbar')).toBe(false);
      expect(nativeDialogs).toEqual([]);

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync('docs/screenshots', { recursive: true });
        copyFileSync('test-results/editor-toolbar.png', 'docs/screenshots/editor-toolbar.png');
      }
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
