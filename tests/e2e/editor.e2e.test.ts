/**
 * The editor in a real Chromium against a real server with the demo district: a street
 * editor signs in, starts a draft, picks a grid of their street, splits it by drawing a line
 * with mouse clicks, saves with a comment, and the draft (read back over the API) holds two
 * new grids whose households add up to the original grid's; 撤销 and 重做 take the split out
 * and bring it back; moving the boundary between the two parts is saved and undone with
 * Ctrl+Z; the history shows it all.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/editor.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { GridCollection, GridFeature } from '../../common/contracts/grids.ts';
import { openApp, signInAndStartDraft, useServerAndBrowser, zoomToRing } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { plannerGrids, sessionCookie } from '../helpers/session.ts';

const STREET = '131002003000';
const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';

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

/**
 * A one-part grid with households that a north–south line through its middle cuts in two,
 * whose middle lies in no other grid (the demo street has a deliberate overlap: a click
 * there may pick the neighbour).
 */
function splittable(grids: GridCollection): { grid: GridFeature; lon: number; south: number; north: number } {
  const inOther = (grid: GridFeature, point: [number, number]) =>
    grids.features.some((other) => other !== grid && booleanPointInPolygon(point, other.geometry));
  for (const grid of grids.features) {
    const polygons = grid.geometry.coordinates;
    if (polygons.length !== 1 || polygons[0]!.length !== 1 || grid.properties.households! < 100) continue;
    const ring = polygons[0]![0]!;
    const xs = ring.map((p) => p[0]!);
    const lon = (Math.min(...xs) + Math.max(...xs)) / 2 + 1.234e-6;
    const hits = crossings(ring, lon);
    if (hits.length !== 2) continue;
    const [south, north] = hits as [number, number];
    const quarter = (north - south) / 4;
    if ([south + quarter, (south + north) / 2, north - quarter].some((lat) => inOther(grid, [lon, lat]))) continue;
    return { grid, lon, south, north };
  }
  throw new Error('no splittable grid in the street');
}

