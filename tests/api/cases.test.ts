/**
 * Who sees a case, and what bad input does to the case API (issue 18), over real HTTP on each
 * driver. Privacy: every role against one case in grid …001 with a reporter's phone — who may
 * list and read it, and where the phone is whole (the worker it is with), masked (the rest of
 * the chain) or absent (the public). Bad input: each request gets a 4xx JSON error naming the
 * field and leaves every case table as it was. And the per-address limit on reporting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseList, PublicCase, StaffCaseDetail } from '../../common/contracts/cases.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { deeplyNested } from '../helpers/bad-inputs.ts';
import { expectNoPrivateData } from '../helpers/public-privacy.ts';
import {
  COMMUNITY,
  GRID,
  NEIGHBOUR,
  OTHER_COMMUNITY,
  STREET,
  act,
  caseTablesChecksum,
  createStaffUsers,
  departmentId,
  listenApp,
  statesOffTheirTimeline,
  rate,
  reportCase,
  transition,
  type Listening,
  type Reported,
} from '../helpers/cases.ts';

const PHONE = '13812345678';
const MASKED = '138****5678';
/** A point well inside grid …001 of 丽景社区. */
const INSIDE = { lon: 116.6245, lat: 39.508 };

const STAFF = [
  { username: 't-worker', role: 'worker', displayName: '测试网格员甲', grids: [GRID] },
  { username: 't-worker-other', role: 'worker', displayName: '测试网格员乙', grids: [NEIGHBOUR] },
  { username: 't-community', role: 'community', displayName: '测试丽景社区', communityCode: COMMUNITY },
  { username: 't-community-other', role: 'community', displayName: '测试长安社区', communityCode: OTHER_COMMUNITY },
  { username: 't-dept', role: 'department', displayName: '测试城管', department: { street: STREET, name: '城管' } },
  {
    username: 't-dept-other',
    role: 'department',
    displayName: '测试住建',
    department: { street: STREET, name: '住建' },
  },
] as const;
const STAFF_NAMES = ['管理员', '银河南路街道编辑', ...STAFF.map((s) => s.displayName)];

