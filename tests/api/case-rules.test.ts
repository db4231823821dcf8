/**
 * The rules of the case API (issue 18) over real HTTP on each driver, with a clock the test
 * moves: every (state, action) pair of the lifecycle (allowed → the rule's state, refused → 409
 * with nothing written), If-Match, rating once per closure, routing on grid boundaries checked
 * against PostGIS, time limits from acceptance, and the 50 m / 72 h duplicate rule. After all
 * of it, every case's state column equals the replay of its timeline.
 *
 * Boundary fixtures (demo district, 丽景社区): grids …001 and …003 share the edge
 * (116.6269763 39.5064059)–(116.6265536 39.5077384); its float midpoint lies exactly on it
 * (PostGIS covers it from both sides). The vertex (116.6269763 39.5064059) is a corner of
 * …001, …003, …005 and …006. A point on a shared boundary goes to the first grid by code.
 *
 *          …001 │ …003
 *               │
 *      west ·  ─┼─  · east      ← the edge's midpoint, and 2e-9° either side of it
 *               │
 *   …005  ──────●──────  …006   ← the shared vertex
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import gcoord from 'gcoord';
import type { StaffCase, StaffCaseDetail } from '../../common/contracts/cases.ts';
import { CASE_STATES, STAFF_ACTIONS, type CaseState, type StaffAction } from '../../common/rules/case-lifecycle.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  COMMUNITY,
  GRID,
  NEIGHBOUR,
  STREET,
  act,
  caseRow,
  caseTablesChecksum,
  eventCount,
  rate,
  reportCase,
  statesOffTheirTimeline,
  transition,
  listenApp,
  type CaseRow,
  type Listening,
  type Reported,
} from '../helpers/cases.ts';

const ADMIN = 'admin';
const HOUR = 3_600_000;

/** A valid body for every staff action (a refusal must come from the state rule, not the body). */
function bodyFor(action: StaffAction, original: Reported): Record<string, unknown> {
  switch (action) {
    case 'accept':
      return { action };
    case 'not_accept':
      return { action, comment: '不属于受理范围' };
    case 'merge':
      return { action, duplicateOf: original.ticket, comment: '重复反映' };
    case 'dispatch':
      return { action, to: { kind: 'grid', code: GRID }, comment: '派至网格员' };
    case 'escalate':
      return { action, comment: '需上级协调' };
    case 'return':
      return { action, comment: '不属于本网格，退回' };
    case 'handle':
      return { action, handling: 'on_the_spot', comment: '已当场清理' };
    case 'feedback':
      return { action, route: 'offline', comment: '已电话告知居民' };
    case 'close':
      return { action, comment: '核查属实，结案' };
    case 'reopen':
      return { action, comment: '居民不满意，重新办理' };
    case 'note':
      return { action, comment: '补充说明' };
  }
}

/** Where each staff action leads from each state; absent: 409. */
const EXPECTED: Record<CaseState, Partial<Record<StaffAction, CaseState>>> = {
  reported: { accept: 'accepted', not_accept: 'not_accepted', merge: 'merged', note: 'reported' },
  accepted: { dispatch: 'dispatched', escalate: 'accepted', merge: 'merged', note: 'accepted' },
  dispatched: {
    dispatch: 'dispatched',
    escalate: 'dispatched',
    return: 'accepted',
    handle: 'handled',
    note: 'dispatched',
  },
  handled: { feedback: 'fed_back', return: 'dispatched', note: 'handled' },
  fed_back: { close: 'closed', return: 'dispatched', note: 'fed_back' },
  closed: { note: 'closed' },
  rated: { note: 'rated' }, // rated 满意: no reopen
  not_accepted: { note: 'not_accepted' },
  merged: { note: 'merged' },
};

/** The staff steps to each state from 上报 (rated: a 满意 rating by the resident after closing). */
const PATH: Record<CaseState, readonly StaffAction[]> = {
  reported: [],
  accepted: ['accept'],
  dispatched: ['accept', 'dispatch'],
  handled: ['accept', 'dispatch', 'handle'],
  fed_back: ['accept', 'dispatch', 'handle', 'feedback'],
  closed: ['accept', 'dispatch', 'handle', 'feedback', 'close'],
  rated: ['accept', 'dispatch', 'handle', 'feedback', 'close'],
  not_accepted: ['not_accept'],
  merged: ['merge'],
};

