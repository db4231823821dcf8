/** The coverage report downloads over real HTTP on each driver, and `npm run report` as a process. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import { unreachedList } from '../../client/panels/coverage-logic.ts';
import type { CoverageGeoJSON } from '../../server/reports/coverage-geojson.ts';
import { DRIVERS, SERVER_URL } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { runCli } from '../helpers/import-cli.ts';
import { COVERAGE_SHEETS, GRID_SHEET_HEADER, ORG_SHEET_HEADER, readWorkbook } from '../helpers/workbook.ts';
import { readDemoDataset } from '../../data/load.ts';

const demo = readDemoDataset().meta;
const DISTRICT = demo.districtCode;
const dir = mkdtempSync(join(tmpdir(), 'wangge-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (env: Record<string, string>, ...args: string[]) =>
  runCli('server/reports/report-cli.ts', env, args, 180_000);

const header = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);
/** Every data row's value in the column with this header. */
const column = (sheet: ExcelJS.Worksheet, name: string) => {
  const index = header(sheet).indexOf(name) + 1;
  expect(index, name).toBeGreaterThan(0);
  return [...Array(sheet.rowCount - 1)].map((_, i) => sheet.getCell(i + 2, index).value);
};

for (const driver of DRIVERS) {
  describe(`coverage reports [${driver}]`, () => {
    let server: TestServer;
    let cookie: string;
    const get = (path: string, signedIn = true) =>
      httpClient(server.url).fetch('GET', path, { cookie: signedIn ? cookie : undefined });
    let district: Promise<{ res: Response; bytes: ArrayBuffer }> | undefined;
    /** The district workbook, downloaded once for the tests that read it. */
    const districtWorkbook = () =>
      (district ??= get(`/api/reports/coverage.xlsx?region=${DISTRICT}`).then(async (res) => ({
        res,
        bytes: await res.arrayBuffer(),
      })));

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      cookie = await sessionCookie(server.url, 'planner');
    });
    afterAll(async () => server?.close());

    it('gives anonymous users 401 and no household data', async () => {
      for (const path of [
        `/api/reports/coverage.xlsx?region=${DISTRICT}`,
        `/api/reports/coverage.geojson?region=${DISTRICT}`,
      ]) {
        const res = await get(path, false);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/json/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
    });

    it('answers bad parameters with a 400 naming them, and an unknown region with 404', async () => {
      for (const [query, param] of [
        ['', 'region'],
        ['region=12', 'region'],
        [`region=${DISTRICT}&minutes=0`, 'minutes'],
        [`region=${DISTRICT}&speed=abc`, 'speed'],
        [`region=${DISTRICT}&kinds=red_post,bus_stop`, 'kinds'],
        [`region=${DISTRICT}&lang=fr`, 'lang'],
        [`region=${DISTRICT}&region=${DISTRICT}`, 'region'],
      ] as const) {
        const res = await get(`/api/reports/coverage.xlsx?${query}`);
        expect(res.status, query).toBe(400);
        expect(((await res.json()) as { error: { param: string } }).error.param, query).toBe(param);
      }
      const geo = await get(`/api/reports/coverage.geojson?region=${DISTRICT}&minutes=-3`);
      expect(geo.status).toBe(400);
      expect((await get('/api/reports/coverage.xlsx?region=999999999999')).status).toBe(404);
      expect((await get('/api/reports/coverage.geojson?region=999999999999')).status).toBe(404);
    });

    it('downloads the district workbook: five sheets, Chinese headers, one row per grid, the uncovered grids of the party coverage API', async () => {
      const { res, bytes } = await districtWorkbook();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="coverage-${DISTRICT}-\\d{4}-\\d{2}-\\d{2}\\.xlsx"$`),
      );
      const wb = await readWorkbook(bytes);
      expect(wb.worksheets.map((s) => s.name)).toEqual(COVERAGE_SHEETS);

      const grids = wb.getWorksheet('网格')!;
      expect(header(grids)).toEqual(GRID_SHEET_HEADER);
      const codes = column(grids, '网格编码') as string[];
      expect(codes).toHaveLength(demo.counts.grids!);
      expect(new Set(codes).size).toBe(codes.length);

      const party = (await (await get(`/api/coverage/party?region=${DISTRICT}`)).json()) as PartyCoverageReport;
      const status = column(grids, '党组织覆盖状态');
      const uncovered = codes.filter((_, i) => status[i] === '未覆盖');
      expect(uncovered).toHaveLength(party.regions[0]!.uncovered);
      expect(uncovered.sort()).toEqual([...demo.uncoveredGrids].sort());
      expect(codes.filter((_, i) => status[i] === '重复认领').sort()).toEqual([...demo.doubleClaimedGrids].sort());

      const households = column(grids, '户数') as number[];
      expect(households.reduce((a, b) => a + b, 0)).toBe(demo.counts.households);
      const shares = column(grids, '覆盖率');
      expect(shares.every((s) => typeof s === 'number' && s >= 0 && s <= 1)).toBe(true);

      expect(header(wb.getWorksheet('党组织')!)).toEqual(ORG_SHEET_HEADER);
      const kinds = column(wb.getWorksheet('党组织')!, '类型');
      expect(kinds.filter((k) => k === '党支部')).toHaveLength(demo.counts.branches!);
      expect(kinds.filter((k) => k === '党小组')).toHaveLength(demo.counts.groups!);
      expect(column(wb.getWorksheet('服务站点')!, '编码')).toHaveLength(demo.counts.stations!);
      const problems = column(wb.getWorksheet('问题')!, '问题类型');
      expect(problems.filter((k) => k === '网格无党组织')).toHaveLength(demo.uncoveredGrids.length);
    });

    it('hands in as the panel shows it: the same problem counts, hours in words, the header row frozen', async () => {
      const wb = await readWorkbook((await districtWorkbook()).bytes);
      const party = (await (await get(`/api/coverage/party?region=${DISTRICT}`)).json()) as PartyCoverageReport;
      // The panel's request (areas=1) and the panel's own list of unreached areas.
      const reach = (await (
        await get(`/api/coverage/stations?region=${DISTRICT}&areas=1`)
      ).json()) as StationReachReport;
      const panelUnreached = unreachedList(reach).length;
      expect(panelUnreached).toBeGreaterThan(0);
      // The overlay also yields pieces with no household: drawn, not listed, by panel and workbook alike.
      expect(reach.unreached.features.length).toBeGreaterThan(panelUnreached);

      const kinds = column(wb.getWorksheet('问题')!, '问题类型');
      const count = (label: string) => kinds.filter((k) => k === label).length;
      const status = (s: string) => party.problemGrids.features.filter((f) => f.properties.status === s).length;
      const issues = (s: string) => party.orgIssues.filter((o) => o.issue === s).length;
      expect({
        uncovered: count('网格无党组织'),
        claimedTwice: count('网格重复认领'),
        notContiguous: count('党组织网格不连片'),
        severalCommunities: count('党组织跨社区'),
        redundant: count('冗余站点'),
        unreached: count('服务圈外区域'),
      }).toEqual({
        uncovered: status('uncovered'),
        claimedTwice: status('claimed_twice'),
        notContiguous: issues('not_contiguous'),
        severalCommunities: issues('several_communities'),
        redundant: reach.redundant.length,
        unreached: panelUnreached,
      });

      // The summary's facts say the same numbers.
      const summary = wb.getWorksheet('汇总')!;
      const fact = (label: string) => {
        for (let r = 1; r <= summary.rowCount; r++)
          if (summary.getCell(r, 1).value === label) return summary.getCell(r, 2).value;
        throw new Error(`no fact ${label}`);
      };
      expect(fact('冗余站点数')).toBe(reach.redundant.length);
      expect(fact('服务圈外区域（有住户）')).toBe(panelUnreached);
      expect(fact('未覆盖网格')).toBe(party.regions[0]!.uncovered);

      // Frozen: the summary below its per-region table's header row, each data sheet below row 1.
      const headerRow = [...Array(summary.rowCount)]
        .map((_, i) => i + 1)
        .find((r) => summary.getCell(r, 1).value === '编码' && summary.getCell(r, 2).value === '名称')!;
      expect(headerRow).toBeGreaterThan(1);
      expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
      for (const name of ['网格', '党组织', '服务站点', '问题'])
        expect(wb.getWorksheet(name)!.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });

      // Opening hours in words, as the finder shows them: no OSM syntax left.
      const hours = column(wb.getWorksheet('服务站点')!, '开放时间') as string[];
      expect(hours).toContain('周一至周五 09:00–17:00');
      expect(hours).toContain('全天 24 小时');
      for (const h of hours) expect(h).not.toMatch(/\b(Mo|Tu|We|Th|Fr|Sa|Su)\b|24\/7/);
    });

    it('locates each uncovered grid and unreached area by a point inside it', async () => {
      const wb = await readWorkbook((await districtWorkbook()).bytes);
      const sheet = wb.getWorksheet('问题')!;
      const [kinds, codes, communities, lons, lats] = [
        column(sheet, '问题类型'),
        column(sheet, '编码'),
        column(sheet, '所属社区'),
        column(sheet, '经度'),
        column(sheet, '纬度'),
      ];
      const where = async (lon: number, lat: number) =>
        (
          await sql<{ grid: string | null; community: string | null }>`SELECT
          (SELECT code FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))) AS grid,
          (SELECT name FROM regions WHERE level = 'community' AND ST_Contains(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))) AS community`.execute(
            server.database.db,
          )
        ).rows[0]!;
      let unreached = 0;
      for (let i = 0; i < kinds.length; i++) {
        if (kinds[i] === '网格无党组织')
          expect((await where(lons[i] as number, lats[i] as number)).grid).toBe(codes[i]);
        if (kinds[i] === '服务圈外区域' && unreached++ < 20) {
          expect((await where(lons[i] as number, lats[i] as number)).community).toBe(communities[i]);
        }
      }
      expect(unreached).toBeGreaterThan(0);
    });

    it('puts no grid worker phone in the workbook', async () => {
      const wb = await readWorkbook((await districtWorkbook()).bytes);
      const text: string[] = [];
      wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value)))));
      const all = text.join('\n');
      const phones = (await sql<{ phone: string }>`SELECT DISTINCT phone FROM grid_workers`.execute(server.database.db))
        .rows;
      expect(phones.length).toBeGreaterThan(100);
      expect(phones.filter(({ phone }) => all.includes(phone))).toEqual([]);
    });

    it('writes an English workbook for a street with lang=en, and the chosen reach parameters', async () => {
      const street = demo.uncoveredGrids[0]!.slice(0, 9) + '000';
      const res = await get(
        `/api/reports/coverage.xlsx?region=${street}&minutes=5&speed=1&kinds=party_service_center&lang=en`,
      );
      expect(res.status).toBe(200);
      const wb = await readWorkbook(await res.arrayBuffer());
      expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'Grids', 'Organisations', 'Stations', 'Problems']);
      const facts = new Map<string, unknown>();
      wb.getWorksheet('Summary')!.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
      expect(facts.get('Reach (m)')).toBe(300);
      expect(facts.get('Station kinds counted')).toBe('Party–masses service centre');
      expect(header(wb.getWorksheet('Grids')!)[9]).toBe('Reached in 5 min');
      const codes = column(wb.getWorksheet('Grids')!, 'Grid code') as string[];
      expect(codes.length).toBeGreaterThan(0);
      expect(codes.every((c) => c.startsWith(street.slice(0, 9)))).toBe(true);

      // A community's report names its street, from above the region.
      const community = demo.uncoveredGrids[0]!.slice(0, 12);
      const names = (
        await sql<{
          code: string;
          name: string;
        }>`SELECT code, name FROM regions WHERE code IN (${street}, ${community})`.execute(server.database.db)
      ).rows;
      const small = await readWorkbook(
        await (await get(`/api/reports/coverage.xlsx?region=${community}`)).arrayBuffer(),
      );
      const grids = small.getWorksheet('网格')!;
      expect(new Set(column(grids, '所属街道'))).toEqual(new Set([names.find((r) => r.code === street)!.name]));
      expect(new Set(column(grids, '所属社区'))).toEqual(new Set([names.find((r) => r.code === community)!.name]));
      expect(column(grids, '党组织覆盖状态')).toContain('未覆盖');
    });

    it('downloads GeoJSON with the grids, unreached areas and stations as layers', async () => {
      const res = await get(`/api/reports/coverage.geojson?region=${DISTRICT}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`filename="coverage-${DISTRICT}-\\d{4}-\\d{2}-\\d{2}\\.geojson"`),
      );
      const fc = (await res.json()) as CoverageGeoJSON;
      expect(fc.type).toBe('FeatureCollection');
      const byLayer = (layer: string) => fc.features.filter((f) => f.properties.layer === layer);
      expect(byLayer('grids')).toHaveLength(demo.counts.grids!);
      expect(byLayer('stations')).toHaveLength(demo.counts.stations!);
      expect(byLayer('unreached').length).toBeGreaterThan(0);
      expect(new Set(fc.features.map((f) => f.properties.layer))).toEqual(new Set(['grids', 'unreached', 'stations']));
      const uncovered = byLayer('grids').filter(
        (f) => f.properties.layer === 'grids' && f.properties.status === 'uncovered',
      );
      expect(uncovered).toHaveLength(demo.uncoveredGrids.length);
      expect(uncovered[0]!.geometry.type).toBe('MultiPolygon');
      expect(fc.reach).toMatchObject({ minutes: 3, speed: 1.2, reachM: 216 });
    });

    // The embedded driver would need a fresh data directory loaded with the demo (slow): the server driver only.
    it.runIf(driver === 'server')(
      'npm run report writes the workbook of a street through DATABASE_URL, and exits 2 for an unknown region',
      async () => {
        const url = new URL(SERVER_URL!);
        url.searchParams.set('options', `-c search_path=${server.database.schema},public`);
        const env = { DATABASE_URL: url.toString(), WANGGE_LOAD_DEMO: '0' };
        const street = demo.uncoveredGrids[0]!.slice(0, 9) + '000';
        const out = join(dir, 'street.xlsx');
        const result = await cli(env, '--region', street, '--out', out, '--minutes', '3');
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toMatch(
          new RegExp(
            `\\(${street}\\): \\d+ grids, ${demo.uncoveredGrids.filter((g) => g.startsWith(street.slice(0, 9))).length} without party organisation`,
          ),
        );
        expect(result.stderr).toMatch(/station reach/);
        const wb = await readWorkbook(readFileSync(out));
        expect(wb.worksheets.map((s) => s.name)).toEqual(COVERAGE_SHEETS);
        const unknown = await cli(env, '--region', '999999999999', '--out', join(dir, 'x.geojson'));
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toMatch(/does not exist/);
      },
      240_000,
    );
  });
}

describe('npm run report', () => {
  it('exits 2 on bad arguments before it opens a database', async () => {
    const env = { DATABASE_URL: '', DATA_DIR: join(dir, 'never-created') };
    for (const args of [
      ['--out', join(dir, 'a.xlsx')],
      ['--region', '12', '--out', join(dir, 'a.xlsx')],
      ['--region', DISTRICT],
      ['--region', DISTRICT, '--out', join(dir, 'a.csv')],
      ['--region', DISTRICT, '--out', join(dir, 'a.xlsx'), '--minutes', 'x'],
      ['--region', DISTRICT, '--out', join(dir, 'a.xlsx'), '--colour', 'red'],
    ]) {
      const result = await cli(env, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/usage: npm run report/);
    }
    expect(existsSync(join(dir, 'never-created'))).toBe(false);
  }, 60_000);
});
