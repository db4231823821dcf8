/**
 * Case statistics (GET /api/cases/stats) and the 台账 (GET /api/reports/cases.xlsx) on each
 * driver, over cases with exactly known outcomes inserted in 2020 (the demo's generated year
 * lies in the 365 days before now, so 2020 is ours alone):
 *
 *   community C1 (grids G1, G2)         C2 (same street)        C3 (other street)
 *   A1–A5  安全隐患 2020-03, closed on time   B1 closed on time, 满意    B3 closed on time
 *   A6–A10 环境卫生 2020-04 (A6 at 00:30 Beijing on 04-01, 31 March in UTC)
 *          A6 on time, A7 A8 late, A9 open overdue, A10 open not yet due (in G2)
 *   N1 不予受理, R1 only reported (outside every grid), M1 merged into A1: 2020-05
 *   ratings: A1 A2 A6 满意, A3 基本满意, A7 不满意
 */
import type ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseCounts, CaseStats } from '../../common/contracts/cases.ts';
import { readDemoDataset } from '../../data/load.ts';
import { beijingDate } from '../../server/cases/stats-params.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { readWorkbook } from '../helpers/workbook.ts';

const DISTRICT = readDemoDataset().meta.districtCode;
const NOW = new Date('2026-12-07T04:00:00Z');
const HOUR = 3_600_000;

const LEDGER_HEADER = [
  '工单号',
  '类别',
  '渠道',
  '上报时间',
  '所在网格',
  '社区',
  '街道',
  '状态',
  '处理方式',
  '受理时间',
  '办理时限',
  '办结时间',
  '是否按期',
  '评价',
  '网格编码',
  '办理时长（小时）',
  '当前超期',
  '合并至',
];
const STATS_HEADER = [
  '编码',
  '名称',
  '上报数',
  '受理数',
  '办结数',
  '办结率',
  '应办结',
  '按期办结',
  '按期办结率',
  '评价数',
  '满意率',
  '平均办理时长（小时）',
  '当前超期',
];

interface Place {
  community: string;
  street: string;
  grid: string | null;
}

interface KnownCase {
  ticket: string;
  category: 'safety' | 'sanitation' | 'dispute';
  channel: 'finder' | 'patrol' | 'hotline';
  at: Place;
  reported: string;
  state: string;
  /** Hours from acceptance to closing; absent: open (or never accepted). */
  handledIn?: number;
  accepted?: boolean;
  /** Due time override (default acceptance + the category's limit). */
  due?: Date;
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
  duplicateOf?: string;
  phone?: string;
}

const LIMIT = { safety: 24, sanitation: 48, dispute: 72 };

/** Exactly the counts of the header: the shape the route answers, rates included. */
function counts(n: Partial<CaseCounts> & { handling?: number }): Partial<CaseCounts> {
  const { handling, ...rest } = n;
  return {
    reported: 0,
    accepted: 0,
    notAccepted: 0,
    closed: 0,
    closedOnTime: 0,
    rated: 0,
    satisfied: 0,
    basicallySatisfied: 0,
    unsatisfied: 0,
    overdueNow: 0,
    ...rest,
    ...(handling !== undefined ? { avgHandlingHours: handling } : {}),
  };
}

