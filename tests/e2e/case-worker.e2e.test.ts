/**
 * Cases in Chromium (issue 18): a grid worker on a phone (390×844) signs in on /worker, finds a
 * resident's case of their grid in 我的待办 and takes it through 受理 → 派给自己 → 处置 → 反馈
 * (电话回访, with its note) → 核查结案, the database checked after every step; and a street
 * editor in the main app's 案件 panel accepts a case and summons a department (吹哨).
 *
 * UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/worker-{list,detail,patrol}.png and cases-panel.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewPublicCaseResponse } from '../../common/contracts/cases.ts';
import { openApp, signIn, useServerAndBrowser, watchPage } from '../helpers/browser.ts';
import { httpClient } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';

const RESULTS = 'test-results';
const DOCS = 'docs/screenshots';
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  locale: 'zh-CN',
};

function screenshot(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return `${RESULTS}/${name}`;
}
function publish(name: string): void {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(`${RESULTS}/${name}`, `${DOCS}/${name}`);
}

interface CaseRow {
  state: string;
  queue_kind: string;
  queue_code: string;
  handling: string | null;
  closed_at: Date | null;
}

describe('cases in Chromium: the worker page and the 案件 panel', () => {
  const env = useServerAndBrowser();
  const db = () => env.server().database.db;

  const caseRow = async (ticket: string): Promise<CaseRow> => {
    const { rows } = await sql<CaseRow>`
      SELECT state, queue_kind, queue_code, handling, closed_at FROM cases WHERE ticket = ${ticket}`.execute(db());
    return rows[0]!;
  };
  const lastEvent = async (ticket: string) => {
    const { rows } = await sql<{ action: string; comment: string | null; details: Record<string, unknown> }>`
      SELECT e.action, e.comment, e.details FROM case_events e JOIN cases c ON c.id = e.case_id
      WHERE c.ticket = ${ticket} ORDER BY e.seq DESC LIMIT 1`.execute(db());
    return rows[0]!;
  };
  const report = async (body: Record<string, unknown>): Promise<NewPublicCaseResponse> => {
    const response = await httpClient(env.server().url).post<NewPublicCaseResponse>('/api/public/cases', { body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as NewPublicCaseResponse;
  };

  /** A demo grid with a full-time worker, a point inside it, and its worker's account (w + grid code). */
  async function workerGrid() {
    const { rows } = await sql<{
      code: string;
      name: string;
      community: string;
      street: string;
      lon: number;
      lat: number;
    }>`
      SELECT g.code, g.name, g.community_code AS community, r.parent_code AS street, ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT code, name, community_code, ST_PointOnSurface(geom) AS p FROM grids) g
      JOIN regions r ON r.code = g.community_code
      WHERE EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time')
      ORDER BY g.code LIMIT 1`.execute(db());
    const grid = rows[0]!;
    const username = `w${grid.code}`;
    // The demo creates these accounts; until it does, one is made here the same way.
    await sql`
      INSERT INTO users (username, display_name, password_hash, role)
      SELECT ${username}, ${grid.name + '网格员'}, password_hash, 'worker' FROM users WHERE username = 'admin'
      ON CONFLICT (username) DO NOTHING`.execute(db());
    await sql`
      INSERT INTO user_grids (user_id, grid_code) SELECT id, ${grid.code} FROM users WHERE username = ${username}
      ON CONFLICT DO NOTHING`.execute(db());
    return { ...grid, lon: Number(grid.lon), lat: Number(grid.lat), username };
  }

  /** A one-tap action (受理, 派给自己): sent at once, the case redrawn in its new state. */
  async function tapAction(page: Page, button: string, state: string): Promise<void> {
    await page.tap(`#action-buttons button[data-button="${button}"]`);
    await page.waitForSelector(`#case-detail[data-state="${state}"]`);
  }
  /** An action with a form: the caller fills it. */
  async function openForm(page: Page, button: string): Promise<void> {
    await page.tap(`#action-buttons button[data-button="${button}"]`);
    await page.waitForSelector(`#action-form[data-button="${button}"]`);
  }

  it('a worker handles a case from 受理 to 结案 on the phone', { timeout: 240_000 }, async () => {
    const base = env.server().url;
    const grid = await workerGrid();
    const phone = '13912345678';
    const main = await report({
      category: 'sanitation',
      description: '楼道口垃圾堆放三天无人清理',
      lon: grid.lon,
      lat: grid.lat,
      phone,
    });
    expect(main.grid?.code).toBe(grid.code);
    // Two more, so the list has an order to show: one already overdue, one to accept.
    const other = await report({ category: 'safety', description: '小区东门路灯不亮', lon: grid.lon, lat: grid.lat });
    const overdue = await report({
      category: 'clutter',
      description: '单元门前电动车乱停',
      lon: grid.lon,
      lat: grid.lat,
    });
    await sql`UPDATE cases SET state = 'accepted', accepted_at = now() - interval '60 hours',
      due_at = now() - interval '12 hours' WHERE ticket = ${overdue.ticket}`.execute(db());
    await sql`INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, actor_label)
      SELECT id, 2, now() - interval '60 hours', 'accept', 'reported', 'accepted', '网格员' FROM cases
      WHERE ticket = ${overdue.ticket}`.execute(db());

    const context = await env.browser().newContext({
      ...PHONE,
      geolocation: { longitude: grid.lon, latitude: grid.lat },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    const { foreign, pageErrors } = watchPage(page, base);
    await page.goto(`${base}/worker`);
    await page.waitForSelector('body[data-view="signin"][data-ready="1"]');
    await page.fill('#sign-in input[name="username"]', grid.username);
    await page.fill('#sign-in input[name="password"]', DEMO_PASSWORD);
    await page.tap('#sign-in button[type="submit"]');
    await page.waitForSelector('body[data-view="list"][data-ready="1"]');

    // 我的待办 (with the demo's own open cases of this grid, if any): overdue first (red), then the
    // ones to accept, oldest first, then by hours left.
    const tickets = await page.$$eval('#case-list .case-row', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.ticket!),
    );
    const kinds = await page.$$eval('#case-list .case-row .time-left', (badges) =>
      badges.map((b) => (b as HTMLElement).dataset.kind!),
    );
    const rank: Record<string, number> = { over: 0, unaccepted: 1, left: 2, none: 3 };
    const ranks = kinds.map((kind) => rank[kind]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const at = (ticket: string) => tickets.indexOf(ticket);
    expect(at(overdue.ticket)).toBeGreaterThanOrEqual(0);
    expect(at(overdue.ticket)).toBeLessThan(at(main.ticket));
    expect(at(main.ticket)).toBeLessThan(at(other.ticket));
    const late = page.locator(`.case-row[data-ticket="${overdue.ticket}"]`);
    expect(await late.getAttribute('class')).toContain('overdue');
    expect(await late.locator('.time-left').textContent()).toMatch(/^超期 1[23] 小时$/);
    expect(await page.locator(`.case-row[data-ticket="${main.ticket}"] .time-left`).textContent()).toBe('待受理');
    await page.screenshot({ path: screenshot('worker-list.png') });
    publish('worker-list.png');

    // The case: names, not codes; the reporter's phone dialable for this worker.
    await page.tap(`.case-row[data-ticket="${main.ticket}"]`);
    await page.waitForSelector('body[data-view="detail"][data-ready="1"]');
    expect(await page.textContent('#case-category')).toBe('环境卫生');
    expect(await page.textContent('#case-grid')).toBe(grid.name);
    expect(await page.getAttribute('#case-phone a', 'href')).toBe(`tel:${phone}`);

    // 受理
    await tapAction(page, 'accept', 'accepted');
    expect((await caseRow(main.ticket)).state).toBe('accepted');
    expect(await page.textContent('#status')).toBe('已受理');
    // Someone else writes a note while the page shows the case: the next tap gets 412, the page
    // reloads the case and says so, and nothing is dispatched.
    const admin = httpClient(base);
    await admin.login('admin');
    const { rows: ids } = await sql<{ id: string; version: number }>`
      SELECT id::text, version FROM cases WHERE ticket = ${main.ticket}`.execute(db());
    const etag = (await admin.get(`/api/cases/${ids[0]!.id}`, { as: 'admin' })).headers.get('etag')!;
    const note = await admin.post(`/api/cases/${ids[0]!.id}/transitions`, {
      as: 'admin',
      ifMatch: etag,
      body: { action: 'note', comment: '街道已知悉' },
    });
    expect(note.status).toBe(200);
    await page.tap('#action-buttons button[data-button="dispatchSelf"]');
    await expect.poll(() => page.textContent('#status')).toBe('案件已被他人更新，已重新加载，请确认后再操作');
    expect(await page.getAttribute('#case-detail', 'data-version')).toBe(String(ids[0]!.version + 1));
    expect(await caseRow(main.ticket)).toMatchObject({ state: 'accepted', queue_kind: 'grid' });
    expect(await lastEvent(main.ticket)).toMatchObject({ action: 'note', comment: '街道已知悉' });

    // 派给自己: into my grid's queue.
    await tapAction(page, 'dispatchSelf', 'dispatched');
    expect(await caseRow(main.ticket)).toMatchObject({
      state: 'dispatched',
      queue_kind: 'grid',
      queue_code: grid.code,
    });
    expect(await page.locator('.time-left').first().textContent()).toMatch(/^剩余 4[78] 小时$/);

    // 处置: the way (preset to the dispatch's, 网格内当场解决) and a comment are required; what is
    // missing is named before anything is sent.
    await openForm(page, 'handle');
    expect(await page.inputValue('#action-form select[name="handling"]')).toBe('on_the_spot');
    await page.tap('#action-submit');
    expect(await page.textContent('#action-form .form-error')).toBe('请填写说明');
    await page.selectOption('#action-form select[name="handling"]', '');
    await page.tap('#action-submit');
    expect(await page.textContent('#action-form .form-error')).toBe('请选择处理方式');
    expect((await caseRow(main.ticket)).state).toBe('dispatched');
    await page.selectOption('#action-form select[name="handling"]', 'on_the_spot');
    await page.fill('#action-form textarea[name="comment"]', '已联系保洁清运完毕');
    await page.screenshot({ path: screenshot('worker-handle.png') });
    await page.tap('#action-submit');
    await page.waitForSelector('#case-detail[data-state="handled"]');
    expect(await caseRow(main.ticket)).toMatchObject({ state: 'handled', handling: 'on_the_spot' });
    expect(await lastEvent(main.ticket)).toMatchObject({ action: 'handle', comment: '已联系保洁清运完毕' });

    // 反馈 by phone: the note is required for an offline route.
    await openForm(page, 'feedback');
    await page.check('#action-form input[value="offline"]');
    await page.tap('#action-submit');
    expect(await page.textContent('#action-form .form-error')).toBe('电话或上门反馈须填写回访记录');
    await page.fill('#action-form textarea[name="comment"]', '电话回访，居民表示已清理干净');
    await page.tap('#action-submit');
    await page.waitForSelector('#case-detail[data-state="fed_back"]');
    expect((await caseRow(main.ticket)).state).toBe('fed_back');
    expect(await lastEvent(main.ticket)).toMatchObject({
      action: 'feedback',
      comment: '电话回访，居民表示已清理干净',
      details: expect.objectContaining({ route: 'offline' }),
    });
    const timeline = await page.$$eval('#case-timeline .timeline-item', (items) =>
      items.map((li) => (li as HTMLElement).dataset.action),
    );
    expect(timeline).toEqual(['feedback', 'handle', 'dispatch', 'note', 'accept', 'report']);
    await page.evaluate(() => window.scrollTo(0, 0)); // the header is sticky: shoot from the top
    await page.screenshot({ path: screenshot('worker-detail.png'), fullPage: true });
    publish('worker-detail.png');

    // 核查结案
    await openForm(page, 'close');
    await page.fill('#action-form textarea[name="comment"]', '现场核查属实，结案');
    await page.tap('#action-submit');
    await page.waitForSelector('#case-detail[data-state="closed"]');
    const closed = await caseRow(main.ticket);
    expect(closed.state).toBe('closed');
    expect(closed.closed_at).not.toBeNull();

    // Back to the list: the closed case has left it.
    await page.tap('#back');
    await page.waitForSelector('body[data-view="list"][data-ready="1"]');
    expect(await page.locator(`.case-row[data-ticket="${main.ticket}"]`).count()).toBe(0);
    expect(await page.locator(`.case-row[data-ticket="${other.ticket}"]`).count()).toBe(1);

    // 巡查上报 at my GPS position: a patrol case routed to my grid, in my list.
    await page.tap('#patrol-button');
    await page.waitForSelector('body[data-view="patrol"][data-ready="1"]');
    await page.selectOption('#patrol-category', 'safety');
    await page.fill('#patrol-description', '井盖破损，已设警示');
    await page.tap('#patrol-submit');
    expect(await page.textContent('#patrol-form .form-error')).toBe('请先确定位置');
    await page.tap('#use-gps');
    await expect.poll(() => page.textContent('#patrol-position')).toContain('已定位');
    await page.waitForSelector('#pick-map[data-ready="1"]', { timeout: 60_000 });
    await page.screenshot({ path: screenshot('worker-patrol.png') });
    publish('worker-patrol.png');
    await page.tap('#patrol-submit');
    await page.waitForSelector('body[data-view="list"][data-ready="1"]');
    const created = /编号 (\S+)/.exec((await page.textContent('#status')) ?? '')?.[1];
    expect(created).toBeDefined();
    const { rows: patrol } = await sql<{ channel: string; grid_code: string; category: string; state: string }>`
      SELECT channel, grid_code, category, state FROM cases WHERE ticket = ${created!}`.execute(db());
    expect(patrol[0]).toEqual({ channel: 'patrol', grid_code: grid.code, category: 'safety', state: 'reported' });
    expect(await page.locator(`.case-row[data-ticket="${created!}"]`).count()).toBe(1);
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a street editor summons a department from the 案件 panel', { timeout: 360_000 }, async () => {
    const base = env.server().url;
    const grid = await workerGrid();
    const editor = `editor-${grid.street.slice(6, 9)}`;
    // The street's departments (the demo configures six; one is enough here).
    await sql`INSERT INTO departments (street_code, name, report_hours) VALUES (${grid.street}, '城管', 24)
      ON CONFLICT (street_code, name) DO NOTHING`.execute(db());
    const { rows } = await sql<{ id: number; report_hours: number }>`
      SELECT id, report_hours FROM departments WHERE street_code = ${grid.street} AND name = '城管'`.execute(db());
    const department = rows[0]!.id;
    const created = await report({
      category: 'illegal_building',
      description: '临街商铺私自搭建雨棚占道',
      lon: grid.lon,
      lat: grid.lat,
    });

    const { page, foreign, pageErrors } = await openApp(env.browser(), base);
    await signIn(page, editor);
    await page.click(`.tree-name[data-code="${grid.street}"]`);
    await page.click('#cases-button');
    await page.waitForSelector('#cases[data-loading="0"]');
    await page.selectOption('#cases-state', 'reported');
    await page.selectOption('#cases-category', 'illegal_building');
    await page.waitForSelector(`.case-item[data-ticket="${created.ticket}"]`);
    await page.click(`.case-item[data-ticket="${created.ticket}"]`);
    await page.waitForSelector('#case-card[data-state="reported"]');
    // Staff other than the worker the case is with see no phone (none was left here).
    expect(await page.textContent('#case-phone')).toBe('未留电话');

    await page.click('#case-actions button[data-action="accept"]');
    await page.click('#action-form button[type="submit"]');
    await page.waitForSelector('#case-card[data-state="accepted"]');
    expect((await caseRow(created.ticket)).state).toBe('accepted');

    await page.click('#case-actions button[data-action="dispatch"]');
    await page.selectOption('#dispatch-kind', 'department');
    expect(await page.$$eval('#dispatch-target option', (o) => o.map((x) => x.textContent))).toContain(
      `城管（${rows[0]!.report_hours} 小时内报到）`,
    );
    await page.selectOption('#dispatch-target', String(department));
    expect(await page.inputValue('#dispatch-handling')).toBe('whistle');
    await page.fill('#dispatch-form textarea[name="comment"]', '请城管执法队现场处置');
    await page.screenshot({ path: screenshot('cases-panel.png') });
    publish('cases-panel.png');
    await page.click('#dispatch-submit');
    await page.waitForSelector('#case-card[data-state="dispatched"]');
    expect(await caseRow(created.ticket)).toMatchObject({
      state: 'dispatched',
      queue_kind: 'department',
      queue_code: String(department),
      handling: 'whistle',
    });
    expect(await page.textContent('#case-queue')).toContain('城管');
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();

    // The department's staff sign in and see their queue first, the summoned case in it.
    await sql`
      INSERT INTO users (username, display_name, password_hash, role, street_code, department_id)
      SELECT 'dept-e2e', '城管值班', password_hash, 'department', ${grid.street}, ${department}
      FROM users WHERE username = 'admin' ON CONFLICT (username) DO NOTHING`.execute(db());
    const dept = await openApp(env.browser(), base);
    await dept.page.click('#login-button');
    await dept.page.fill('#login-dialog input[name="username"]', 'dept-e2e');
    await dept.page.fill('#login-dialog input[name="password"]', DEMO_PASSWORD);
    await dept.page.click('#login-dialog button[type="submit"]');
    await dept.page.waitForSelector('#cases:not([hidden])[data-loading="0"]');
    expect(await dept.page.getAttribute('#cases .tab[data-mode="mine"]', 'aria-pressed')).toBe('true');
    const queue = await dept.page.$$eval('#cases-list .case-item', (items) =>
      items.map((b) => (b as HTMLElement).dataset.ticket),
    );
    expect(queue).toContain(created.ticket);
    expect(dept.pageErrors).toEqual([]);
    await dept.page.close();
  });
});