for (const driver of DRIVERS) {
  describe(`cases: privacy, bad input, rate limit [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    const db = () => server.database.db;
    /** With the worker: reported in GRID, still in GRID's queue. */
    let inGrid: Reported;
    /** Dispatched by the street to 城管 (t-dept). */
    let withDept: Reported;

    beforeAll(async () => {
      server = await startTestServer({ driver, config: { caseRateLimit: 0 } });
      await createStaffUsers(db(), STAFF);
      await http.loginAll(['admin', 'planner', 'editor-001', 'editor-002', ...STAFF.map((s) => s.username)]);
      inGrid = await reportCase(http, db(), { ...INSIDE, phone: PHONE, description: '路灯不亮，夜间出行不便' });
      withDept = await reportCase(http, db(), { grid: GRID, phone: PHONE, category: 'illegal_building' });
      await act(http, 'editor-001', withDept.id, { action: 'accept' });
      await act(http, 'editor-001', withDept.id, {
        action: 'dispatch',
        to: { kind: 'department', code: String(await departmentId(db(), STREET, '城管')) },
        handling: 'whistle',
        comment: '街道吹哨',
      });
    }, 180_000);
    afterAll(async () => {
      await server?.close();
    });

    describe('privacy for every role', () => {
      const read = (as: string | undefined, r: Reported) =>
        http.get<StaffCaseDetail>(`/api/cases/${r.id}`, as ? { as } : {});
      const listed = async (as: string) => {
        const res = await http.get<CaseList>('/api/cases?limit=100', { as });
        expect(res.status, res.text).toBe(200);
        return res.body.cases.map((c) => c.id);
      };

      // [user, reads the case in the grid's queue, the phone they see there, reads the department's case, its phone]
      const TABLE: [string, boolean, string | null, boolean, string | null][] = [
        ['admin', true, MASKED, true, MASKED],
        ['editor-001', true, MASKED, true, MASKED],
        ['editor-002', false, null, false, null],
        ['t-worker', true, PHONE, true, MASKED], // the department has it now: masked for the worker too
        ['t-worker-other', false, null, false, null],
        ['t-community', true, MASKED, true, MASKED],
        ['t-community-other', false, null, false, null],
        ['t-dept', false, null, true, MASKED],
        ['t-dept-other', false, null, false, null],
      ];

      for (const [user, readsGrid, gridPhone, readsDept, deptPhone] of TABLE) {
        it(`${user}: ${readsGrid ? 'reads' : 'cannot read'} the grid's case, ${readsDept ? 'reads' : 'cannot read'} the department's`, async () => {
          const ids = await listed(user);
          for (const [r, reads, phone] of [
            [inGrid, readsGrid, gridPhone],
            [withDept, readsDept, deptPhone],
          ] as const) {
            const res = await read(user, r);
            if (reads) {
              expect(res.status, res.text).toBe(200);
              expect(res.body.reporterPhone).toBe(phone);
              expect(ids).toContain(r.id);
            } else {
              expect(res.status, res.text).toBe(404); // not 403: ids of other streets cannot be probed
              expect(res.text).not.toContain(PHONE);
              expect(res.text).not.toContain(MASKED);
              expect(ids).not.toContain(r.id);
            }
          }
        });
      }

      it('the list masks the phone as the detail does', async () => {
        const res = await http.get<CaseList>('/api/cases?limit=100', { as: 't-worker' });
        const phones = Object.fromEntries(res.body.cases.map((c) => [c.id, c.reporterPhone]));
        expect(phones[inGrid.id]).toBe(PHONE);
        expect(phones[withDept.id]).toBe(MASKED);
        const admin = await http.get<CaseList>('/api/cases?limit=100', { as: 'admin' });
        expect(admin.text).not.toContain(PHONE);
      });

      it('planners read no case (statistics only); anonymous readers are asked to sign in', async () => {
        for (const path of ['/api/cases', `/api/cases/${inGrid.id}`]) {
          const res = await http.get(path, { as: 'planner' });
          expect(res.status, `${path}: ${res.text}`).toBe(403);
          expect(res.text).not.toContain(PHONE);
          expect(res.text).not.toContain(MASKED);
          expect((await http.get(path)).status).toBe(401);
        }
      });

      it('a worker of another grid cannot act on the case either (404, nothing written)', async () => {
        const before = await caseTablesChecksum(db());
        const etag = (await read('admin', inGrid)).etag!;
        const res = await transition(http, 't-worker-other', inGrid.id, { action: 'accept' }, etag);
        expect(res.status, res.text).toBe(404);
        expect(await caseTablesChecksum(db())).toBe(before);
      });

      it('the public answer has no phone and no staff names; a wrong token is the same 404 as an unknown ticket', async () => {
        // A staff note that quotes a phone number: staff read it; notes are internal, so the public timeline
        // shows the step without its text (feedback and handling texts are shown, with numbers masked).
        const note = await act(http, 't-worker', withDept.id, {
          action: 'note',
          comment: '已联系居民（13900001111）约定上门',
        });
        expect(note.timeline.at(-1)!.comment).toBe('已联系居民（13900001111）约定上门');
        const ok = await http.get<PublicCase>(`/api/public/cases/${withDept.ticket}?token=${withDept.token}`);
        expect(ok.status, ok.text).toBe(200);
        expect(ok.body.timeline.map((e) => e.action)).toEqual(['report', 'accept', 'dispatch', 'note']);
        expect(ok.body.timeline.map((e) => e.actor)).toEqual(['居民', '街道', '街道', '网格员']);
        expect(ok.text).not.toContain('13900001111');
        expect(ok.body.timeline.at(-1)!.comment).toBeNull();
        expect(ok.text).not.toContain(PHONE);
        expect(ok.text).not.toContain(MASKED);
        expect(ok.text).not.toMatch(/phone/i);
        for (const name of STAFF_NAMES) expect(ok.text, name).not.toContain(name);
        expectNoPrivateData(ok.body, new Set());

        const wrong = await http.get(`/api/public/cases/${withDept.ticket}?token=${'x'.repeat(24)}`);
        const missing = await http.get(`/api/public/cases/${withDept.ticket}`);
        const unknown = await http.get(`/api/public/cases/20991231-999999?token=${withDept.token}`);
        for (const res of [wrong, missing, unknown]) {
          expect(res.status, res.text).toBe(404);
          expect(res.body.error?.code).toBe(unknown.body.error?.code);
        }
        expect(wrong.text.replace(withDept.ticket, 'T')).toBe(unknown.text.replace('20991231-999999', 'T'));
        // Another case's token does not open this one.
        expect((await http.get(`/api/public/cases/${withDept.ticket}?token=${inGrid.token}`)).status).toBe(404);
      });
    });

    describe('who may act', () => {
      it('each role acts only within its place; a refusal writes nothing', async () => {
        const fresh = () => reportCase(http, db(), { grid: GRID });
        const accepted = async () => {
          const c = await fresh();
          await act(http, 'admin', c.id, { action: 'accept' });
          return c;
        };
        const dept = String(await departmentId(db(), STREET, '城管'));
        // [user, the case, the request, the answer]
        const TABLE: [string, () => Promise<Reported>, Record<string, unknown>, number][] = [
          ['t-worker', fresh, { action: 'accept' }, 200],
          ['t-community', fresh, { action: 'accept' }, 200],
          ['editor-001', fresh, { action: 'accept' }, 200],
          ['t-worker-other', fresh, { action: 'accept' }, 404],
          ['t-community-other', fresh, { action: 'accept' }, 404],
          ['editor-002', fresh, { action: 'accept' }, 404],
          ['t-dept', fresh, { action: 'accept' }, 404],
          ['planner', fresh, { action: 'accept' }, 403],
          ['t-worker', accepted, { action: 'dispatch', to: { kind: 'grid', code: GRID } }, 200],
          ['t-worker', accepted, { action: 'dispatch', to: { kind: 'grid', code: NEIGHBOUR } }, 403],
          ['t-worker', accepted, { action: 'dispatch', to: { kind: 'department', code: dept } }, 403],
          ['t-community', accepted, { action: 'dispatch', to: { kind: 'grid', code: '131002001002001' } }, 403],
          ['editor-001', accepted, { action: 'dispatch', to: { kind: 'department', code: dept } }, 200],
          ['t-dept', async () => withDept, { action: 'handle', handling: 'whistle', comment: '已拆除' }, 200],
          ['t-worker', async () => withDept, { action: 'note', comment: '已到现场查看' }, 200],
          ['t-dept-other', async () => withDept, { action: 'note', comment: '看一看' }, 404],
        ];
        for (const [user, make, body, status] of TABLE) {
          const c = await make();
          const etag = (await http.get(`/api/cases/${c.id}`, { as: 'admin' })).etag!;
          const before = await caseTablesChecksum(db());
          const res = await transition(http, user, c.id, body, etag);
          expect(res.status, `${user} ${JSON.stringify(body)}: ${res.text}`).toBe(status);
          if (status !== 200) expect(await caseTablesChecksum(db()), user).toBe(before);
        }
      });

      it('grid workers report what they find on patrol; departments, planners and the anonymous cannot', async () => {
        const body = { category: 'clutter', description: '巡查发现：楼道堆物', ...INSIDE };
        const made = await http.post<{ id: number; grid: { code: string } }>('/api/cases', { as: 't-worker', body });
        expect(made.status, made.text).toBe(201);
        expect(made.body.grid.code).toBe(GRID);
        const detail = await http.get<StaffCaseDetail>(`/api/cases/${made.body.id}`, { as: 't-worker' });
        expect(detail.body).toMatchObject({
          channel: 'patrol',
          state: 'reported',
          queue: { kind: 'grid', code: GRID },
        });
        const before = await caseTablesChecksum(db());
        expect((await http.post('/api/cases', { as: 't-dept', body })).status).toBe(403);
        expect((await http.post('/api/cases', { as: 'planner', body })).status).toBe(403);
        expect((await http.post('/api/cases', { body })).status).toBe(401);
        const noPoint = await http.post('/api/cases', {
          as: 't-worker',
          body: { category: 'clutter', description: '巡查发现' },
        });
        expect(noPoint.status).toBe(400);
        expect(noPoint.body.error?.param).toBe('lon');
        expect(await caseTablesChecksum(db())).toBe(before);
      });
    });

    describe('bad input: 4xx naming the field, nothing written', () => {
      const report = (body: unknown) => http.post('/api/public/cases', { body });
      const valid = { category: 'safety', description: '井盖缺失，有安全隐患', ...INSIDE };
      const CASES: [string, unknown, string][] = [
        ['unknown category', { ...valid, category: 'aliens' }, 'category'],
        ['missing description', { category: 'safety', ...INSIDE }, 'description'],
        ['a one-letter description', { ...valid, description: 'x' }, 'description'],
        ['a point in Paris (outside China)', { ...valid, lon: 2.35, lat: 48.85 }, 'lon'],
        ['lat and lon swapped', { ...valid, lon: INSIDE.lat, lat: INSIDE.lon }, 'lon'],
        ['lat beyond 90°', { ...valid, lat: 116.6 }, 'lat'],
        ['a point north of China', { ...valid, lat: 60 }, 'lat'],
        ['a point in China but 20 km from every community', { ...valid, lon: 116.4, lat: 39.9 }, 'lon'],
        ['a CRS that is not offered', { ...valid, crs: 'epsg:3857' }, 'crs'],
        ['lon as a string', { ...valid, lon: '116.6245' }, 'lon'],
        ['lon without lat', { category: 'safety', description: '井盖缺失', lon: 116.6245 }, 'lat'],
        ['no location at all', { category: 'safety', description: '井盖缺失' }, 'lon'],
        ['a grid code that is not 15 digits', { category: 'safety', description: '井盖缺失', grid: '1310' }, 'grid'],
        ['an unknown grid code', { category: 'safety', description: '井盖缺失', grid: '131002999999999' }, 'grid'],
        ['a phone that is not a number', { ...valid, phone: 'call me' }, 'phone'],
        ['a field the API does not take', { ...valid, reporterName: '张三' }, 'reporterName'],
      ];
      for (const [name, body, field] of CASES) {
        it(`report: ${name} → 400 naming ${field}`, async () => {
          const before = await caseTablesChecksum(db());
          const res = await report(body);
          expect(res.status, res.text).toBe(400);
          expect(res.body.error?.param ?? res.body.error?.message, res.text).toContain(field);
          expect(await caseTablesChecksum(db())).toBe(before);
        });
      }

      it('report: a body nested 2,000 deep, a non-finite number, and not JSON → 4xx JSON, nothing written', async () => {
        const before = await caseTablesChecksum(db());
        for (const raw of [
          deeplyNested(2_000),
          JSON.stringify(valid).replace('"lon":116.6245', '"lon":1e999'),
          'category=safety',
        ]) {
          const res = await http.post('/api/public/cases', { raw, contentType: 'application/json' });
          expect(res.status, raw.slice(0, 40)).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.body.error?.code, res.text).toBeTruthy();
        }
        expect(await caseTablesChecksum(db())).toBe(before);
      });

      it('rating: a rating not in the list, a wrong token, an unknown ticket', async () => {
        const c = await reportCase(http, db(), { grid: GRID });
        for (const action of ['accept', 'dispatch', 'handle', 'feedback', 'close'])
          await act(http, 'admin', c.id, {
            action,
            ...(action === 'dispatch' ? { to: { kind: 'grid', code: GRID } } : {}),
            ...(action === 'feedback' ? { route: 'online' } : {}),
            comment: '处理完毕',
          });
        const before = await caseTablesChecksum(db());
        const bad = await rate(http, c, 'excellent');
        expect(bad.status).toBe(400);
        expect(bad.body.error?.param ?? bad.body.error?.message).toContain('rating');
        expect((await rate(http, c, 'satisfied', 'y'.repeat(24))).status).toBe(404);
        const unknown = await http.post('/api/public/cases/20991231-999999/rating', {
          body: { token: c.token, rating: 'satisfied' },
        });
        expect(unknown.status).toBe(404);
        expect(await caseTablesChecksum(db())).toBe(before);
        expect((await rate(http, c, 'satisfied')).status).toBe(200);
      });

      describe('transitions', () => {
        let c: Reported;
        let etag: string;
        beforeAll(async () => {
          c = await reportCase(http, db(), { grid: GRID });
          await act(http, 'admin', c.id, { action: 'accept' });
          etag = (await http.get(`/api/cases/${c.id}`, { as: 'admin' })).etag!;
        });
        const send = (body: unknown, ifMatch: string | undefined = etag) =>
          http.post(`/api/cases/${c.id}/transitions`, { as: 'editor-001', body, ifMatch });

        const BAD: [string, () => Promise<unknown>, string][] = [
          ['an unknown action', async () => ({ action: 'destroy' }), 'action'],
          ['report (the resident’s)', async () => ({ action: 'report' }), 'action'],
          ['rate (the resident’s)', async () => ({ action: 'rate' }), 'action'],
          ['dispatch without a target', async () => ({ action: 'dispatch' }), 'to'],
          [
            'dispatch to an unknown department',
            async () => ({ action: 'dispatch', to: { kind: 'department', code: '999999' } }),
            'to.code',
          ],
          [
            'dispatch to a department of another street',
            async () => ({
              action: 'dispatch',
              to: { kind: 'department', code: String(await otherStreetDepartment()) },
            }),
            'to.code',
          ],
          [
            'dispatch to a grid of another street',
            async () => ({ action: 'dispatch', to: { kind: 'grid', code: '131002002001001' } }),
            'to.code',
          ],
          [
            'dispatch to an unknown grid',
            async () => ({ action: 'dispatch', to: { kind: 'grid', code: '131002001001999' } }),
            'to.code',
          ],
          [
            'dispatch to an unknown queue kind',
            async () => ({ action: 'dispatch', to: { kind: 'mayor', code: '1' } }),
            'to',
          ],
          [
            'dispatch with an unknown way of handling',
            async () => ({ action: 'dispatch', to: { kind: 'grid', code: GRID }, handling: 'magic' }),
            'handling',
          ],
          ['a field the API does not take', async () => ({ action: 'note', comment: 'x', urgent: true }), 'urgent'],
        ];
        const otherStreetDepartment = async () => {
          const { rows } = await sql<{
            id: number;
          }>`INSERT INTO departments (street_code, name) VALUES ('131002002000', '测试供水')
            ON CONFLICT (street_code, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`.execute(db());
          return rows[0]!.id;
        };
        for (const [name, body, field] of BAD) {
          it(`${name} → 400 naming ${field}`, async () => {
            const payload = await body();
            const before = await caseTablesChecksum(db());
            const res = await send(payload);
            expect(res.status, res.text).toBe(400);
            expect(res.body.error?.param ?? res.body.error?.message, res.text).toContain(field);
            expect(await caseTablesChecksum(db())).toBe(before);
          });
        }

        it('no If-Match → 428; an unknown case → 404; nothing written', async () => {
          const before = await caseTablesChecksum(db());
          const missing = await http.post(`/api/cases/${c.id}/transitions`, {
            as: 'editor-001',
            body: { action: 'note', comment: '补充' },
          });
          expect(missing.status, missing.text).toBe(428);
          expect(
            (
              await http.post('/api/cases/99999999/transitions', {
                as: 'admin',
                body: { action: 'note', comment: 'x' },
                ifMatch: etag,
              })
            ).status,
          ).toBe(404);
          const notAnId = await http.get('/api/cases/abc', { as: 'admin' });
          expect([400, 404]).toContain(notAnId.status);
          expect(await caseTablesChecksum(db())).toBe(before);
        });

        it('a list filter that is not a state → 400 naming state', async () => {
          const res = await http.get('/api/cases?state=bogus', { as: 'admin' });
          expect(res.status, res.text).toBe(400);
          expect(res.body.error?.param ?? res.body.error?.message).toContain('state');
        });
      });
    });

    describe('rate limit per address on reporting', () => {
      let limited: Listening;
      beforeAll(async () => {
        limited = await listenApp({
          db: db(),
          driver,
          config: { ...server.config, caseRateLimit: 3, trustProxy: 'loopback' },
        });
      });
      afterAll(async () => {
        await limited?.close();
      });

      it('takes 3 reports an hour from one address, refuses the 4th with 429 and writes nothing; other addresses go on', async () => {
        const client = httpClient(limited.url);
        const from = (ip: string) => ({ 'x-forwarded-for': ip });
        const body = { category: 'clutter', description: '楼下堆放建筑垃圾', grid: GRID };
        for (let i = 0; i < 3; i++) {
          const res = await client.post('/api/public/cases', { body, headers: from('203.0.113.7') });
          expect(res.status, res.text).toBe(201);
        }
        const before = await caseTablesChecksum(db());
        const refused = await client.post('/api/public/cases', { body, headers: from('203.0.113.7') });
        expect(refused.status).toBe(429);
        expect(refused.body.error?.code).toBe('rate_limited');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await caseTablesChecksum(db())).toBe(before);
        expect((await client.post('/api/public/cases', { body, headers: from('203.0.113.8') })).status).toBe(201);
        // Tracking is not reporting: the limited address still reads its case.
        const ticket = (
          await client.get('/api/public/cases/20991231-999999?token=xxxxxxxxxxxx', { headers: from('203.0.113.7') })
        ).status;
        expect(ticket).toBe(404);
      });
    });

    it('every case state equals the replay of its timeline', async () => {
      expect(await statesOffTheirTimeline(db())).toEqual([]);
    });
  });
}
