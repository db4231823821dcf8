/**
 * 12345 hotline tickets into cases (POST /api/import/cases) and cases over OGC API Features,
 * on each driver against the demo district: a dry run writes nothing, a commit creates every
 * case with channel hotline in the grid PostGIS says covers its point (GCJ-02 declared as
 * such), address-only tickets placed by a building's name or put in the street's queue, a
 * bad row refuses the whole commit naming its row, and who may import. Then the `cases`
 * collection: signed-in readers only, no phone, description or address, datetime and bbox
 * filters, and GDAL's OAPIF driver reading it with the session cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { sql } from 'kysely';
import type { CaseImportReport } from '../../common/contracts/case-import.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient, type UploadFile } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const STREET = '131002001000';
const OTHER_STREET = '131002002000';
const NOW = new Date('2026-12-05T08:00:00Z');
const CASE_TABLES = ['cases', 'case_events', 'case_daily_stats', 'case_photos'];
const HEADER = ['工单编号', '来电时间', '类别', '诉求内容', '地址', '经度', '纬度', '来电号码'];
const run = promisify(execFile);

const csvFile = (rows: string[][], name = 'tickets.csv'): UploadFile => ({
  name,
  body:
    '\uFEFF' +
    [HEADER, ...rows]
      .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n') +
    '\r\n',
});

interface Place {
  grid: string;
  /** A WGS84 point inside the grid, and the same as GCJ-02. */
  wgs: [number, number];
  gcj: [number, number];
}

