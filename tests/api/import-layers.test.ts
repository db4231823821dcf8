/**
 * POST /api/import for the layers beside stations, on each driver: an editor's grid import in
 * their own street (published through a draft) and in another (403 naming the feature),
 * a whole party tree from an xlsx ledger, regions (admin only, parent rules), buildings as
 * polygons, and roads (region required, identical file = unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import type { Feature, FeatureCollection } from 'geojson';
import type { ImportReport } from '../../common/contracts/interop.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { squareGrid } from '../helpers/squares.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import {
  loadFixture,
  toPolygon,
  toLonLat,
  type LoadedFixture,
  type ValidationFixture,
} from '../helpers/validation-fixtures.ts';

const square = (x: number, y: number) => squareGrid(x, y);
const PAIR: ValidationFixture = {
  name: 'import-pair',
  description: 'two grids',
  unitMetres: 100,
  community: [
    [
      [
        [0, 0],
        [2, 0],
        [2, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
  grids: { A: [square(0, 0)], B: [square(1, 0)] },
  buildings: [],
  expect: {},
};
const OFFSET = 0.2; // loadFixture index 2: clear of the demo district
const TABLES = ['regions', 'grids', 'drafts', 'changesets', 'buildings', 'party_orgs', 'roads', 'settings'];
type Body = ImportReport & { error: { code: string; message: string; param?: string } };

for (const driver of DRIVERS) {
  describe(`import of other layers [${driver}]`, () => {
    let server: TestServer;
    let pair: LoadedFixture;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const upload = (fields: Record<string, string>, name: string, body: string | Uint8Array, as = 'admin') =>
      http.upload<Body>(fields, { name, body }, { as });
    const fc = (features: Feature[]) =>
      JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection);
    const checksum = () => tablesChecksum(server.database.db, TABLES);
    const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(server.database.db)).rows;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      pair = await loadFixture(server.database.db, PAIR, 2);
      for (const user of ['admin', 'editor-001']) cookies[user] = await sessionCookie(server.url, user);
    });
    afterAll(async () => server?.close());

    it("an editor imports grids of their own street through a draft; another street's grid is a 403 naming it", async () => {
      const [own] = await q(
        sql<{
          code: string;
          g: unknown;
        }>`SELECT code, ST_AsGeoJSON(geom, 15)::json AS g FROM grids WHERE community_code LIKE '131002001%' ORDER BY code LIMIT 1`,
      );
      const [other] = await q(
        sql<{
          code: string;
          g: unknown;
        }>`SELECT code, ST_AsGeoJSON(geom, 15)::json AS g FROM grids WHERE community_code LIKE '131002002%' ORDER BY code LIMIT 1`,
      );
      const feature = (code: string, name: string, g: unknown): Feature => ({
        type: 'Feature',
        properties: { code, name },
        geometry: g as Feature['geometry'],
      });
      const res = await upload(
        { layer: 'grids', commit: '1' },
        'own.geojson',
        fc([feature(own!.code, '导入改名', own!.g)]),
        'editor-001',
      );
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
      expect(res.body).toMatchObject({ update: 1, unchanged: 0, committed: true, topology: { problems: 0 } });
      expect((await q(sql<{ name: string }>`SELECT name FROM grids WHERE code = ${own!.code}`))[0]!.name).toBe(
        '导入改名',
      );
      const before = await checksum();
      const refused = await upload(
        { layer: 'grids', commit: '1' },
        'other.geojson',
        fc([feature(own!.code, '再改', own!.g), feature(other!.code, '外街道', other!.g)]),
        'editor-001',
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(`Feature 1 (${other!.code}) lies in street 131002002000`);
      expect(await checksum()).toBe(before);
    });

    it('a party tree from an xlsx ledger: written top down, a misplaced group reported, the commit refused until it is fixed', async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('党组织台账');
      sheet.addRow(['组织编码', '组织名称', '类型', '上级组织', '所属社区', '党员数']);
      // Children first in the file: the import orders by kind.
      sheet.addRow(['IMP-G1', '第一党小组', '党小组', 'IMP-B', pair.community, 5]);
      sheet.addRow(['IMP-G2', '错位党小组', '党小组', 'IMP-K', pair.community, 3]);
      sheet.addRow(['IMP-B', '第一支部', '党支部', 'IMP-K', pair.community, 20]);
      sheet.addRow(['IMP-K', '社区党委', '党委', '', pair.community, 60]);
      const before = await checksum();
      const dry = await upload(
        { layer: 'party_orgs', commit: '1' },
        '党组织.xlsx',
        new Uint8Array(await book.xlsx.writeBuffer()),
      );
      expect(dry.status).toBe(422);
      const report = (dry.body.error as unknown as { report: ImportReport }).report;
      expect(report).toMatchObject({
        format: 'xlsx',
        crs: null,
        create: 3,
        invalid: [
          {
            index: 1,
            code: 'IMP-G2',
            field: 'parent_code',
            reason: expect.stringContaining('cannot sit under a committee'),
          },
        ],
      });
      expect(await checksum()).toBe(before);
      sheet.getRow(3).getCell(4).value = 'IMP-B';
      const ok = await upload(
        { layer: 'party_orgs', commit: '1' },
        '党组织.xlsx',
        new Uint8Array(await book.xlsx.writeBuffer()),
      );
      expect(ok.body).toMatchObject({ create: 4, invalid: [], committed: true });
      expect(
        await q(sql<{ code: string; parent_code: string | null; member_count: number }>`
        SELECT code, parent_code, member_count FROM party_orgs WHERE code LIKE 'IMP-%' ORDER BY code`),
      ).toEqual([
        { code: 'IMP-B', parent_code: 'IMP-K', member_count: 20 },
        { code: 'IMP-G1', parent_code: 'IMP-B', member_count: 5 },
        { code: 'IMP-G2', parent_code: 'IMP-B', member_count: 3 },
        { code: 'IMP-K', parent_code: null, member_count: 60 },
      ]);
    });

    it('regions: a new community under the fixture street; a wrong parent level is invalid', async () => {
      const street = `${pair.district.slice(0, 6)}001000`;
      const community = (code: string, parent: string, x: number): Feature => ({
        type: 'Feature',
        properties: { 区划代码: code, 区划名称: `社区${code.slice(-3)}`, 层级: '社区', 上级区划: parent },
        geometry: toPolygon(PAIR, square(x, 3), OFFSET),
      });
      const before = await checksum();
      const dry = await upload(
        { layer: 'regions' },
        'regions.geojson',
        fc([community(`${street.slice(0, 9)}002`, street, 0), community(`${street.slice(0, 9)}003`, pair.district, 2)]),
      );
      expect(dry.body).toMatchObject({
        create: 1,
        invalid: [{ index: 1, field: 'parent_code', reason: expect.stringContaining('needs a street as parent') }],
      });
      expect(await checksum()).toBe(before);
      const ok = await upload(
        { layer: 'regions', commit: '1' },
        'regions.geojson',
        fc([community(`${street.slice(0, 9)}002`, street, 0)]),
      );
      expect(ok.body).toMatchObject({ create: 1, committed: true });
      expect(
        await q(
          sql<{
            level: string;
            parent_code: string;
          }>`SELECT level, parent_code FROM regions WHERE code = ${`${street.slice(0, 9)}002`}`,
        ),
      ).toEqual([{ level: 'community', parent_code: street }]);
    });

    it('buildings as polygons, located in their community; an invalid outline is reported, never repaired', async () => {
      const bowtie = {
        type: 'Polygon' as const,
        coordinates: [
          [
            toLonLat(PAIR, [0.1, 0.1], OFFSET),
            toLonLat(PAIR, [0.3, 0.3], OFFSET),
            toLonLat(PAIR, [0.3, 0.1], OFFSET),
            toLonLat(PAIR, [0.1, 0.3], OFFSET),
            toLonLat(PAIR, [0.1, 0.1], OFFSET),
          ],
        ],
      };
      const ok: Feature = {
        type: 'Feature',
        properties: { 楼栋编码: 'IMP-B1', 楼栋名称: '1号楼', 户数: 48 },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0.5, 0.5],
              [0.6, 0.5],
              [0.6, 0.6],
              [0.5, 0.6],
              [0.5, 0.5],
            ].map((p) => toLonLat(PAIR, p, OFFSET)),
          ],
        },
      };
      const bad: Feature = {
        type: 'Feature',
        properties: { 楼栋编码: 'IMP-B2', 楼栋名称: '2号楼', 户数: 12 },
        geometry: bowtie,
      };
      const dry = await upload({ layer: 'buildings' }, 'b.geojson', fc([ok, bad]));
      expect(dry.body).toMatchObject({
        create: 1,
        invalid: [{ index: 1, code: 'IMP-B2', field: 'geometry', reason: expect.stringContaining('never repaired') }],
      });
      const res = await upload({ layer: 'buildings', commit: '1' }, 'b.geojson', fc([ok]));
      expect(res.body).toMatchObject({ create: 1, committed: true });
      expect(
        await q(
          sql<{
            community_code: string;
            households: number;
          }>`SELECT community_code, households FROM buildings WHERE code = 'IMP-B1'`,
        ),
      ).toEqual([{ community_code: pair.community, households: 48 }]);
    });

    it('roads: the region is required, its roads are replaced, the same file again changes nothing, another street is 403', async () => {
      const line = (code: string, y: number): Feature => ({
        type: 'Feature',
        properties: { 编码: code, 路名: `路${code}`, 类型: '道路' },
        geometry: { type: 'LineString', coordinates: [toLonLat(PAIR, [0, y], OFFSET), toLonLat(PAIR, [2, y], OFFSET)] },
      });
      const file = fc([line('R1', 0.25), line('R2', 0.75)]);
      const missing = await upload({ layer: 'roads' }, 'roads.geojson', file);
      expect([missing.status, missing.body.error.param]).toEqual([400, 'region']);
      const res = await upload({ layer: 'roads', region: pair.community, commit: '1' }, 'roads.geojson', file);
      expect(res.body).toMatchObject({
        create: 2,
        committed: true,
        mapping: { code: '编码', name: '路名', kind: '类型' },
      });
      const before = await checksum();
      const again = await upload({ layer: 'roads', region: pair.community, commit: '1' }, 'roads.geojson', file);
      expect(again.body).toMatchObject({ create: 0, unchanged: 2, committed: true });
      expect(await checksum()).toBe(before);
      const editor = await upload(
        { layer: 'roads', region: pair.community, commit: '1' },
        'roads.geojson',
        file,
        'editor-001',
      );
      expect(editor.status).toBe(403);
      expect(await checksum()).toBe(before);
    });
  });
}