describe('editor in Chromium', () => {
  const env = useServerAndBrowser();

  it(
    'splits a grid by drawing a line; the draft holds two new grids with the households conserved',
    { timeout: 180_000 },
    async () => {
      const url = env.server().url;
      const grids = await plannerGrids(url, STREET);
      const { grid, lon, south, north } = splittable(grids);
      const code = grid.properties.code;

      const { page, pageErrors } = await openApp(env.browser(), url);
      expect(await page.isVisible('#editor')).toBe(false); // anonymous: no editor

      const draftId = await signInAndStartDraft(page, 'editor-003');
      expect(draftId).toBeGreaterThan(0);
      expect(await page.textContent('#tool-split')).toBe('按线拆分');

      // Zoom onto the grid and pick it with a click inside it.
      const screen = await zoomToRing(page, grid.geometry.coordinates[0]![0]!);
      const rect = (await page.$eval('#map', (el) => el.getBoundingClientRect().toJSON())) as DOMRect;
      const inside = await screen(lon, (south + north) / 2);
      await page.mouse.click(inside.x, inside.y);
      await expect.poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 }).toContain(code);

      // Split: a line from beyond the south edge to beyond the north edge, finished by a double click.
      await page.click('#tool-split');
      const start = await screen(lon, south);
      const end = await screen(lon, north);
      await page.mouse.click(start.x, start.y + 15);
      await page.mouse.move(end.x, (start.y + end.y) / 2);
      await page.mouse.dblclick(end.x, end.y - 15);
      await page.waitForSelector('#comment-dialog[open]', { timeout: 10_000 });
      expect(await page.textContent('#comment-dialog h2')).toBe('按线拆分');
      await page.fill('#comment-dialog textarea[name="comment"]', '新建小区入住，按线拆分');
      await page.click('#comment-dialog button[type="submit"]');
      await page.waitForSelector('#editor-running .editor-message.info', { timeout: 30_000 });

      // The draft, read back over the API with the editor's own session.
      const cookie = await sessionCookie(url, 'editor-003');
      const draftNow = async () => (await httpClient(url).get<DraftDetail>(`/api/drafts/${draftId}`, { cookie })).body;
      const detail = await draftNow();
      const created = detail.grids.features.filter((f) => f.properties.state === 'new');
      expect(created).toHaveLength(2);
      expect(created.reduce((sum, f) => sum + f.properties.households, 0)).toBe(grid.properties.households);
      expect(detail.grids.features.find((f) => f.properties.code === code)?.properties.state).toBe('retired');

      // Reshape one of the new grids: while a vertex is dragged, its household tally and band show.
      const part = created[0]!;
      const ring = part.geometry.coordinates[0]![0]!;
      const partXs = ring.map((p) => p[0]!);
      const vertex = ring.find((p) => p[0] === Math.max(...partXs) || p[0] === Math.min(...partXs))!;
      const partInside = await screen((lon + vertex[0]!) / 2, (south + north) / 2);
      await page.mouse.click(partInside.x, partInside.y);
      await expect
        .poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 })
        .toContain(part.properties.code);
      await page.click('#tool-reshape');
      const from = await screen(vertex[0]!, vertex[1]!);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      for (let step = 1; step <= 5; step++) await page.mouse.move(from.x + step * 8, from.y + step * 4);
      await page.mouse.up();
      const tally = await page.waitForSelector('#editor-running .edit-tally', { timeout: 15_000 });
      expect(await tally.getAttribute('data-band')).toMatch(/^(low|ok|high)$/);
      expect(await page.textContent('#editor-running .tally-households')).toMatch(/^[\d,]+ 户$/);
      await page.mouse.move(rect.left - 100, rect.top + 5); // off the map: no tooltip
      await page.evaluate(() => window.__wangge!.adapter.whenIdle());
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}/editor.png` });
      await page.click('#editor-cancel');

      // The draft is drawn over the published grids and its check is shown.
      await page.waitForSelector('#editor-running .draft-check', { timeout: 30_000 });
      await page.evaluate(() => window.__wangge!.adapter.whenIdle());
      const drawn = await page.evaluate(
        () =>
          (window.__wangge!.map as { querySourceFeatures(s: string): unknown[] }).querySourceFeatures('draft-grids')
            .length,
      );
      expect(drawn).toBeGreaterThanOrEqual(3);

      // 调整边界: pick both parts (the second with Shift), drag the middle of their shared edge
      // into the second part, save: the first part grows, the second gives the same area up.
      const other = created[1]!;
      const edge = await screen(lon, (south + north) / 2);
      const into = Math.sign(lon - vertex[0]!) * 25; // from the first part towards the second
      const otherInside = { x: edge.x + into * 1.5, y: edge.y };
      await page.mouse.click(partInside.x, partInside.y);
      await page.keyboard.down('Shift');
      await page.mouse.click(otherInside.x, otherInside.y);
      await page.keyboard.up('Shift');
      await expect
        .poll(() => page.textContent('#editor-running .picked'), { timeout: 10_000 })
        .toContain(other.properties.code);
      await page.click('#tool-boundary');
      await page.mouse.move(edge.x, edge.y);
      await page.mouse.down();
      for (let step = 1; step <= 5; step++) await page.mouse.move(edge.x + (step * into) / 5, edge.y);
      await page.mouse.up();
      await page.click('#editor-save-reshape');
      await page.waitForSelector('#comment-dialog[open]', { timeout: 10_000 });
      expect(await page.textContent('#comment-dialog h2')).toBe('调整边界');
      await page.fill('#comment-dialog textarea[name="comment"]', '按楼栋调整两网格边界');
      await page.click('#comment-dialog button[type="submit"]');
      await expect
        .poll(() => page.textContent('#editor .history-entry:first-child strong'), { timeout: 30_000 })
        .toBe('调整边界');
      const moved = (await draftNow()).grids.features;
      const etagOf = (c: string, features: typeof moved) =>
        features.find((f) => f.properties.code === c)?.properties.etag;
      expect(etagOf(part.properties.code, moved)).not.toBe(etagOf(part.properties.code, detail.grids.features));
      expect(etagOf(other.properties.code, moved)).not.toBe(etagOf(other.properties.code, detail.grids.features));

      // Ctrl+Z undoes the boundary move; 撤销 then takes the split back out of the draft; 重做
      // brings the same two grids back.
      const message = () => page.textContent('#editor-running .editor-message');
      await page.mouse.move(rect.left - 100, rect.top + 5);
      await page.keyboard.press('Control+z');
      await expect.poll(message, { timeout: 30_000 }).toContain('已撤销');
      expect(etagOf(part.properties.code, (await draftNow()).grids.features)).not.toBe(
        etagOf(part.properties.code, moved),
      );
      await page.click('#tool-undo');
      await expect.poll(message, { timeout: 30_000 }).toMatch(/已撤销变更 #1。/);
      await expect.poll(message, { timeout: 30_000 }).toContain('已撤销');
      expect((await draftNow()).grids.features).toEqual([]);
      expect(await page.isDisabled('#tool-undo')).toBe(true);
      await page.click('#tool-redo');
      await expect.poll(message, { timeout: 30_000 }).toContain('已重做');
      const redone = (await draftNow()).grids.features.filter((f) => f.properties.state === 'new');
      expect(redone.map((f) => f.properties.code).sort()).toEqual(created.map((f) => f.properties.code).sort());
      expect(redone.reduce((sum, f) => sum + f.properties.households, 0)).toBe(grid.properties.households);
      await page.waitForSelector('#editor-running .draft-check', { timeout: 30_000 });

      // The history lists the split, the boundary move, the undos and the redo; a click draws the split's before and after.
      await expect
        .poll(() => page.$$eval('#editor .history-entry', (els) => els.length), { timeout: 10_000 })
        .toBeGreaterThanOrEqual(5);
      expect(await page.textContent('#editor .history-entry:last-child strong')).toBe('拆分');
      await page.click('#editor .history-entry:last-child');
      await page.evaluate(() => window.__wangge!.adapter.whenIdle());
      const outlines = await page.evaluate(
        () =>
          (window.__wangge!.map as { querySourceFeatures(s: string): unknown[] }).querySourceFeatures('edit-history')
            .length,
      );
      expect(outlines).toBeGreaterThanOrEqual(3);
      await page.click('#editor .history-entry:last-child'); // and off again

      if (process.env.UPDATE_SCREENSHOTS) {
        mkdirSync(DOCS, { recursive: true });
        copyFileSync(`${RESULTS}/editor.png`, `${DOCS}/editor.png`);
      }
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );
});
