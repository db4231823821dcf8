/**
 * The coverage workbook and GeoJSON built from a hand-made report, read back with exceljs.
 *
 *   district 131002000000 ─ street 131002001000 ─ community 131002001001
 *   grids  G1 (400 户, branch B1)   G2 (300 户, nobody)   G3 (500 户, groups P1 and P2)
 *   orgs   K committee ─ B1 branch ─ P1, P2 groups
 *   stations S1 counted (reaches 600, 400 only here), S2 counted, redundant; S3 not counted
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import { buildCoverageWorkbook, displayWidth } from '../../server/reports/coverage-workbook.ts';
import { coverageGeoJSON } from '../../server/reports/coverage-geojson.ts';
import { orgCoverage } from '../../server/reports/coverage-tables.ts';
import { reportFileName, type CoverageReportData, type ReportOrg } from '../../server/reports/coverage-report.ts';
import { parseReportOptions } from '../../server/reports/report-params.ts';
import { COVERAGE_SHEETS, GRID_SHEET_HEADER, ORG_SHEET_HEADER, readWorkbook } from '../helpers/workbook.ts';
import { HttpError } from '../../server/http/errors.ts';

const D = '131002000000';
const S = '131002001000';
const C = '131002001001';
const G1 = `${C}001`;
const G2 = `${C}002`;
const G3 = `${C}003`;
const square = (x: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, 39.5],
        [x + 0.001, 39.5],
        [x + 0.001, 39.501],
        [x, 39.501],
        [x, 39.5],
      ],
    ],
  ],
});
const row = (code: string, name: string, level: 'district' | 'street' | 'community', parent: string | null) => ({
  code,
  name,
  level,
  parent_code: parent,
  grids: 3,
  covered: 2,
  uncovered: 1,
  claimedTwice: 1,
  households: 1200,
  householdsCovered: 900,
  householdsShare: 0.75,
});

const party: PartyCoverageReport = {
  region: { code: D, name: '安次区', level: 'district' },
  regions: [
    row(D, '安次区', 'district', null),
    row(S, '银河南路街道', 'street', D),
    row(C, '光明社区', 'community', S),
  ],
  orgIssues: [
    {
      code: 'P1',
      name: '第一党小组',
      kind: 'group',
      community_code: C,
      grids: [G1, G3],
      pieces: 2,
      communities: [C],
      issue: 'not_contiguous',
    },
  ],
  problemGrids: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: square(116.701),
        properties: {
          code: G2,
          name: '二网格',
          community_code: C,
          households: 300,
          party_orgs: [],
          status: 'uncovered',
        },
      },
      {
        type: 'Feature',
        geometry: square(116.702),
        properties: {
          code: G3,
          name: '三网格',
          community_code: C,
          households: 500,
          party_orgs: ['P1', 'P2'],
          status: 'claimed_twice',
        },
      },
    ],
  },
  tookMs: 5,
};
const reachRow = (code: string, name: string, households: number, reached: number) => ({
  code,
  name,
  households,
  householdsReached: reached,
  share: reached / households,
});
const unreachedArea: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [116.702, 39.5],
      [116.703, 39.5],
      [116.703, 39.501],
      [116.702, 39.5],
    ],
  ],
};
const reach: StationReachReport = {
  region: party.region,
  minutes: 3,
  speed: 1.2,
  reachM: 216,
  kinds: ['party_service_center', 'red_post'],
  method: 'straight_line',
  households: 1200,
  householdsReached: 900,
  share: 0.75,
  communities: [reachRow(C, '光明社区', 1200, 900)],
  grids: [reachRow(G1, '一网格', 400, 400), reachRow(G2, '二网格', 300, 200), reachRow(G3, '三网格', 500, 300)],
  stations: [
    {
      code: 'S1',
      name: '光明党群服务中心',
      kind: 'party_service_center',
      lon: 116.7005,
      lat: 39.5005,
      households: 600,
      householdsOnlyHere: 400,
    },
    {
      code: 'S2',
      name: '光明红色驿站',
      kind: 'red_post',
      lon: 116.7015,
      lat: 39.5005,
      households: 200,
      householdsOnlyHere: 0,
    },
  ],
  redundant: ['S2'],
  unreached: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: unreachedArea,
        properties: { community_code: C, community_name: '测试社区', households: 300, buildings: 2, areaM2: 4321.6 },
      },
    ],
  },
  tookMs: 7,
};
const orgs: ReportOrg[] = [
  {
    code: 'K',
    name: '光明社区党委',
    kind: 'committee',
    parent_code: null,
    community_code: C,
    secretary_name: '王书记',
    member_count: 80,
    grids: [],
  },
  {
    code: 'B1',
    name: '第一党支部',
    kind: 'branch',
    parent_code: 'K',
    community_code: C,
    secretary_name: '李书记',
    member_count: 30,
    grids: [G1],
  },
  {
    code: 'P1',
    name: '第一党小组',
    kind: 'group',
    parent_code: 'B1',
    community_code: C,
    secretary_name: null,
    member_count: 8,
    grids: [G3],
  },
  {
    code: 'P2',
    name: '第二党小组',
    kind: 'group',
    parent_code: 'B1',
    community_code: C,
    secretary_name: null,
    member_count: 7,
    grids: [G3],
  },
];
const station = (
  code: string,
  name: string,
  kind: 'party_service_center' | 'red_post' | 'courier_post',
  lon: number,
  phone: string | null,
) => ({
  code,
  name,
  kind,
  region_code: C,
  address: '光明路1号',
  opening_hours: 'Mo-Fr 08:30-17:30',
  phone,
  lon,
  lat: 39.5005,
});
const data: CoverageReportData = {
  generatedAt: new Date('2026-11-23T02:00:00Z'),
  region: party.region,
  regions: {
    [D]: { name: '安次区', parent_code: null },
    [S]: { name: '银河南路街道', parent_code: D },
    [C]: { name: '光明社区', parent_code: S },
  },
  party,
  reach,
  grids: [
    {
      code: G1,
      name: '一网格',
      community_code: C,
      kind: 'residential',
      households: 400,
      party_orgs: ['B1'],
      geometry: square(116.7),
    },
    {
      code: G2,
      name: '二网格',
      community_code: C,
      kind: 'residential',
      households: 300,
      party_orgs: [],
      geometry: square(116.701),
    },
    {
      code: G3,
      name: '三网格',
      community_code: C,
      kind: 'residential',
      households: 500,
      party_orgs: ['P1', 'P2'],
      geometry: square(116.702),
    },
  ],
  orgs,
  stations: [
    station('S1', '光明党群服务中心', 'party_service_center', 116.7005, '0316-5200001'),
    station('S2', '光明红色驿站', 'red_post', 116.7015, null),
    station('S3', '光明小哥驿站', 'courier_post', 116.7025, null),
  ],
  gridPoints: { [G2]: [116.7015, 39.5005], [G3]: [116.7025, 39.5005] },
  unreachedPoints: [[116.7027, 39.5002]],
};

const cellsOf = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);
const values = (sheet: ExcelJS.Worksheet, r: number) => cellsOf(sheet.getRow(r));
/** The data row whose first cell is `key`. */
const rowOf = (sheet: ExcelJS.Worksheet, key: string) => {
  for (let r = 2; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === key) return sheet.getRow(r);
  throw new Error(`no row ${key} in ${sheet.name}`);
};