for (const driver of DRIVERS) {
  describe(`case statistics [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    let C1: Place, G2: string, C2: Place, C3: Place;
    let street: string;
    const stats = async (query: string, as = 'planner') => {
      const res = await http.get<CaseStats>(`/api/cases/stats?${query}`, { as });
      expect(res.status, res.text).toBe(200);
      return res.body;
    };
    const db = () => server.database.db;

    async function insertCase(c: KnownCase): Promise<void> {
      const reported = new Date(c.reported);
      const accepted =
        c.accepted === false || c.state === 'not_accepted' || c.state === 'reported'
          ? null
          : new Date(reported.getTime() + HOUR);
      const due = accepted ? (c.due ?? new Date(accepted.getTime() + LIMIT[c.category] * HOUR)) : null;
      const closed = accepted && c.handledIn !== undefined ? new Date(accepted.getTime() + c.handledIn * HOUR) : null;
      const duplicateOf = c.duplicateOf
        ? (await db().selectFrom('cases').select('id').where('ticket', '=', c.duplicateOf).executeTakeFirstOrThrow()).id
        : null;
      await db()
        .insertInto('cases')
        .values({
          ticket: c.ticket,
          token_hash: 'x',
          category: c.category,
          channel: c.channel,
          description: '测试案件',
          grid_code: c.at.grid,
          community_code: c.at.community,
          street_code: c.at.street,
          district_code: DISTRICT,
          outside_grids: c.at.grid === null,
          reporter_phone: c.phone ?? null,
          state: c.state as never,
          queue_kind: c.at.grid ? 'grid' : 'community',
          queue_code: c.at.grid ?? c.at.community,
          handling: closed ? 'on_the_spot' : null,
          reported_at: reported,
          accepted_at: accepted,
          due_at: due,
          handled_at: closed,
          closed_at: closed,
          rating: c.rating ?? null,
          rated_at: c.rating ? closed : null,
          duplicate_of: duplicateOf,
        })
        .execute();
    }

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true, now: () => NOW });
      // Two communities of one street with two grids in the first, and a community of another street.
      const { rows } = await sql<{ community: string; street: string; grid: string }>`
        SELECT g.community_code AS community, c.parent_code AS street, min(g.code) AS grid
        FROM grids g JOIN regions c ON c.code = g.community_code
        GROUP BY g.community_code, c.parent_code HAVING count(*) >= 2 ORDER BY g.community_code`.execute(db());
      const first = rows[0]!;
      const sameStreet = rows.find((r) => r.street === first.street && r.community !== first.community)!;
      const otherStreet = rows.find((r) => r.street !== first.street)!;
      street = first.street;
      C1 = { ...first };
      G2 = (
        await db()
          .selectFrom('grids')
          .select('code')
          .where('community_code', '=', C1.community)
          .where('code', '>', C1.grid!)
          .orderBy('code')
          .executeTakeFirstOrThrow()
      ).code;
      C2 = { ...sameStreet };
      C3 = { ...otherStreet };

      const safety = (n: number, extra: Partial<KnownCase>): KnownCase => ({
        ticket: `T-A${n}`,
        category: 'safety',
        channel: n <= 4 ? 'finder' : 'patrol',
        at: C1,
        reported: `2020-03-0${n}T02:00:00Z`,
        state: 'closed',
        handledIn: 10,
        ...extra,
      });
      const known: KnownCase[] = [
        safety(1, { state: 'rated', rating: 'satisfied', phone: '13812345678' }),
        safety(2, { state: 'rated', rating: 'satisfied' }),
        safety(3, { state: 'rated', rating: 'basically_satisfied' }),
        safety(4, {}),
        safety(5, {}),
        {
          ticket: 'T-A6',
          category: 'sanitation',
          channel: 'patrol',
          at: C1,
          reported: '2020-03-31T16:30:00Z',
          state: 'rated',
          handledIn: 10,
          rating: 'satisfied',
        },
        {
          ticket: 'T-A7',
          category: 'sanitation',
          channel: 'patrol',
          at: C1,
          reported: '2020-04-02T02:00:00Z',
          state: 'rated',
          handledIn: 50,
          rating: 'unsatisfied',
        },
        {
          ticket: 'T-A8',
          category: 'sanitation',
          channel: 'patrol',
          at: C1,
          reported: '2020-04-03T02:00:00Z',
          state: 'closed',
          handledIn: 50,
        },
        {
          ticket: 'T-A9',
          category: 'sanitation',
          channel: 'hotline',
          at: C1,
          reported: '2020-04-04T02:00:00Z',
          state: 'dispatched',
        },
        {
          ticket: 'T-A10',
          category: 'sanitation',
          channel: 'hotline',
          at: { ...C1, grid: G2 },
          reported: '2020-04-05T02:00:00Z',
          state: 'dispatched',
          due: new Date(NOW.getTime() + 24 * HOUR),
        },
        {
          ticket: 'T-N1',
          category: 'dispute',
          channel: 'finder',
          at: C1,
          reported: '2020-05-01T02:00:00Z',
          state: 'not_accepted',
        },
        {
          ticket: 'T-R1',
          category: 'dispute',
          channel: 'patrol',
          at: { ...C1, grid: null },
          reported: '2020-05-02T02:00:00Z',
          state: 'reported',
        },
        {
          ticket: 'T-M1',
          category: 'safety',
          channel: 'finder',
          at: C1,
          reported: '2020-05-03T02:00:00Z',
          state: 'merged',
          accepted: false,
          duplicateOf: 'T-A1',
        },
        {
          ticket: 'T-B1',
          category: 'safety',
          channel: 'finder',
          at: C2,
          reported: '2020-04-10T02:00:00Z',
          state: 'rated',
          handledIn: 5,
          rating: 'satisfied',
        },
        {
          ticket: 'T-B2',
          category: 'safety',
          channel: 'finder',
          at: C2,
          reported: '2020-04-11T02:00:00Z',
          state: 'dispatched',
        },
        {
          ticket: 'T-B3',
          category: 'safety',
          channel: 'patrol',
          at: C3,
          reported: '2020-04-12T02:00:00Z',
          state: 'closed',
          handledIn: 20,
        },
      ];
      for (const c of known) await insertCase(c);
      // A grid worker account bound to G1, with the demo password (the planner's hash).
      await sql`INSERT INTO users (username, display_name, password_hash, role)
        SELECT 'wstats', '测试网格员', password_hash, 'worker' FROM users WHERE username = 'planner'`.execute(db());
      await sql`INSERT INTO user_grids (user_id, grid_code) SELECT id, ${C1.grid} FROM users WHERE username = 'wstats'`.execute(
        db(),
      );
      await http.login('planner');
      await http.login('wstats');
    });
    afterAll(async () => server?.close());

    const YEAR = 'from=2020-01-01&to=2020-12-31';
    const C1_YEAR = counts({
      reported: 12,
      accepted: 10,
      notAccepted: 1,
      closed: 8,
      due: 9,
      closedOnTime: 6,
      rated: 5,
      satisfied: 3,
      basicallySatisfied: 1,
      unsatisfied: 1,
      closureRate: 0.8,
      onTimeRate: 6 / 9,
      satisfactionRate: 0.8,
      handling: (6 * 10 + 2 * 50) / 8,
      overdueNow: 1,
    });

    it('counts every number and rate of a community exactly, by category, channel, grid, worker and month', async () => {
      const s = await stats(`region=${C1.community}&${YEAR}`, 'wstats');
      expect(s.region).toMatchObject({ code: C1.community, level: 'community' });
      expect([s.from, s.to]).toEqual(['2020-01-01', '2020-12-31']);
      expect(s.totals).toEqual(C1_YEAR);

      const category = Object.fromEntries(s.byCategory.map((r) => [r.code, r]));
      expect(s.byCategory.map((r) => r.name).slice(0, 2)).toEqual(['安全隐患', '环境卫生']);
      expect(s.byCategory).toHaveLength(7);
      expect(category.safety).toMatchObject(
        counts({
          reported: 5,
          accepted: 5,
          closed: 5,
          due: 5,
          closedOnTime: 5,
          rated: 3,
          satisfied: 2,
          basicallySatisfied: 1,
          closureRate: 1,
          onTimeRate: 1,
          satisfactionRate: 1,
          handling: 10,
        }),
      );
      expect(category.sanitation).toMatchObject(
        counts({
          reported: 5,
          accepted: 5,
          closed: 3,
          due: 4,
          closedOnTime: 1,
          rated: 2,
          satisfied: 1,
          unsatisfied: 1,
          closureRate: 0.6,
          onTimeRate: 0.25,
          satisfactionRate: 0.5,
          handling: 110 / 3,
          overdueNow: 1,
        }),
      );
      expect(category.dispute).toMatchObject(
        counts({
          reported: 2,
          notAccepted: 1,
          closureRate: null,
          onTimeRate: null,
          satisfactionRate: null,
          avgHandlingHours: null,
        }),
      );
      expect(category.public_order).toMatchObject(counts({ closureRate: null }));

      const channel = Object.fromEntries(s.byChannel.map((r) => [r.code, r]));
      expect(s.byChannel.map((r) => r.code)).toEqual(['finder', 'patrol', 'hotline']);
      expect(channel.finder).toMatchObject({ reported: 5, accepted: 4, notAccepted: 1, closed: 4 });
      expect(channel.patrol).toMatchObject({ reported: 5, accepted: 4, closed: 4, closedOnTime: 2 });
      expect(channel.hotline).toMatchObject({
        reported: 2,
        accepted: 2,
        closed: 0,
        due: 1,
        overdueNow: 1,
        onTimeRate: 0,
      });

      // A community's children are its grids; R1 is outside every grid.
      const child = Object.fromEntries(s.byRegion.map((r) => [r.code, r]));
      expect(child[C1.grid!]).toMatchObject({ level: 'grid', reported: 10, accepted: 9, closed: 8, overdueNow: 1 });
      expect(child[G2]).toMatchObject({ level: 'grid', reported: 1, accepted: 1, closed: 0, due: 0, overdueNow: 0 });
      expect(child['']).toMatchObject({ name: '网格外', reported: 1, accepted: 0 });
      expect(s.byGrid.find((r) => r.code === C1.grid)).toMatchObject({ reported: 10, accepted: 9 });

      const worker = s.byWorker.find((w) => w.code === 'wstats')!;
      expect(worker).toMatchObject({
        name: '测试网格员',
        reported: 10,
        accepted: 9,
        closed: 8,
        closedOnTime: 6,
        overdueNow: 1,
      });

      expect(s.trend.map((t) => t.month)).toEqual(
        [...Array(12)].map((_, i) => `2020-${String(i + 1).padStart(2, '0')}`),
      );
      expect(s.trend[2]).toEqual({ month: '2020-03', accepted: 5, closed: 5, satisfactionRate: 1 });
      // A6 was reported at 00:30 on 1 April in Beijing (31 March in UTC): an April case.
      expect(s.trend[3]).toEqual({ month: '2020-04', accepted: 5, closed: 3, satisfactionRate: 0.5 });
      expect(s.trend[4]).toEqual({ month: '2020-05', accepted: 0, closed: 0, satisfactionRate: null });
      expect(typeof s.tookMs).toBe('number');
    });

    it('adds communities up into the street and the district', async () => {
      const s = await stats(`region=${street}&${YEAR}`);
      expect(s.region.level).toBe('street');
      expect(s.totals).toEqual(
        counts({
          reported: 14,
          accepted: 12,
          notAccepted: 1,
          closed: 9,
          due: 11,
          closedOnTime: 7,
          rated: 6,
          satisfied: 4,
          basicallySatisfied: 1,
          unsatisfied: 1,
          closureRate: 9 / 12,
          onTimeRate: 7 / 11,
          satisfactionRate: 5 / 6,
          handling: (6 * 10 + 2 * 50 + 5) / 9,
          overdueNow: 2,
        }),
      );
      const child = Object.fromEntries(s.byRegion.map((r) => [r.code, r]));
      expect(child[C1.community]).toMatchObject({ level: 'community', ...C1_YEAR });
      expect(child[C2.community]).toMatchObject({
        reported: 2,
        accepted: 2,
        closed: 1,
        due: 2,
        overdueNow: 1,
        onTimeRate: 0.5,
      });
      expect(s.byRegion.every((r) => r.level === 'community')).toBe(true);
      expect(s.byRegion.reduce((n, r) => n + r.accepted, 0)).toBe(12);

      const d = await stats(`region=${DISTRICT}&${YEAR}`);
      expect(d.totals).toMatchObject({
        reported: 15,
        accepted: 13,
        closed: 10,
        due: 12,
        closedOnTime: 8,
        overdueNow: 2,
        closureRate: 10 / 13,
      });
      expect(d.byRegion.find((r) => r.code === C3.street)).toMatchObject({ level: 'street', accepted: 1, closed: 1 });
      expect(d.byRegion.find((r) => r.code === street)).toMatchObject({ accepted: 12, closed: 9 });

      const g = await stats(`region=${C1.grid}&${YEAR}`);
      expect(g.region.level).toBe('grid');
      expect(g.totals).toMatchObject({ reported: 10, accepted: 9, closed: 8, overdueNow: 1 });
      expect(g.byRegion).toEqual([]);
    });

    it('cuts the period by Beijing days, both ends inclusive', async () => {
      const april = await stats(`region=${C1.community}&from=2020-04-01&to=2020-12-31`);
      expect(april.totals).toEqual(
        counts({
          reported: 7,
          accepted: 5,
          notAccepted: 1,
          closed: 3,
          due: 4,
          closedOnTime: 1,
          rated: 2,
          satisfied: 1,
          unsatisfied: 1,
          closureRate: 0.6,
          onTimeRate: 0.25,
          satisfactionRate: 0.5,
          handling: 110 / 3,
          overdueNow: 1,
        }),
      );
      const march = await stats(`region=${C1.community}&from=2020-03-01&to=2020-03-31`);
      expect(march.totals).toEqual(
        counts({
          reported: 5,
          accepted: 5,
          closed: 5,
          due: 5,
          closedOnTime: 5,
          rated: 3,
          satisfied: 2,
          basicallySatisfied: 1,
          closureRate: 1,
          onTimeRate: 1,
          satisfactionRate: 1,
          handling: 10,
        }),
      );
      // Days of March and May around the whole month of April (the daily and the monthly summary together).
      const around = await stats(`region=${C1.community}&from=2020-03-03&to=2020-05-01`);
      expect(around.totals).toMatchObject({
        reported: 9,
        accepted: 8,
        notAccepted: 1,
        closed: 6,
        closedOnTime: 4,
        due: 7,
      });
      const oneDay = await stats(`region=${C1.community}&from=2020-04-04&to=2020-04-04`);
      expect(oneDay.totals).toMatchObject({ reported: 1, accepted: 1, due: 1, overdueNow: 1, onTimeRate: 0 });
      expect(oneDay.trend.map((t) => t.month)).toEqual(['2020-04']);
    });

    it('defaults to the 365 Beijing days up to the clock, equal to a direct count over cases', async () => {
      const s = await stats(`region=${DISTRICT}`);
      expect(s.to).toBe(beijingDate(NOW));
      expect(s.from).toBe('2025-12-08');
      const direct = await sql<{ reported: number; accepted: number; closed: number; overdue: number }>`
        SELECT count(*)::int AS reported, count(accepted_at)::int AS accepted,
          count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL)::int AS closed,
          count(*) FILTER (WHERE closed_at IS NULL AND due_at < ${NOW})::int AS overdue
        FROM cases WHERE district_code = ${DISTRICT} AND duplicate_of IS NULL
          AND (reported_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${s.from} AND ${s.to}`.execute(db());
      const d = direct.rows[0]!;
      expect(s.totals).toMatchObject({
        reported: d.reported,
        accepted: d.accepted,
        closed: d.closed,
        overdueNow: d.overdue,
      });
    });

    it('refuses anonymous users (401) and bad parameters (400 naming them), unknown regions 404', async () => {
      for (const path of [`/api/cases/stats?region=${DISTRICT}`, `/api/reports/cases.xlsx?region=${DISTRICT}`]) {
        const res = await http.get(path);
        expect(res.status, path).toBe(401);
        expect(res.body.error?.code).toBe('unauthorized');
      }
      for (const [query, param] of [
        ['', 'region'],
        ['region=12', 'region'],
        ['region=1310020000001', 'region'],
        [`region=${DISTRICT}&region=${DISTRICT}`, 'region'],
        [`region=${DISTRICT}&from=2020-13-01`, 'from'],
        [`region=${DISTRICT}&from=2020-02-30`, 'from'],
        [`region=${DISTRICT}&from=20200101`, 'from'],
        [`region=${DISTRICT}&to=yesterday`, 'to'],
        [`region=${DISTRICT}&from=2020-05-01&to=2020-04-30`, 'from'],
        [`region=${DISTRICT}&from=2000-01-01&to=2020-01-01`, 'to'],
        [`region=${DISTRICT}&state=open`, 'state'],
      ] as const) {
        for (const route of ['/api/cases/stats', '/api/reports/cases.xlsx']) {
          const res = await http.get(`${route}?${query}`, { as: 'planner' });
          expect(res.status, `${route}?${query}`).toBe(400);
          expect(res.body.error?.param, `${route}?${query}`).toBe(param);
        }
      }
      expect((await http.get('/api/cases/stats?region=999999999999', { as: 'planner' })).status).toBe(404);
      expect((await http.get('/api/cases/stats?region=999999999999001', { as: 'planner' })).status).toBe(404);
      expect((await http.get('/api/reports/cases.xlsx?region=999999999999', { as: 'planner' })).status).toBe(404);
    });

    it('downloads the 台账: one row per case with names and no personal data, and the statistics sheet', async () => {
      const res = await http.fetch('GET', `/api/reports/cases.xlsx?region=${C1.community}&${YEAR}`, { as: 'planner' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="cases-${C1.community}-2020-01-01-2020-12-31.xlsx"`,
      );
      const wb = await readWorkbook(await res.arrayBuffer());
      expect(wb.worksheets.map((s) => s.name)).toEqual(['案件台账', '统计']);
      const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

      const ledger = wb.getWorksheet('案件台账')!;
      expect(values(ledger, 1)).toEqual(LEDGER_HEADER);
      expect(ledger.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const rows = [...Array(ledger.rowCount - 1)].map((_, i) => values(ledger, i + 2));
      const col = (name: string) => LEDGER_HEADER.indexOf(name);
      // 13 cases, oldest first (the merged M1 too, with what it was merged into).
      expect(rows.map((r) => r[col('工单号')])).toEqual(
        ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10', 'N1', 'R1', 'M1'].map((t) => `T-${t}`),
      );
      const a7 = rows[6]!;
      expect(a7[col('类别')]).toBe('环境卫生');
      expect(a7[col('渠道')]).toBe('巡查发现');
      expect(a7[col('状态')]).toBe('已评价');
      expect(a7[col('处理方式')]).toBe('网格内当场解决');
      expect(a7[col('是否按期')]).toBe('否');
      expect(a7[col('评价')]).toBe('不满意');
      expect(a7[col('办理时长（小时）')]).toBe(50);
      expect(a7[col('网格编码')]).toBe(C1.grid);
      // Times read as Beijing wall-clock times: A6 was reported at 00:30 on 1 April.
      expect((rows[5]![col('上报时间')] as Date).toISOString()).toBe('2020-04-01T00:30:00.000Z');
      expect(ledger.getRow(2).getCell(col('上报时间') + 1).numFmt).toBe('yyyy-mm-dd hh:mm');
      expect(rows[0]![col('是否按期')]).toBe('是');
      expect(rows[8]![col('当前超期')]).toBe('是');
      expect(rows[9]![col('当前超期')]).toBeUndefined();
      expect(rows[11]![col('所在网格')]).toBe('网格外');
      expect(rows[12]![col('合并至')]).toBe('T-A1');
      expect(rows[12]![col('状态')]).toBe('已合并');
      // No reporter phone, description or address anywhere.
      const text = JSON.stringify(rows);
      expect(text).not.toContain('1381234');
      expect(text).not.toContain('测试案件');

      const sheet = wb.getWorksheet('统计')!;
      expect(values(sheet, 1)).toEqual(STATS_HEADER);
      const total = values(sheet, 2);
      expect(total.slice(2)).toEqual([12, 10, 8, 0.8, 9, 6, 6 / 9, 5, 0.8, 20, 1]);
      expect(sheet.getRow(2).getCell(6).numFmt).toBe('0.0%');
      const g1 = [...Array(sheet.rowCount)].map((_, i) => values(sheet, i + 1)).find((r) => r[0] === C1.grid)!;
      expect(g1.slice(2, 5)).toEqual([10, 9, 8]);
    });

    it('keeps the summary equal to a direct aggregate over cases after updates that move a case', async () => {
      // A9 is closed in time after all (its due time moved), and B1 moves to community C1.
      await sql`UPDATE cases SET state = 'closed', closed_at = accepted_at + interval '5 hours', due_at = accepted_at + interval '48 hours'
        WHERE ticket = 'T-A9'`.execute(db());
      await sql`UPDATE cases SET community_code = ${C1.community}, grid_code = ${C1.grid} WHERE ticket = 'T-B1'`.execute(
        db(),
      );
      const s = await stats(`region=${C1.community}&${YEAR}`);
      expect(s.totals).toMatchObject({
        reported: 13,
        accepted: 11,
        closed: 10,
        closedOnTime: 8,
        due: 10,
        overdueNow: 0,
        rated: 6,
        satisfied: 4,
      });
      const c2 = await stats(`region=${C2.community}&${YEAR}`);
      expect(c2.totals).toMatchObject({ reported: 1, accepted: 1, closed: 0, overdueNow: 1 });

      // Both summaries, the daily and the monthly, row for row against the cases.
      const beijingDay = sql`(reported_at AT TIME ZONE 'Asia/Shanghai')::date`;
      for (const [table, period, ofCase] of [
        ['case_daily_stats', sql`day`, beijingDay],
        ['case_monthly_stats', sql`month`, sql`date_trunc('month', ${beijingDay})::date`],
      ] as const) {
        const summary = await sql<Record<string, number>>`
          SELECT community_code, grid_code, category, channel, ${period}::text AS period, sum(reported)::int AS reported,
            sum(accepted)::int AS accepted, sum(not_accepted)::int AS not_accepted, sum(closed)::int AS closed,
            sum(closed_on_time)::int AS closed_on_time, sum(rated)::int AS rated, sum(satisfied)::int AS satisfied,
            sum(basically)::int AS basically, sum(unsatisfied)::int AS unsatisfied,
            round(sum(handling_hours)::numeric, 6)::float8 AS hours
          FROM ${sql.table(table)} GROUP BY 1, 2, 3, 4, 5
          HAVING sum(reported) <> 0 ORDER BY 1, 2, 3, 4, 5`.execute(db());
        const direct = await sql<Record<string, number>>`
          SELECT community_code, coalesce(grid_code, '') AS grid_code, category, channel, ${ofCase}::text AS period,
            count(*)::int AS reported, count(accepted_at)::int AS accepted,
            count(*) FILTER (WHERE state = 'not_accepted')::int AS not_accepted,
            count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL)::int AS closed,
            count(*) FILTER (WHERE closed_at IS NOT NULL AND accepted_at IS NOT NULL AND closed_at <= due_at)::int AS closed_on_time,
            count(rating)::int AS rated, count(*) FILTER (WHERE rating = 'satisfied')::int AS satisfied,
            count(*) FILTER (WHERE rating = 'basically_satisfied')::int AS basically,
            count(*) FILTER (WHERE rating = 'unsatisfied')::int AS unsatisfied,
            round(coalesce(sum(extract(epoch FROM closed_at - accepted_at) / 3600.0), 0)::numeric, 6)::float8 AS hours
          FROM cases WHERE duplicate_of IS NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`.execute(db());
        expect(summary.rows.filter((r) => String(r.period).startsWith('2020')).length, table).toBeGreaterThan(5);
        expect(summary.rows, table).toEqual(direct.rows);
      }
    });
  });
}