for (const driver of DRIVERS) {
  describe(`case rules [${driver}]`, () => {
    let server: TestServer;
    let clock = new Date('2026-12-01T01:00:00Z');
    const http = httpClient(() => server.url);
    const db = () => server.database.db;
    /** A case reported from a board's QR code in GRID (no point: no duplicate offers in the way). */
    const boardCase = () => reportCase(http, db(), { grid: GRID });

    /** A new case walked to `state` by the admin. */
    async function caseIn(state: CaseState, original: Reported, rating = 'satisfied'): Promise<Reported> {
      const c = await boardCase();
      for (const action of PATH[state]) await act(http, ADMIN, c.id, bodyFor(action, original));
      if (state === 'rated') expect((await rate(http, c, rating)).status).toBe(200);
      expect((await caseRow(db(), c.id)).state).toBe(state);
      return c;
    }

    beforeAll(async () => {
      server = await startTestServer({ driver, now: () => clock, config: { caseRateLimit: 0 } });
      await http.loginAll([ADMIN, 'editor-001']);
    }, 180_000);
    afterAll(async () => {
      await server?.close();
    });

    describe('every (state, action) pair', () => {
      let original: Reported;
      beforeAll(async () => {
        original = await boardCase();
      });

      for (const state of CASE_STATES) {
        const allowed = Object.keys(EXPECTED[state]) as StaffAction[];
        const refused = STAFF_ACTIONS.filter((a) => !allowed.includes(a as StaffAction)) as StaffAction[];

        it(`${state}: ${refused.join(', ')} → 409, nothing written`, async () => {
          const c = await caseIn(state, original);
          const detail = await http.get<StaffCaseDetail>(`/api/cases/${c.id}`, { as: ADMIN });
          expect([...detail.body.actions].sort(), 'the actions offered').toEqual([...allowed].sort());
          const before = await caseTablesChecksum(db());
          const events = await eventCount(db(), c.id);
          for (const action of refused) {
            const res = await transition(http, ADMIN, c.id, bodyFor(action, original));
            expect(res.status, `${action} from ${state}: ${res.text}`).toBe(409);
            expect(res.body.error?.code).toBeTruthy();
          }
          expect(await eventCount(db(), c.id)).toBe(events);
          expect(await caseTablesChecksum(db())).toBe(before);
        });

        for (const action of allowed) {
          it(`${state} + ${action} → ${EXPECTED[state][action]}, one event more`, async () => {
            const c = await caseIn(state, original);
            const events = await eventCount(db(), c.id);
            const { version } = await caseRow(db(), c.id);
            const res = await transition(http, ADMIN, c.id, bodyFor(action, original));
            expect(res.status, res.text).toBe(200);
            expect(res.body.state).toBe(EXPECTED[state][action]);
            const row = await caseRow(db(), c.id);
            expect(row.state).toBe(EXPECTED[state][action]);
            expect(row.version).toBe(version + 1);
            expect(await eventCount(db(), c.id)).toBe(events + 1);
          });
        }
      }

      it('reopens a case rated 不满意 (and only that), back to 已派遣', async () => {
        const unhappy = await caseIn('rated', original, 'unsatisfied');
        const res = await transition(http, ADMIN, unhappy.id, bodyFor('reopen', original));
        expect(res.status, res.text).toBe(200);
        expect(res.body.state).toBe('dispatched');
        for (const rating of ['satisfied', 'basically_satisfied']) {
          const happy = await caseIn('rated', original, rating);
          const before = await caseTablesChecksum(db());
          expect((await transition(http, ADMIN, happy.id, bodyFor('reopen', original))).status).toBe(409);
          expect(await caseTablesChecksum(db())).toBe(before);
        }
      });

      it('escalate is offered only where there is a level above: not once the street has the case', async () => {
        const c = await caseIn('accepted', original);
        await act(http, ADMIN, c.id, { action: 'dispatch', to: { kind: 'street', code: STREET }, comment: '街道处理' });
        const detail = await http.get<StaffCaseDetail>(`/api/cases/${c.id}`, { as: ADMIN });
        expect(detail.body.queue).toMatchObject({ kind: 'street', code: STREET });
        const before = await caseTablesChecksum(db());
        const res = await transition(http, ADMIN, c.id, bodyFor('escalate', original));
        expect(res.status, res.text).toBe(409);
        expect(await caseTablesChecksum(db())).toBe(before);
        expect(detail.body.actions).not.toContain('escalate');
      });

      it('a stale If-Match gets 412 and writes nothing; the current one goes through', async () => {
        const c = await boardCase();
        const stale = (await http.get(`/api/cases/${c.id}`, { as: ADMIN })).etag!;
        expect(stale).toBeTruthy();
        await act(http, ADMIN, c.id, bodyFor('note', original));
        const before = await caseTablesChecksum(db());
        const res = await transition(http, ADMIN, c.id, bodyFor('accept', original), stale);
        expect(res.status, res.text).toBe(412);
        expect(await caseTablesChecksum(db())).toBe(before);
        expect((await caseRow(db(), c.id)).state).toBe('reported');
        const fresh = await http.get(`/api/cases/${c.id}`, { as: ADMIN });
        expect(fresh.etag).not.toBe(stale);
        expect((await transition(http, ADMIN, c.id, bodyFor('accept', original), fresh.etag!)).status).toBe(200);
      });

      it('two transitions sent at once with the same ETag: one goes through, the other gets 412', async () => {
        const c = await boardCase();
        const etag = (await http.get(`/api/cases/${c.id}`, { as: ADMIN })).etag!;
        const events = await eventCount(db(), c.id);
        const answers = await Promise.all([
          transition(http, ADMIN, c.id, bodyFor('accept', original), etag),
          transition(http, 'editor-001', c.id, bodyFor('not_accept', original), etag),
        ]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
        expect(await eventCount(db(), c.id)).toBe(events + 1);
        const won = answers.find((a) => a.status === 200)!.body.state;
        expect((await caseRow(db(), c.id)).state).toBe(won);
      });

      it('two ratings sent at once: one is kept, the other gets 409', async () => {
        const c = await caseIn('closed', original);
        const answers = await Promise.all([rate(http, c, 'satisfied'), rate(http, c, 'unsatisfied')]);
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events
          WHERE case_id = ${c.id} AND action = 'rate'`.execute(db());
        expect(rows[0]!.n).toBe(1);
      });

      it('rates once per closure: again only after a reopen and a new closure', async () => {
        const c = await caseIn('closed', original);
        expect((await http.get(`/api/public/cases/${c.ticket}?token=${c.token}`)).body.canRate).toBe(true);
        expect((await rate(http, c, 'unsatisfied')).status).toBe(200);
        let before = await caseTablesChecksum(db());
        const twice = await rate(http, c, 'satisfied');
        expect(twice.status, twice.text).toBe(409);
        expect(await caseTablesChecksum(db())).toBe(before);
        expect((await http.get(`/api/public/cases/${c.ticket}?token=${c.token}`)).body).toMatchObject({
          state: 'rated',
          rating: 'unsatisfied',
          canRate: false,
        });

        await act(http, ADMIN, c.id, bodyFor('reopen', original));
        before = await caseTablesChecksum(db());
        expect((await rate(http, c, 'satisfied')).status).toBe(409); // reopened, not closed yet
        expect(await caseTablesChecksum(db())).toBe(before);
        for (const action of ['handle', 'feedback', 'close'] as const)
          await act(http, ADMIN, c.id, bodyFor(action, original));
        expect((await rate(http, c, 'basically_satisfied')).status).toBe(200);
        expect((await rate(http, c, 'satisfied')).status).toBe(409);
        const detail = await http.get<StaffCaseDetail>(`/api/cases/${c.id}`, { as: ADMIN });
        expect(detail.body.rating).toBe('basically_satisfied');
        expect(detail.body.timeline.filter((e) => e.action === 'rate').map((e) => e.details.rating)).toEqual([
          'unsatisfied',
          'basically_satisfied',
        ]);
      });

      it('cannot rate before closing', async () => {
        const c = await caseIn('fed_back', original);
        const before = await caseTablesChecksum(db());
        expect((await rate(http, c, 'satisfied')).status).toBe(409);
        expect(await caseTablesChecksum(db())).toBe(before);
      });
    });

    describe('routing on grid boundaries, checked against PostGIS', () => {
      /** The grids PostGIS says cover the point, by code. */
      async function covering(lon: number, lat: number): Promise<string[]> {
        const { rows } = await sql<{ code: string }>`SELECT code FROM grids
          WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY code`.execute(db());
        return rows.map((r) => r.code);
      }
      /** The same routes with the finder's index off: PostGIS per request. */
      let direct: Listening;
      beforeAll(async () => {
        direct = await listenApp({
          db: db(),
          driver,
          config: { ...server.config, publicIndex: false },
          now: () => clock,
        });
      });
      afterAll(async () => {
        await direct?.close();
      });
      /** Reported through the index and through PostGIS: both must route it alike. */
      const routed = async (lon: number, lat: number, crs?: string) => {
        const r = await reportCase(http, db(), { lon, lat, crs, category: 'livelihood' });
        const row = await caseRow(db(), r.id);
        const viaDb = await reportCase(httpClient(direct.url), db(), { lon, lat, crs, category: 'livelihood' });
        const pick = ({ grid_code, community_code, outside_grids, queue_kind, queue_code }: CaseRow) => ({
          grid_code,
          community_code,
          outside_grids,
          queue_kind,
          queue_code,
        });
        expect(pick(await caseRow(db(), viaDb.id)), 'PostGIS per request').toEqual(pick(row));
        return { ...r, row };
      };
      // The shared edge …001 | …003 and a unit normal pointing into …003 (east).
      const [ax, ay, bx, by] = [116.6269763, 39.5064059, 116.6265536, 39.5077384];
      const mid = [(ax + bx) / 2, (ay + by) / 2] as const;
      const len = Math.hypot(by - ay, ax - bx);
      const east = [(by - ay) / len, (ax - bx) / len] as const;

      it('a point exactly on the shared edge goes to the first grid by code', async () => {
        expect(await covering(...mid)).toEqual([GRID, NEIGHBOUR]);
        const r = await routed(...mid);
        expect(r.body.grid?.code).toBe(GRID);
        expect(r.row).toMatchObject({ grid_code: GRID, queue_kind: 'grid', queue_code: GRID, outside_grids: false });
      });

      it('a point at a vertex of four grids goes to the first of them', async () => {
        expect(await covering(ax, ay)).toEqual([GRID, NEIGHBOUR, '131002001001005', '131002001001006']);
        expect((await routed(ax, ay)).row.grid_code).toBe(GRID);
      });

      it('a point 2e-9° inside either side goes to that side (full-precision coordinates)', async () => {
        const d = 2e-9;
        const inWest = [mid[0] - d * east[0], mid[1] - d * east[1]] as const;
        const inEast = [mid[0] + d * east[0], mid[1] + d * east[1]] as const;
        expect(await covering(...inWest)).toEqual([GRID]);
        expect(await covering(...inEast)).toEqual([NEIGHBOUR]);
        expect((await routed(...inWest)).row.grid_code).toBe(GRID);
        const r = await routed(...inEast);
        expect(r.row).toMatchObject({ grid_code: NEIGHBOUR, queue_code: NEIGHBOUR, community_code: COMMUNITY });
      });

      it('a point in the deliberate gap of 131002003011 goes to that community, flagged', async () => {
        const gap = [116.7113145, 39.4805136] as const;
        expect(await covering(...gap)).toEqual([]);
        const r = await routed(...gap);
        expect(r.body.grid).toBeNull();
        expect(r.row).toMatchObject({
          grid_code: null,
          community_code: '131002003011',
          queue_kind: 'community',
          queue_code: '131002003011',
          outside_grids: true,
        });
      });

      it('a point outside the district goes to the nearest community by geodesic distance, flagged', async () => {
        const outside = [116.79, 39.5] as const; // ~1.5 km east of the district
        expect(await covering(...outside)).toEqual([]);
        const { rows } = await sql<{ code: string }>`SELECT code FROM regions WHERE level = 'community'
          ORDER BY ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${outside[0]}, ${outside[1]}), 4326)::geography)
          LIMIT 1`.execute(db());
        const r = await routed(...outside);
        expect(r.row).toMatchObject({
          grid_code: null,
          community_code: rows[0]!.code,
          queue_kind: 'community',
          queue_code: rows[0]!.code,
          outside_grids: true,
        });
        const staff = await http.get<StaffCase>(`/api/cases/${r.id}`, { as: ADMIN });
        expect(staff.body).toMatchObject({ outsideGrids: true, grid: null, queue: { kind: 'community' } });
      });

      it('a GCJ-02 point with crs=gcj02 lands in the grid of its WGS84 position', async () => {
        const inner = [mid[0] + 2e-4 * east[0], mid[1] + 2e-4 * east[1]] as [number, number]; // ~20 m into …003
        expect(await covering(...inner)).toEqual([NEIGHBOUR]);
        const gcj = gcoord.transform([...inner], gcoord.WGS84, gcoord.GCJ02) as [number, number];
        const declared = await routed(gcj[0], gcj[1], 'gcj02');
        expect(declared.row.grid_code).toBe(NEIGHBOUR);
        // Undeclared, the same numbers are ~600 m off: another grid, which proves the conversion mattered.
        const [wrong] = await covering(gcj[0], gcj[1]);
        expect(wrong).not.toBe(NEIGHBOUR);
        expect((await routed(gcj[0], gcj[1])).row.grid_code).toBe(wrong ?? null);
      });

      it('a grid code from a board routes to that grid', async () => {
        const r = await reportCase(http, db(), { grid: NEIGHBOUR });
        expect(await caseRow(db(), r.id)).toMatchObject({ grid_code: NEIGHBOUR, queue_code: NEIGHBOUR });
      });
    });

    describe('time limits, with the clock moved', () => {
      const T0 = new Date('2026-12-02T00:00:00Z');
      const walk = async (c: Reported, actions: readonly StaffAction[], original: Reported) => {
        for (const action of actions) await act(http, ADMIN, c.id, bodyFor(action, original));
      };
      const onTimeClosures = async () => {
        const { rows } = await sql<{ n: number }>`SELECT coalesce(sum(closed_on_time), 0)::int AS n,
          coalesce(sum(closed), 0)::int AS closed FROM case_daily_stats WHERE grid_code = ${GRID}
          AND category = 'safety'`.execute(db());
        return rows[0]! as { n: number; closed: number };
      };

      it('is due the category limit after acceptance (not after reporting)', async () => {
        clock = T0;
        const c = await boardCase(); // 安全隐患: 24 h
        clock = new Date(T0.getTime() + 2 * HOUR);
        const accepted = await act(http, ADMIN, c.id, { action: 'accept' });
        expect(accepted.acceptedAt).toBe(clock.toISOString());
        expect(accepted.dueAt).toBe(new Date(T0.getTime() + 26 * HOUR).toISOString());
        expect(accepted.hoursLeft).toBe(24);
        const sanitation = await reportCase(http, db(), { grid: GRID, category: 'sanitation' });
        const s = await act(http, ADMIN, sanitation.id, { action: 'accept' });
        expect(s.dueAt).toBe(new Date(clock.getTime() + 48 * HOUR).toISOString());
      });

      it('a closure before the due time is 按期, one after it is not', async () => {
        clock = new Date(T0.getTime() + 100 * HOUR);
        const original = await boardCase();
        const early = await boardCase();
        const late = await boardCase();
        await walk(early, ['accept'], original);
        await walk(late, ['accept'], original);
        const due = new Date(clock.getTime() + 24 * HOUR);
        const steps = ['dispatch', 'handle', 'feedback', 'close'] as const;

        let stats = await onTimeClosures();
        clock = new Date(due.getTime() - 60_000);
        await walk(early, steps, original);
        let now = await onTimeClosures();
        expect(now).toEqual({ n: stats.n + 1, closed: stats.closed + 1 });

        stats = now;
        clock = new Date(due.getTime() + 60_000);
        await walk(late, steps, original);
        now = await onTimeClosures();
        expect(now).toEqual({ n: stats.n, closed: stats.closed + 1 });
        const detail = await http.get<StaffCase>(`/api/cases/${late.id}`, { as: ADMIN });
        expect(detail.body).toMatchObject({ closedAt: clock.toISOString(), dueAt: due.toISOString(), hoursLeft: null });
      });

      it('lists a case as overdue from the first minute past its due time, and flags it alike', async () => {
        const accepted = new Date(T0.getTime() + 200 * HOUR);
        clock = accepted;
        const c = await boardCase();
        await act(http, ADMIN, c.id, { action: 'accept' });
        const due = accepted.getTime() + 24 * HOUR;
        const overdue = async () => {
          const list = await http.get<{ cases: StaffCase[] }>(`/api/cases?overdue=1&region=${GRID}&limit=500`, {
            as: ADMIN,
          });
          expect(list.status, list.text).toBe(200);
          const { overdue: flag, hoursLeft } = (await http.get<StaffCase>(`/api/cases/${c.id}`, { as: ADMIN })).body;
          return { listed: list.body.cases.some((x) => x.id === c.id), flag, hoursLeft };
        };
        clock = new Date(due - HOUR);
        expect(await overdue()).toEqual({ listed: false, flag: false, hoursLeft: 1 });
        clock = new Date(due);
        expect(await overdue()).toEqual({ listed: false, flag: false, hoursLeft: 0 });
        clock = new Date(due + 60_000);
        expect(await overdue()).toMatchObject({ listed: true, flag: true });
        clock = new Date(due + HOUR);
        expect(await overdue()).toEqual({ listed: true, flag: true, hoursLeft: -1 });
        // Closed late, it is no longer overdue now (it counts as not 按期 instead).
        for (const action of ['dispatch', 'handle', 'feedback', 'close'] as const)
          await act(http, ADMIN, c.id, bodyFor(action, c));
        expect(await overdue()).toEqual({ listed: false, flag: false, hoursLeft: null });
      });
    });

    describe('duplicates: same category, 50 m, 72 h, open', () => {
      const D0 = new Date('2026-12-20T00:00:00Z');
      /** An inner point of a grid and points `metres` from it (geodesic, PostGIS ST_Project). */
      async function spot(grid: string): Promise<(metres: number, azimuthDeg?: number) => [number, number]> {
        const { rows } = await sql<{ lon: number; lat: number }>`SELECT ST_X(p) AS lon, ST_Y(p) AS lat
          FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE code = ${grid}) q`.execute(db());
        const base = rows[0]!;
        const cache = new Map<string, [number, number]>();
        const offsets = async (m: number, az: number) => {
          const { rows: r } = await sql<{
            lon: number;
            lat: number;
          }>`SELECT ST_X(q::geometry) AS lon, ST_Y(q::geometry) AS lat
            FROM (SELECT ST_Project(ST_SetSRID(ST_MakePoint(${base.lon}, ${base.lat}), 4326)::geography, ${m}::float8, radians(${az}::float8)) AS q) x`.execute(
            db(),
          );
          cache.set(`${m}/${az}`, [Number(r[0]!.lon), Number(r[0]!.lat)]);
        };
        for (const m of [0, 10, 49, 51]) for (const az of [0, 180]) await offsets(m, az);
        return (metres, az = 0) => cache.get(`${metres}/${az}`)!;
      }
      const at = (c: { lon: number; lat: number }) => ({ lon: c.lon, lat: c.lat });
      const report = (p: [number, number], category = 'clutter') =>
        reportCase(http, db(), { ...at({ lon: p[0], lat: p[1] }), category });

      it('offers an open case of the same category within 50 m and 72 h; not at 51 m or another category', async () => {
        clock = D0;
        const p = await spot('131002001002001');
        const a = await report(p(0));
        expect(a.body.possibleDuplicateOf).toBeNull();
        clock = new Date(D0.getTime() + HOUR);
        expect((await report(p(49, 0))).body.possibleDuplicateOf).toBe(a.ticket);
        expect((await report(p(51, 180))).body.possibleDuplicateOf).toBeNull();
        expect((await report(p(10, 180), 'safety')).body.possibleDuplicateOf).toBeNull();
      });

      it('not after 72 h', async () => {
        clock = D0;
        const p = await spot('131002001002002');
        const a = await report(p(0));
        clock = new Date(D0.getTime() + 72 * HOUR + 60_000);
        expect((await report(p(10))).body.possibleDuplicateOf).toBeNull();
        expect(a.body.possibleDuplicateOf).toBeNull();
      });

      it('not when the original is closed, or was not accepted', async () => {
        clock = D0;
        const p = await spot('131002001002003');
        const closed = await report(p(0));
        for (const action of ['accept', 'dispatch', 'handle', 'feedback', 'close'] as const)
          await act(http, ADMIN, closed.id, bodyFor(action, closed));
        expect((await report(p(10))).body.possibleDuplicateOf).toBeNull();

        const q = await spot('131002001002004');
        const refused = await report(q(0));
        await act(http, ADMIN, refused.id, bodyFor('not_accept', refused));
        expect((await report(q(10))).body.possibleDuplicateOf).toBeNull();
      });

      it('merging keeps both, linked: the merged one stays readable, new reports point at the original', async () => {
        clock = D0;
        const p = await spot('131002001003001');
        const a = await report(p(0));
        const b = await report(p(10));
        expect(b.body.possibleDuplicateOf).toBe(a.ticket);
        const detailA = await http.get<StaffCaseDetail>(`/api/cases/${a.id}`, { as: ADMIN });
        expect(detailA.body.duplicates.map((d) => d.ticket)).toEqual([b.ticket]);
        expect(detailA.body.duplicates[0]!.distanceM).toBeCloseTo(10, 1);

        const merged = await act(http, ADMIN, b.id, { action: 'merge', duplicateOf: a.ticket, comment: '重复反映' });
        expect(merged).toMatchObject({ state: 'merged', duplicateOf: a.ticket });
        const { rows } = await sql<{ duplicate_of: string }>`SELECT duplicate_of::text AS duplicate_of FROM cases
          WHERE id = ${b.id}`.execute(db());
        expect(rows[0]!.duplicate_of).toBe(String(a.id));
        // Both kept: the merged case is still there for staff and for its reporter.
        expect((await http.get(`/api/cases/${b.id}`, { as: ADMIN })).status).toBe(200);
        const publicB = await http.get(`/api/public/cases/${b.ticket}?token=${b.token}`);
        expect(publicB.body).toMatchObject({ ticket: b.ticket, state: 'merged' });
        expect((await caseRow(db(), a.id)).state).toBe('reported');
        // A new report nearby is offered the original, not the merged duplicate.
        expect((await report(p(10, 180))).body.possibleDuplicateOf).toBe(a.ticket);
      });

      it('refuses to merge into itself, an unknown ticket or a merged case, writing nothing', async () => {
        clock = D0;
        const p = await spot('131002001003002');
        const a = await report(p(0));
        const b = await report(p(10));
        const c = await report(p(10, 180));
        await act(http, ADMIN, b.id, { action: 'merge', duplicateOf: a.ticket });
        const before = await caseTablesChecksum(db());
        for (const duplicateOf of [c.ticket, '20991231-999999', b.ticket]) {
          const res = await transition(http, ADMIN, c.id, { action: 'merge', duplicateOf });
          expect(res.status, `${duplicateOf}: ${res.text}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.body.error?.param ?? res.body.error?.message).toMatch(/duplicateOf/);
        }
        expect(await caseTablesChecksum(db())).toBe(before);
      });
    });

    it('every case state equals the replay of its timeline', async () => {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db());
      expect(rows[0]!.n).toBeGreaterThan(60);
      expect(await statesOffTheirTimeline(db())).toEqual([]);
    });
  });
}