describe('coverage workbook', () => {
  it('has the summary, grids, organisations, stations and problems sheets with Chinese headers, bold and frozen', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    expect(wb.worksheets.map((s) => s.name)).toEqual(COVERAGE_SHEETS);
    const grids = wb.getWorksheet('网格')!;
    expect(values(grids, 1)).toEqual(GRID_SHEET_HEADER);
    expect(values(wb.getWorksheet('党组织')!, 1)).toEqual(ORG_SHEET_HEADER);
    expect(values(wb.getWorksheet('服务站点')!, 1)).toEqual([
      '编码',
      '名称',
      '类型',
      '地址',
      '开放时间',
      '服务电话',
      '经度',
      '纬度',
      '是否计入',
      '覆盖户数',
      '独占户数',
      '是否冗余',
    ]);
    expect(values(wb.getWorksheet('问题')!, 1)).toEqual([
      '问题类型',
      '编码',
      '名称',
      '所属社区',
      '涉及户数',
      '经度',
      '纬度',
      '说明',
    ]);
    for (const name of ['网格', '党组织', '服务站点', '问题']) {
      const sheet = wb.getWorksheet(name)!;
      expect(sheet.getCell(1, 1).font?.bold, name).toBe(true);
      expect(sheet.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    // 汇总 freezes the per-region table's header row (with the facts above it), not the title.
    const summary = wb.getWorksheet('汇总')!;
    const headerRow = [...Array(summary.rowCount)]
      .map((_, i) => i + 1)
      .find((r) => summary.getCell(r, 1).value === '编码');
    expect(headerRow).toBeGreaterThan(2);
    expect(summary.getCell(headerRow!, 2).value).toBe('名称');
    expect(summary.getCell(headerRow!, 1).font?.bold).toBe(true);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    // CJK headers are twice as wide as their character count: 党组织覆盖状态 is 7 characters, 14 units.
    expect(grids.getColumn(8).width).toBeGreaterThanOrEqual(14);
  });

  it('writes one row per grid, numbers as numbers and shares as percentages', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    const grids = wb.getWorksheet('网格')!;
    expect(grids.rowCount).toBe(1 + 3);
    expect(values(grids, 3)).toEqual([
      G2,
      '二网格',
      '银河南路街道',
      '光明社区',
      '居住网格',
      300,
      undefined,
      '未覆盖',
      300,
      200,
      200 / 300,
    ]);
    expect(rowOf(grids, G3).getCell(7).value).toBe('第一党小组、第二党小组');
    expect(rowOf(grids, G3).getCell(8).value).toBe('重复认领');
    expect(rowOf(grids, G1).getCell(8).value).toBe('已覆盖');
    expect(rowOf(grids, G2).getCell(6).numFmt).toBe('#,##0');
    expect(rowOf(grids, G2).getCell(11).numFmt).toBe('0.0%');
    const cells = [...Array(grids.rowCount - 1)].map((_, i) => grids.getCell(i + 2, 8).value);
    expect(cells.filter((v) => v === '未覆盖')).toHaveLength(party.regions[0]!.uncovered);
  });

  it('lists organisations with their kind in Chinese and the grids and households of their subtree', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    const sheet = wb.getWorksheet('党组织')!;
    expect(cellsOf(rowOf(sheet, 'B1'))).toEqual([
      'B1',
      '第一党支部',
      '党支部',
      '光明社区党委',
      '光明社区',
      '李书记',
      30,
      2,
      900,
    ]);
    expect(cellsOf(rowOf(sheet, 'K')).slice(2, 4)).toEqual(['党委', undefined]);
    expect([rowOf(sheet, 'K').getCell(8).value, rowOf(sheet, 'K').getCell(9).value]).toEqual([2, 900]);
    expect(rowOf(sheet, 'P2').getCell(3).value).toBe('党小组');
  });

  it('lists stations with coordinates, reach and redundancy; the uncounted kind has no reach figures', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    const sheet = wb.getWorksheet('服务站点')!;
    expect(cellsOf(rowOf(sheet, 'S1'))).toEqual([
      'S1',
      '光明党群服务中心',
      '党群服务中心',
      '光明路1号',
      '周一至周五 08:30–17:30',
      '0316-5200001',
      116.7005,
      39.5005,
      '是',
      600,
      400,
      '否',
    ]);
    expect(rowOf(sheet, 'S1').getCell(7).numFmt).toBe('0.000000');
    expect(rowOf(sheet, 'S2').getCell(12).value).toBe('是');
    expect(cellsOf(rowOf(sheet, 'S3')).slice(8)).toEqual(['否']);
  });

  it('lists the problems: uncovered, claimed twice, a scattered organisation, a redundant station, an unreached area', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    const sheet = wb.getWorksheet('问题')!;
    const rows = [...Array(sheet.rowCount - 1)].map((_, i) => values(sheet, i + 2));
    expect(rows.map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual([
      ['网格无党组织', G2, 300, 116.7015, 39.5005],
      ['网格重复认领', G3, 500, 116.7025, 39.5005],
      ['党组织网格不连片', 'P1', 900, undefined, undefined],
      ['冗余站点', 'S2', 200, 116.7015, 39.5005],
      ['服务圈外区域', undefined, 300, 116.7027, 39.5002],
    ]);
    expect(rows[1]![7]).toBe('认领组织：第一党小组、第二党小组');
    expect(rows[2]![7]).toBe('网格分为 2 片；一网格、三网格');
    expect(rows[3]![7]).toBe('红色驿站：圈内 200 户均有其他同类站点覆盖');
    expect(rows[4]![7]).toBe('2 栋楼，面积 4322 平方米');
  });

  it('summarises region, date, reach parameters and totals, then one row per region', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data));
    const sheet = wb.getWorksheet('汇总')!;
    const facts = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((r) => facts.set(String(r.getCell(1).value), r.getCell(2)));
    expect(facts.get('区域')!.value).toBe('安次区（131002000000）');
    expect(facts.get('生成时间')!.value).toBe('2026-11-23 10:00 (UTC+8)');
    expect(facts.get('步行时间（分钟）')!.value).toBe(3);
    expect(facts.get('服务半径（米）')!.value).toBe(216);
    expect(facts.get('计算方法')!.value).toBe('直线测地距离');
    expect(facts.get('计入站点类型')!.value).toBe('党群服务中心、红色驿站');
    expect(facts.get('圈内户数占比')!.value).toBe(0.75);
    expect(facts.get('圈内户数占比')!.numFmt).toBe('0.0%');
    expect(facts.get('未覆盖网格')!.value).toBe(1);
    const street = rowOf(sheet, S);
    expect((street.values as unknown[]).slice(1)).toEqual([
      S,
      '银河南路街道',
      '街道',
      3,
      2,
      1,
      1,
      1200,
      900,
      0.75,
      1200,
      900,
      0.75,
    ]);
    expect(street.getCell(1).font?.bold ?? false).toBe(false);
  });

  it('writes an English workbook with lang=en', async () => {
    const wb = await readWorkbook(await buildCoverageWorkbook(data, 'en'));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Summary', 'Grids', 'Organisations', 'Stations', 'Problems']);
    expect(values(wb.getWorksheet('Grids')!, 1)[9]).toBe('Reached in 3 min');
    expect(rowOf(wb.getWorksheet('Grids')!, G2).getCell(8).value).toBe('Uncovered');
  });
});