for (const driver of DRIVERS) {
  describe(`12345 hotline import and OGC cases [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    const db = () => server.database.db;
    const countCases = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(db())).rows[0]!.n;
    const upload = (as: string | undefined, fields: Record<string, string>, file: UploadFile | null) =>
      http.upload<CaseImportReport & { error?: { report?: CaseImportReport } }>(fields, file, {
        path: '/api/import/cases',
        ...(as ? { as } : {}),
      });
    let places: Place[];
    let building: { name: string; grid: string };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true, now: () => NOW });
      await http.loginAll(['admin', 'planner', 'editor-001', 'editor-002']);
      // Three grids of the street, each with an inner point, and what PostGIS says covers it.
      const { rows } = await sql<{ grid: string; x: number; y: number }>`
        SELECT g.code AS grid, ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y
        FROM grids g, ST_PointOnSurface(g.geom) p
        WHERE g.community_code LIKE '131002001%' ORDER BY g.code LIMIT 3`.execute(db());
      places = rows.map((r) => ({
        grid: r.grid,
        wgs: [r.x, r.y],
        gcj: gcoord.transform([r.x, r.y], gcoord.WGS84, gcoord.GCJ02) as [number, number],
      }));
      // A building whose name is unique in the district, to be found by its address.
      const b = await sql<{ name: string; grid: string }>`
        SELECT b.name, (SELECT g.code FROM grids g WHERE ST_Covers(g.geom, ST_PointOnSurface(b.geom)) ORDER BY g.code LIMIT 1) AS grid
        FROM buildings b WHERE b.community_code LIKE '131002001%' AND b.name LIKE '%小区%号楼'
          AND (SELECT count(*) FROM buildings o WHERE o.name = b.name) = 1
          AND NOT EXISTS (SELECT 1 FROM buildings o WHERE o.name <> b.name AND strpos(o.name, b.name) > 0)
        ORDER BY b.code LIMIT 1`.execute(db());
      building = b.rows[0]!;
    });
    afterAll(async () => {
      await server?.close();
    });

    const goodRows = (): string[][] => [
      [
        'HX-0001',
        '2026-12-01 09:30',
        '环境卫生',
        '楼下垃圾两天无人清运',
        '',
        ...places[0]!.gcj.map(String),
        '13800001111',
      ],
      ['HX-0002', '2026/12/02 14:05:00', '安全隐患', '楼道电动车飞线充电', '', ...places[1]!.gcj.map(String), ''],
      [
        'HX-0003',
        '2026-12-03T10:00:00+08:00',
        '民生诉求',
        '路灯不亮一周',
        '',
        ...places[2]!.gcj.map(String),
        '13800003333',
      ],
      ['HX-0004', '2026-12-03 11:00', '乱堆乱放', '楼道堆放杂物', `${building.name}2单元`, '', '', ''],
      ['HX-0005', '2026-12-04 08:15', '矛盾纠纷', '邻里噪音纠纷', '城东菜市场南门外', '', '', '13800005555'],
    ];

    it('a dry run reports grids, rows without a place and the routing, and writes nothing', async () => {
      const before = await tablesChecksum(db(), CASE_TABLES);
      const res = await upload('admin', { crs: 'gcj02', street: STREET }, csvFile(goodRows()));
      expect(res.status, res.text).toBe(200);
      const report = res.body;
      expect(report).toMatchObject({ format: 'csv', crs: 'gcj02', rows: 5, create: 5, committed: false, invalid: [] });
      expect(report.mapping).toMatchObject({ ticket: '工单编号', time: '来电时间', lon: '经度', phone: '来电号码' });
      expect(report.cases.map((c) => [c.hotlineRef, c.located, c.grid?.code ?? null, c.queue])).toEqual([
        ['HX-0001', 'coordinates', places[0]!.grid, { kind: 'grid', code: places[0]!.grid }],
        ['HX-0002', 'coordinates', places[1]!.grid, { kind: 'grid', code: places[1]!.grid }],
        ['HX-0003', 'coordinates', places[2]!.grid, { kind: 'grid', code: places[2]!.grid }],
        ['HX-0004', 'address', building.grid, { kind: 'grid', code: building.grid }],
        ['HX-0005', 'none', null, { kind: 'street', code: STREET }],
      ]);
      expect(report.cases[3]!.matched).toEqual({ type: 'address', name: building.name });
      expect(report.withoutLocation).toEqual([{ row: 6, hotlineRef: 'HX-0005', address: '城东菜市场南门外' }]);
      expect(report.cases.every((c) => c.ticket === null)).toBe(true);
      expect(report.byGrid.reduce((n, g) => n + g.cases, 0)).toBe(5);
      expect(await tablesChecksum(db(), CASE_TABLES)).toBe(before);
    });

    it('a commit creates every case, channel hotline, in the grid ST_Covers gives; importing again skips them', async () => {
      const before = await countCases();
      const res = await upload('admin', { crs: 'gcj02', street: STREET, commit: '1' }, csvFile(goodRows()));
      expect(res.status, res.text).toBe(201);
      expect(res.body.committed).toBe(true);
      expect(res.body.cases.every((c) => /^\d{8}-\d{6}$/.test(c.ticket ?? ''))).toBe(true);
      expect(await countCases()).toBe(before + 5);
      const { rows } = await sql<{
        hotline_ref: string;
        channel: string;
        grid_code: string | null;
        covering: string | null;
        queue_kind: string;
        queue_code: string;
        outside_grids: boolean;
        reported_at: Date;
        reporter_phone: string | null;
        actor_label: string;
      }>`
        SELECT c.hotline_ref, c.channel, c.grid_code, c.queue_kind, c.queue_code, c.outside_grids, c.reported_at,
          c.reporter_phone, e.actor_label,
          (SELECT g.code FROM grids g WHERE ST_Covers(g.geom, c.geom) ORDER BY g.code LIMIT 1) AS covering
        FROM cases c JOIN case_events e ON e.case_id = c.id AND e.seq = 1
        WHERE c.hotline_ref LIKE 'HX-%' ORDER BY c.hotline_ref`.execute(db());
      expect(rows.map((r) => r.hotline_ref)).toEqual(['HX-0001', 'HX-0002', 'HX-0003', 'HX-0004', 'HX-0005']);
      for (const r of rows) {
        expect(r.channel).toBe('hotline');
        expect(r.actor_label).toBe('12345热线');
        expect(r.grid_code).toBe(r.covering);
      }
      // GCJ-02 declared: each lands in the grid the original WGS84 point is in.
      expect(rows.slice(0, 3).map((r) => r.grid_code)).toEqual(places.map((p) => p.grid));
      expect(rows[3]!.grid_code).toBe(building.grid);
      expect(rows[4]).toMatchObject({ grid_code: null, queue_kind: 'street', queue_code: STREET, outside_grids: true });
      // Beijing time without a zone; with a zone as written.
      expect(new Date(rows[0]!.reported_at).toISOString()).toBe('2026-12-01T01:30:00.000Z');
      expect(new Date(rows[1]!.reported_at).toISOString()).toBe('2026-12-02T06:05:00.000Z');
      expect(new Date(rows[2]!.reported_at).toISOString()).toBe('2026-12-03T02:00:00.000Z');
      expect(rows.map((r) => r.reporter_phone)).toEqual(['13800001111', null, '13800003333', null, '13800005555']);

      const again = await upload('admin', { crs: 'gcj02', street: STREET }, csvFile(goodRows()));
      expect(again.status).toBe(200);
      expect(again.body.create).toBe(0);
      expect(again.body.duplicates.map((d) => [d.row, d.hotlineRef])).toEqual([
        [2, 'HX-0001'],
        [3, 'HX-0002'],
        [4, 'HX-0003'],
        [5, 'HX-0004'],
        [6, 'HX-0005'],
      ]);
      expect(again.body.duplicates[0]!.ticket).toBe(res.body.cases[0]!.ticket);
    });

    it('one bad row refuses the whole commit, naming the row and the value; nothing is written', async () => {
      const before = await tablesChecksum(db(), CASE_TABLES);
      const [x, y] = places[0]!.gcj.map(String) as [string, string];
      const rows = [
        ['BAD-1', '2026-12-01 09:30', '环境卫生', '垃圾未清运', '', x, y, ''],
        ['BAD-2', '2026-12-01 09:31', '噪音污染', '夜间施工', '', x, y, ''],
        ['BAD-3', '2026-12-01 09:32', '环境卫生', '垃圾未清运', '', '2.35', '48.85', ''],
        ['BAD-4', '2026-13-01 09:33', '环境卫生', '垃圾未清运', '', x, y, ''],
        ['BAD-5', '2026-12-01 09:34', '环境卫生', '垃圾未清运', '', x, '', ''],
        ['BAD-1', '2026-12-01 09:35', '环境卫生', '垃圾未清运', '', x, y, ''],
        ['BAD-7', '2026-12-09 09:36', '环境卫生', '垃圾未清运', '', x, y, ''],
      ];
      const res = await upload('admin', { crs: 'gcj02', commit: '1' }, csvFile(rows));
      expect(res.status, res.text).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invalid_rows', param: '类别' });
      const invalid = res.body.error!.report!.invalid;
      expect(invalid.map((i) => [i.row, i.field, i.value])).toEqual([
        [3, '类别', '噪音污染'],
        [4, '经度', '2.35'],
        [5, '来电时间', '2026-13-01 09:33'],
        [6, '纬度', null],
        [7, '工单编号', 'BAD-1'],
        [8, '来电时间', '2026-12-09 09:36'],
      ]);
      expect(invalid[0]!.reason).toMatch(/unknown category "噪音污染"; the categories are 安全隐患、环境卫生/);
      expect(invalid[1]!.reason).toMatch(/outside China/);
      expect(invalid[4]!.reason).toMatch(/twice \(first at row 2\)/);
      expect(invalid[5]!.reason).toMatch(/future/);
      expect(await tablesChecksum(db(), CASE_TABLES)).toBe(before);
    });

    it('bad requests name the field: no place column, a wrong crs, a format that is not a sheet', async () => {
      const before = await tablesChecksum(db(), CASE_TABLES);
      const noPlace = await upload(
        'admin',
        {},
        { name: 't.csv', body: '工单编号,来电时间,类别,诉求内容\nA,2026-12-01 08:00,环境卫生,垃圾\n' },
      );
      expect(noPlace.status).toBe(400);
      expect(noPlace.body.error).toMatchObject({ param: 'file', message: expect.stringMatching(/地址/) });
      const noTime = await upload(
        'admin',
        {},
        { name: 't.csv', body: '工单编号,类别,诉求内容,地址\nA,环境卫生,垃圾,某处\n' },
      );
      expect(noTime.body.error).toMatchObject({ param: 'file', message: expect.stringMatching(/来电时间/) });
      expect((await upload('admin', { crs: 'epsg:3857' }, csvFile(goodRows()))).body.error?.param).toBe('crs');
      expect((await upload('admin', { street: '1310' }, csvFile(goodRows()))).body.error?.param).toBe('street');
      const geojson = await upload(
        'admin',
        {},
        { name: 't.geojson', body: '{"type":"FeatureCollection","features":[]}' },
      );
      expect(geojson.body.error?.param).toBe('file');
      // No street for a ticket without a place (an admin's import): a row error, not a guess.
      const unplaced = await upload('admin', {}, csvFile([goodRows()[4]!.map((c, i) => (i === 0 ? 'NEW-9' : c))]));
      expect(unplaced.body.invalid).toEqual([
        expect.objectContaining({ row: 2, field: '地址', reason: expect.stringMatching(/give street/) }),
      ]);
      expect(await tablesChecksum(db(), CASE_TABLES)).toBe(before);
    });

    it('who imports: planner 403, anonymous 401, another street named 403, a place in another street refused', async () => {
      const before = await tablesChecksum(db(), CASE_TABLES);
      const file = csvFile([['W-1', '2026-12-01 09:30', '环境卫生', '垃圾', '', ...places[0]!.gcj.map(String), '']]);
      expect((await upload('planner', { crs: 'gcj02', commit: '1' }, file)).status).toBe(403);
      expect((await upload(undefined, { crs: 'gcj02', commit: '1' }, file)).status).toBe(401);
      const named = await upload('editor-002', { crs: 'gcj02', street: STREET, commit: '1' }, file);
      expect(named.status).toBe(403);
      expect(named.body.error?.message).toMatch(/131002002000, not 131002001000/);
      // editor-002's own street, but the ticket lies in editor-001's.
      const elsewhere = await upload('editor-002', { crs: 'gcj02', commit: '1' }, file);
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.error!.report!.invalid).toEqual([
        expect.objectContaining({
          row: 2,
          field: '经度',
          reason: expect.stringMatching(/street 131002001000, not in yours/),
        }),
      ]);
      // A ticket with no place goes to the editor's own street.
      const own = await upload(
        'editor-002',
        {},
        csvFile([['W-2', '2026-12-01 09:30', '环境卫生', '垃圾', '无名路口', '', '', '']]),
      );
      expect(own.body.cases[0]!.queue).toEqual({ kind: 'street', code: OTHER_STREET });
      expect(await tablesChecksum(db(), CASE_TABLES)).toBe(before);
    });

    it('the sample in data/samples imports cleanly as GCJ-02 for its street', async () => {
      const body = readFileSync('data/samples/12345-hotline-tickets.csv');
      const res = await upload('editor-001', { crs: 'gcj02' }, { name: '12345-hotline-tickets.csv', body });
      expect(res.status, res.text).toBe(200);
      expect(res.body.invalid).toEqual([]);
      expect(res.body.rows).toBe(9);
      expect(res.body.cases.filter((c) => c.located === 'coordinates')).toHaveLength(5);
      expect(res.body.cases.filter((c) => c.located === 'address')).toHaveLength(3);
      expect(res.body.withoutLocation.map((r) => r.address)).toEqual(['城东菜市场南门外']);
    });

    it('an .xlsx sheet: a date cell is Beijing wall-clock time, numbers are read as text', async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('工单');
      sheet.addRow(HEADER);
      // Excel dates have no zone: 2026-12-02 15:45 typed in Beijing.
      sheet.addRow([
        202612020001,
        new Date(Date.UTC(2026, 11, 2, 15, 45)),
        '治安稳定',
        '门禁损坏',
        '',
        ...places[1]!.gcj,
        13800007777,
      ]);
      const body = new Uint8Array(await book.xlsx.writeBuffer());
      const res = await upload('admin', { crs: 'gcj02' }, { name: '热线工单.xlsx', body });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ format: 'xlsx', rows: 1, create: 1, invalid: [] });
      expect(res.body.cases[0]).toMatchObject({
        hotlineRef: '202612020001',
        reportedAt: '2026-12-02T07:45:00.000Z',
        grid: { code: places[1]!.grid },
      });
    });

    describe('OGC API Features: the cases collection', () => {
      const get = (path: string, as?: string) => http.get<Record<string, unknown>>(path, as ? { as } : {});

      it('is for signed-in readers only: not listed, and 401, for anonymous readers', async () => {
        const anonymous = (await get('/ogc/collections?f=json')).body as { collections: { id: string }[] };
        expect(anonymous.collections.map((c) => c.id)).not.toContain('cases');
        const planner = (await get('/ogc/collections?f=json', 'planner')).body as { collections: { id: string }[] };
        expect(planner.collections.map((c) => c.id)).toContain('cases');
        for (const path of [
          '/ogc/collections/cases',
          '/ogc/collections/cases/schema',
          '/ogc/collections/cases/items',
          '/ogc/collections/cases/items?f=html',
        ])
          expect((await get(path)).status, path).toBe(401);
        const [one] = (await sql<{ ticket: string }>`SELECT ticket FROM cases ORDER BY id LIMIT 1`.execute(db())).rows;
        expect((await get(`/ogc/collections/cases/items/${one!.ticket}`)).status).toBe(401);
      });

      it('items carry no phone, description or address, in JSON and HTML', async () => {
        const { rows } = await sql<{
          ticket: string;
          description: string;
          address: string | null;
          phone: string | null;
          n: number;
        }>`
          SELECT ticket, description, address, reporter_phone AS phone, count(*) OVER ()::int AS n FROM cases ORDER BY ticket`.execute(
          db(),
        );
        const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []));
        expect(phones.length).toBeGreaterThanOrEqual(3);
        const res = await get('/ogc/collections/cases/items?f=json&limit=10000', 'planner');
        expect(res.status).toBe(200);
        const body = res.body as {
          numberMatched: number;
          features: { id: string; properties: Record<string, unknown> }[];
        };
        expect(body.numberMatched).toBe(rows[0]!.n);
        expect(Object.keys(body.features[0]!.properties).sort()).toEqual(
          [
            'accepted_at',
            'category',
            'category_name',
            'channel',
            'closed_at',
            'community_code',
            'due_at',
            'grid_code',
            'overdue',
            'rating',
            'reported_at',
            'state',
            'street_code',
            'ticket',
          ].sort(),
        );
        const html = await get('/ogc/collections/cases/items?f=html&limit=10000', 'admin');
        const item = await get(`/ogc/collections/cases/items/${rows[0]!.ticket}?f=html`, 'admin');
        for (const text of [res.text, html.text, item.text]) {
          expect(phones.filter((p) => text.includes(p))).toEqual([]);
          expect(text).not.toMatch(/\d{3}\*{4}\d{4}/);
          expect(rows.filter((r) => text.includes(r.description)).map((r) => r.ticket)).toEqual([]);
          expect(text).not.toContain('城东菜市场');
        }
      });

      it('datetime, bbox and property filters match SQL', async () => {
        const items = async (query: string) =>
          (await get(`/ogc/collections/cases/items?f=json&limit=10000&${query}`, 'planner')).body as {
            numberMatched: number;
            features: { properties: { reported_at: string; channel: string } }[];
          };
        const count = async (where: ReturnType<typeof sql>) =>
          (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE ${where}`.execute(db())).rows[0]!.n;
        const day = await items('datetime=2026-12-01');
        expect(day.numberMatched).toBe(
          await count(sql`reported_at >= '2026-12-01T00:00:00Z' AND reported_at < '2026-12-02T00:00:00Z'`),
        );
        expect(day.features.map((f) => f.properties.reported_at)).toContain('2026-12-01T01:30:00Z');
        const open = await items('datetime=2026-12-02T00:00:00Z/..&channel=hotline');
        expect(open.numberMatched).toBe(
          await count(sql`reported_at >= '2026-12-02T00:00:00Z' AND channel = 'hotline'`),
        );
        expect(open.numberMatched).toBeGreaterThanOrEqual(4);
        const [x, y] = places[0]!.wgs;
        const bbox = [x - 0.001, y - 0.001, x + 0.001, y + 0.001];
        const near = await items(`bbox=${bbox.join(',')}`);
        expect(near.numberMatched).toBe(
          await count(sql`ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`),
        );
        expect(near.numberMatched).toBeGreaterThanOrEqual(1);
        const bad = await get('/ogc/collections/cases/items?datetime=yesterday', 'planner');
        expect(bad.status).toBe(400);
        expect((bad.body as { error: { param: string } }).error.param).toBe('datetime');
        const backwards = await get('/ogc/collections/cases/items?datetime=2026-12-02/2026-12-01', 'planner');
        expect(backwards.status).toBe(400);
      });

      it('GDAL (OAPIF) reads the collection with the session cookie; without it the collection is not there', async () => {
        const env = {
          ...process.env,
          GDAL_HTTP_TIMEOUT: '30',
          CPL_DEBUG: 'OFF',
          GDAL_HTTP_MAX_RETRY: '0',
          GDAL_HTTP_COOKIE: http.cookies.planner!,
        };
        const { stdout } = await run('ogrinfo', ['-ro', '-so', `OAPIF:${server.url}/ogc`, 'cases'], {
          env,
          timeout: 120_000,
        });
        expect(stdout).toMatch(/^Geometry: Point$/m);
        expect(stdout).toMatch(new RegExp(`^Feature Count: ${await countCases()}$`, 'm'));
        expect(stdout).toMatch(/^reported_at: DateTime/m);
        expect(stdout).toMatch(/^overdue: Integer\(Boolean\)/m);
        expect(stdout).not.toMatch(/phone|description|address/);
        const anonymous = await run('ogrinfo', ['-ro', '-q', `OAPIF:${server.url}/ogc`], {
          env: { ...env, GDAL_HTTP_COOKIE: '' },
          timeout: 120_000,
        });
        expect(anonymous.stdout).not.toMatch(/cases/);
      });
    });
  });
}
