/**
 * Issue 18's done-when, end to end: on a phone in a real Chromium against a real server with the
 * demo district, a resident reports a concern from /find at a point inside a known grid (定位我);
 * a text file called .jpg is refused as a photo, a PNG is sent with the report (multipart);
 * the receipt names that grid and gives the private tracking link; the case is in that grid's
 * worker's queue (GET /api/cases as `w` + grid code); the worker accepts, dispatches to the grid,
 * handles, reports back online and closes; the resident's tracking page shows the feedback with
 * roles only (no names, no phones) and they rate 满意 once; the community's statistics show one
 * more closed and one more rated case than before. A wrong token reads 未找到该工单.
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/case-report.png, case-receipt.png, case-track.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type {
  CaseList,
  CaseStats,
  NewPublicCaseResponse,
  StaffCaseDetail,
  TransitionRequest,
} from '../../common/contracts/cases.ts';
import { formatCaseTime, KEPT_CASES_KEY } from '../../client/find/case-format.ts';
import { useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { HttpClient } from '../helpers/http-client.ts';

const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};
const DESCRIPTION = '小区南门垃圾桶满了三天没人清运，有异味';
const REPORTER_PHONE = '13912345678';
const FEEDBACK = '已联系环卫清运，垃圾桶已清空并消毒';

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: `${RESULTS}/${name}` });
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(`${RESULTS}/${name}`, `${DOCS}/${name}`);
}

describe('a case from a resident’s phone to a rating', () => {
  const env = useServerAndBrowser();

  it('reports, is handled by the grid worker, is rated, and moves the statistics', { timeout: 300_000 }, async () => {
    const base = env.server().url;
    const db = env.server().database.db;
    const http = new HttpClient(base);

    // A demo grid with a full-time worker, and a point inside it.
    const { rows } = await sql<{ code: string; name: string; community: string; lon: number; lat: number }>`
      SELECT g.code, g.name, g.community_code AS community, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT code, name, community_code, ST_PointOnSurface(geom) AS p FROM grids) g
      WHERE EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time')
      ORDER BY g.code LIMIT 1`.execute(db);
    const grid = rows[0]!;
    expect(grid, 'a demo grid with a full-time worker').toBeDefined();
    const point = { lon: Number(grid.lon), lat: Number(grid.lat) };
    const worker = `w${grid.code}`;
    const communityName = (
      await db.selectFrom('regions').select('name').where('code', '=', grid.community).executeTakeFirstOrThrow()
    ).name;
    const workerName = (
      await sql<{
        name: string;
      }>`SELECT name FROM grid_workers WHERE grid_code = ${grid.code} AND role = 'full_time'`.execute(db)
    ).rows[0]!.name;

    // The demo loader makes an account for every full-time worker; an older demo may lack it.
    await sql`
      INSERT INTO users (username, display_name, password_hash, role)
      SELECT ${worker}, ${workerName}, password_hash, 'worker' FROM users WHERE username = 'planner'
      ON CONFLICT (username) DO NOTHING`.execute(db);
    await sql`
      INSERT INTO user_grids (user_id, grid_code) SELECT id, ${grid.code} FROM users WHERE username = ${worker}
      ON CONFLICT DO NOTHING`.execute(db);
    await http.login(worker);
    await http.login('planner');

    // The default period: the 365 Beijing days up to today, the new case's day included.
    const statsPath = `/api/cases/stats?region=${grid.community}`;
    const stats = async () => {
      const res = await http.get<CaseStats>(statsPath, { as: 'planner' });
      expect(res.status, statsPath).toBe(200);
      return res.body.totals;
    };
    const before = await stats();

    // The resident, on a phone, at the point inside the grid.
    const context = await env.browser().newContext({
      ...PHONE,
      geolocation: { longitude: point.lon, latitude: point.lat },
      permissions: ['geolocation', 'clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const { foreign, pageErrors } = watchPage(page, base);
    await page.goto(`${base}/find`);
    await page.waitForSelector('body[data-find-ready="1"]');

    // 我要反映: category chip, description, 定位我 (the form names the grid it goes to), phone.
    await page.tap('#report-open');
    await page.waitForSelector('#case-form[data-ready="1"]');
    expect(await page.textContent('#case-title')).toBe('我要反映');
    expect(await page.textContent('#case-phone-note')).toBe('仅用于回访，不会公开');
    // Sending an empty form names every missing field and sends nothing.
    await page.tap('#case-submit');
    expect(await page.textContent('#case-error-category')).toBe('请选择问题类别');
    expect(await page.textContent('#case-error-location')).toBe('请定位或在地图上选择位置');
    await page.tap('#case-categories .chip[data-code="sanitation"]');
    expect(await page.getAttribute('#case-categories .chip[data-code="sanitation"]', 'aria-checked')).toBe('true');
    await page.fill('#case-description', DESCRIPTION);
    await page.tap('#case-locate');
    await page.waitForSelector(`#case-grid[data-code="${grid.code}"]`, { timeout: 30_000 });
    expect(await page.textContent('#case-grid')).toBe(`将转至 ${grid.name}`);
    await page.fill('#case-phone', REPORTER_PHONE);
    expect(await page.isHidden('#case-error-category')).toBe(true);
    // Photos are judged by their first bytes, as the server does: a text file called .jpg is refused.
    await page.setInputFiles('#case-photo-input', {
      name: 'notes.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not a photo at all'),
    });
    await expect.poll(() => page.textContent('#case-error-photo')).toBe('“notes.jpg”不是 JPEG、PNG 或 WebP 图片');
    expect(await page.locator('#case-photos img').count()).toBe(0);
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#6a8' } })
      .png()
      .toBuffer();
    await page.setInputFiles('#case-photo-input', { name: 'bins.png', mimeType: 'image/png', buffer: png });
    await page.waitForSelector('#case-form[data-photos="1"]');
    expect(await page.isHidden('#case-error-photo')).toBe(true);
    await page.$eval('#case-phone', (input) => (input as HTMLInputElement).blur());
    await page.$eval('#case-body', (body) => body.scrollTo(0, 0));
    await shoot(page, 'case-report.png');

    const sent = page.waitForResponse((r) => r.url() === `${base}/api/public/cases` && r.request().method() === 'POST');
    await page.tap('#case-submit');
    const answer = (await (await sent).json()) as NewPublicCaseResponse;
    await page.waitForSelector('#case-receipt', { timeout: 30_000 });
    const ticket = (await page.textContent('#receipt-ticket'))!;
    expect(ticket).toBe(answer.ticket);
    expect(ticket).toMatch(/^\d{8}-\d+$/);
    expect(await page.getAttribute('#receipt-grid', 'data-code')).toBe(grid.code);
    expect(await page.textContent('#receipt-grid')).toBe(grid.name);
    expect(await page.textContent('#receipt-community')).toBe(communityName);
    expect(await page.textContent('#receipt-due')).toBe(
      answer.dueAt ? `环境卫生 · ${formatCaseTime(answer.dueAt, 'zh')} 前办结` : '环境卫生 · 受理后 48 小时内办结',
    );
    const link = await page.inputValue('#case-link');
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe(`${base}/find`);
    expect(url.searchParams.get('case')).toBe(ticket);
    const token = url.searchParams.get('token')!;
    expect(token).toBe(answer.token);
    expect(await page.textContent('#case-warn')).toContain('请保存这个链接');
    await shoot(page, 'case-receipt.png');
    await page.tap('#case-copy');
    await expect.poll(() => page.textContent('#case-copy')).toBe('已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    // Kept on this device for 我的反映.
    const kept = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), KEPT_CASES_KEY)) ?? '[]');
    expect(kept).toEqual([expect.objectContaining({ ticket, token, category: '环境卫生' })]);
    await page.tap('#case-mine-open');
    expect(
      await page.$$eval('#case-mine-list .mine-item', (items) => items.map((i) => i.getAttribute('data-ticket'))),
    ).toEqual([ticket]);

    // What the server stored: routed to the grid, with the phone and the photo, from the finder.
    const stored = await db
      .selectFrom('cases')
      .select(['id', 'grid_code', 'community_code', 'state', 'channel', 'reporter_phone', 'description'])
      .where('ticket', '=', ticket)
      .executeTakeFirstOrThrow();
    const photos = await db
      .selectFrom('case_photos')
      .select(['mime', 'width'])
      .where('case_id', '=', stored.id)
      .execute();
    expect(photos).toEqual([{ mime: 'image/png', width: 64 }]);
    expect(stored).toMatchObject({
      grid_code: grid.code,
      community_code: grid.community,
      state: 'reported',
      channel: 'finder',
      reporter_phone: REPORTER_PHONE,
      description: DESCRIPTION,
    });

    // The worker's queue has it; the worker sees the phone unmasked.
    const queue = await http.get<CaseList>('/api/cases', { as: worker });
    expect(queue.status).toBe(200);
    const listed = queue.body.cases.find((c) => c.ticket === ticket);
    expect(listed, 'the case in the grid worker’s queue').toBeDefined();
    expect(listed!.queue).toMatchObject({ kind: 'grid', code: grid.code });

    const id = stored.id;
    const step = async (request: TransitionRequest, state: string) => {
      const current = await http.get<StaffCaseDetail>(`/api/cases/${id}`, { as: worker });
      expect(current.status).toBe(200);
      const res = await http.post<StaffCaseDetail>(`/api/cases/${id}/transitions`, {
        as: worker,
        body: request,
        ifMatch: current.etag!,
      });
      expect(res.status, `${request.action}: ${res.text}`).toBe(200);
      const row = await db.selectFrom('cases').select('state').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.state, request.action).toBe(state);
    };
    await step({ action: 'accept', comment: '已受理' }, 'accepted');
    await step({ action: 'dispatch', to: { kind: 'grid', code: grid.code }, handling: 'on_the_spot' }, 'dispatched');
    await step({ action: 'handle', handling: 'on_the_spot', comment: '现场清运' }, 'handled');
    await step({ action: 'feedback', route: 'online', comment: FEEDBACK }, 'fed_back');
    await step({ action: 'close', comment: '核查属实，结案' }, 'closed');

    // The resident opens the tracking link: the feedback, roles only, and the rating buttons.
    await page.goto(link);
    await page.waitForSelector('#case-tracking[data-loaded="1"]');
    expect(await page.getAttribute('#case-track', 'data-state')).toBe('closed');
    expect(await page.textContent('#track-state')).toBe('已结案');
    expect(await page.textContent('#track-grid')).toBe(grid.name);
    expect(await page.textContent('#track-feedback')).toContain(FEEDBACK);
    expect(await page.textContent('#track-feedback')).toContain('网格员');
    expect(
      await page.$$eval('#track-timeline li', (items) => items.map((li) => li.getAttribute('data-action'))),
    ).toEqual(['report', 'accept', 'dispatch', 'handle', 'feedback', 'close']);
    // The report's photo, served to the token's holder.
    const photo = page.locator('#track-timeline li[data-action="report"] .step-photos img');
    expect(await photo.count()).toBe(1);
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(64);
    await page.$eval('#case-body', (body) => body.scrollTo(0, 0));
    const trackText = (await page.textContent('#case-track'))!;
    expect(trackText).not.toContain(workerName);
    expect(trackText).not.toContain(REPORTER_PHONE);
    expect(await page.$$eval('#track-rate .rate', (b) => b.map((x) => x.textContent))).toEqual([
      '满意',
      '基本满意',
      '不满意',
    ]);
    await shoot(page, 'case-track.png');

    await page.tap('#track-rate .rate[data-rating="satisfied"]');
    await page.waitForSelector('#track-rating[data-rating="satisfied"]');
    expect(await page.textContent('#track-rating')).toBe('您的评价：满意');
    expect(await page.locator('#track-rate').count()).toBe(0); // once
    expect(await page.getAttribute('#case-track', 'data-state')).toBe('rated');
    const rated = await db
      .selectFrom('cases')
      .select(['state', 'rating'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(rated).toEqual({ state: 'rated', rating: 'satisfied' });

    // A wrong token reads like an unknown ticket.
    await page.goto(`${base}/find?case=${ticket}&token=${'x'.repeat(token.length)}`);
    await page.waitForSelector('#case-tracking[data-loaded="1"]');
    expect(await page.textContent('#case-not-found')).toBe('未找到该工单，请检查跟踪链接是否完整');

    // The statistics moved by exactly this case.
    const after = await stats();
    expect(after.closed).toBe(before.closed + 1);
    expect(after.rated).toBe(before.rated + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);

    // From a grid board's QR code (/find?grid=CODE): the form starts with that grid, no GPS asked.
    await page.goto(`${base}/find?grid=${grid.code}`);
    await page.waitForSelector(`body[data-grid-card="${grid.code}"]`, { timeout: 30_000 });
    await page.tap('#report-open');
    await page.waitForSelector('#case-form[data-ready="1"]');
    expect(await page.getAttribute('#case-grid', 'data-code')).toBe(grid.code);
    expect(await page.textContent('#case-where')).toContain('来自网格公示牌二维码');
    await page.tap('#case-categories .chip[data-code="safety"]');
    await page.fill('#case-description', '楼道里堆放电动车电池，有火灾隐患');
    await page.tap('#case-submit');
    await page.waitForSelector('#case-receipt', { timeout: 30_000 });
    expect(await page.getAttribute('#receipt-grid', 'data-code')).toBe(grid.code);
    expect(await page.textContent('#receipt-due')).toMatch(/^安全隐患 · (受理后 24 小时内办结|\d{4}年.+ 前办结)$/);
    const second = (await page.textContent('#receipt-ticket'))!;
    await page.tap('#case-mine-open');
    expect(
      await page.$$eval('#case-mine-list .mine-item', (items) => items.map((i) => i.getAttribute('data-ticket'))),
    ).toEqual([second, ticket]);

    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