describe('coverage GeoJSON', () => {
  it('holds grids, unreached areas and stations, each with its layer', () => {
    const fc = coverageGeoJSON(data);
    const layers = fc.features.map((f) => f.properties.layer);
    expect(layers).toEqual(['grids', 'grids', 'grids', 'unreached', 'stations', 'stations', 'stations']);
    const g2 = fc.features.find((f) => f.properties.layer === 'grids' && f.properties.code === G2)!;
    expect(g2.properties).toMatchObject({
      status: 'uncovered',
      households: 300,
      householdsReached: 200,
      reachedShare: 200 / 300,
    });
    const s2 = fc.features.find((f) => f.properties.layer === 'stations' && f.properties.code === 'S2')!;
    expect(s2.properties).toMatchObject({ counted: true, redundant: true });
    expect(s2.geometry).toEqual({ type: 'Point', coordinates: [116.7015, 39.5005] });
    expect(fc.reach).toEqual({
      minutes: 3,
      speed: 1.2,
      reachM: 216,
      method: 'straight_line',
      kinds: ['party_service_center', 'red_post'],
    });
    expect(JSON.parse(JSON.stringify(fc)).type).toBe('FeatureCollection');
  });
});

describe('report helpers', () => {
  it('names files by region and China date', () => {
    expect(reportFileName(D, new Date('2026-11-23T15:59:00Z'), 'xlsx')).toBe('coverage-131002000000-2026-11-23.xlsx');
    expect(reportFileName(D, new Date('2026-11-23T16:00:00Z'), 'geojson')).toBe(
      'coverage-131002000000-2026-11-24.geojson',
    );
  });

  it('counts CJK characters twice for column widths', () => {
    expect(displayWidth('网格编码')).toBe(8);
    expect(displayWidth('Grid 1')).toBe(6);
    expect(displayWidth('（）')).toBe(4);
  });

  it('survives a cycle in the organisation tree', () => {
    const cyclic: ReportOrg[] = [
      { ...orgs[1]!, code: 'A', parent_code: 'B', grids: [G1] },
      { ...orgs[1]!, code: 'B', parent_code: 'A', grids: [G2] },
    ];
    expect(
      orgCoverage(
        cyclic,
        new Map([
          [G1, 400],
          [G2, 300],
        ]),
      ).get('A'),
    ).toEqual({ grids: 2, households: 700 });
  });

  it('parses the options and names a bad parameter', () => {
    expect(
      parseReportOptions({ region: D, minutes: '5', speed: '1.0', kinds: 'red_post,red_post', lang: 'en' }),
    ).toEqual({ region: D, minutes: 5, speed: 1, kinds: ['red_post'], lang: 'en' });
    expect(parseReportOptions({ region: D, kinds: ['red_post', 'courier_post,party_parlour'] }).kinds).toEqual([
      'red_post',
      'courier_post',
      'party_parlour',
    ]);
    expect(parseReportOptions({ region: D })).toEqual({
      region: D,
      minutes: undefined,
      speed: undefined,
      kinds: undefined,
      lang: 'zh',
    });
    for (const [query, param] of [
      [{}, 'region'],
      [{ region: '12' }, 'region'],
      [{ region: D, minutes: '0' }, 'minutes'],
      [{ region: D, minutes: '61' }, 'minutes'],
      [{ region: D, speed: 'fast' }, 'speed'],
      [{ region: D, kinds: 'red_post,bus_stop' }, 'kinds'],
      [{ region: D, lang: 'fr' }, 'lang'],
      [{ region: [D, D] }, 'region'],
    ] as const) {
      try {
        parseReportOptions(query);
        expect.unreachable(JSON.stringify(query));
      } catch (error) {
        expect(error).toBeInstanceOf(HttpError);
        expect((error as HttpError).param).toBe(param);
        expect((error as HttpError).status).toBe(400);
      }
    }
  });
});
