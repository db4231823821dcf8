/**
 * POST /api/import over real HTTP on each driver: who may import, dry runs that write
 * nothing and count exactly, commits, the grid path through drafts (a new overlap refuses
 * the commit), coordinates declared or refused, and the remembered mapping.
 *
 *   Hand-made community (100 m units), grids A B C published:
 *   y=1 +-----+-----+-----+
 *       |  A  |  B  |  C  |     N = the square x 0.5..1.5: overlaps A and B
 *   y=0 +-----+-----+-----+
 *       0     1     2     3
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import proj4 from 'proj4';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { ImportFieldsResponse, ImportReport } from '../../common/contracts/interop.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { rectPolygon } from '../helpers/squares.ts';
import { httpClient, type UploadFile } from '../helpers/http-client.ts';
import { importCliEnv, runImportCli } from '../helpers/import-cli.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import { loadFixture, toPolygon, type LoadedFixture, type ValidationFixture } from '../helpers/validation-fixtures.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCJ02_ANCHOR, gbkShapefileZip } from '../helpers/interop-files.ts';

const square = (x: number, y: number, w = 1) => rectPolygon(x, y, x + w, y + 1);
const ROW: ValidationFixture = {
  name: 'import-row',
  description: 'three grids in a row',
  unitMetres: 100,
  community: [
    [
      [
        [0, 0],
        [3, 0],
        [3, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
  grids: { A: [square(0, 0)], B: [square(1, 0)], C: [square(2, 0)] },
  buildings: [],
  expect: {},
};
/** loadFixture(…, 2) puts the community 0.2° east of the demo district, so nothing of the demo lies under it. */
const OFFSET = 0.2;
const TABLES = [
  'grids',
  'draft_grids',
  'drafts',
  'changesets',
  'stations',
  'party_orgs',
  'grid_workers',
  'settings',
  'regions',
  'buildings',
];

/** A community around 117°E, 39.5–39.725°N (loadFixture index 3 is 0.3° east of 116.7°), under the Gauss–Krüger test places. */
const GK: ValidationFixture = {
  name: 'import-gk',
  description: 'a tall community on 117°E',
  unitMetres: 100,
  community: [
    [
      [
        [-10, 0],
        [10, 0],
        [10, 250],
        [-10, 250],
        [-10, 0],
      ],
    ],
  ],
  grids: {},
  buildings: [],
  expect: {},
};
const dir = mkdtempSync(join(tmpdir(), 'wangge-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type ErrorBody = { error: { code: string; message: string; param?: string; report?: ImportReport } };

for (const driver of DRIVERS) {
  describe(`import API [${driver}]`, () => {
    let server: TestServer;
    let row: LoadedFixture;
    let gk: LoadedFixture;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const upload = (fields: Record<string, string>, file: UploadFile | null, as?: string) =>
      http.upload<ImportReport & ErrorBody>(fields, file, { as });
    const geojson = (features: Feature[]) => ({
      name: 'file.geojson',
      body: JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection),
    });
    const checksum = () => tablesChecksum(server.database.db, TABLES);
    const stationFeature = (
      code: string,
      name: string,
      kind: string,
      coordinates: number[],
      extra: Record<string, unknown> = {},
    ): Feature<Point> => ({
      type: 'Feature',
      properties: { code, name, kind, ...extra },
      geometry: { type: 'Point', coordinates },
    });

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      row = await loadFixture(server.database.db, ROW, 2);
      gk = await loadFixture(server.database.db, GK, 3);
      for (const user of ['admin', 'planner', 'editor-001']) cookies[user] = await sessionCookie(server.url, user);
    });
    afterAll(async () => server?.close());

    it('needs a signed-in editor or admin: anonymous 401, planner 403; unknown fields and layers are 400', async () => {
      const file = geojson([]);
      expect((await upload({ layer: 'stations' }, file)).status).toBe(401);
      expect((await upload({ layer: 'stations' }, file, 'planner')).status).toBe(403);
      expect((await http.get('/api/import/fields?layer=grids')).status).toBe(401);
      const unknown = await upload({ layer: 'stations', colour: 'red' }, file, 'admin');
      expect([unknown.status, unknown.body.error.param]).toEqual([400, 'colour']);
      const layer = await upload({ layer: 'trees' }, file, 'admin');
      expect([layer.status, layer.body.error.param]).toEqual([400, 'layer']);
      expect((await upload({ layer: 'stations' }, null, 'admin')).body.error.param).toBe('file');
      expect((await upload({ layer: 'regions' }, file, 'editor-001')).status).toBe(403);
    });

    it('stations: a dry run counts create / update / unchanged exactly and writes nothing; the commit writes them', async () => {
      const db = server.database.db;
      const { rows: stored } = await sql<{ code: string; name: string; kind: string; g: Point }>`
        SELECT code, name, kind, ST_AsGeoJSON(geom, 15)::json AS g FROM stations ORDER BY code LIMIT 2`.execute(db);
      const [same, renamed] = stored;
      const features = [
        stationFeature(same!.code, same!.name, same!.kind, same!.g.coordinates),
        stationFeature(renamed!.code, `${renamed!.name}（新）`, renamed!.kind, renamed!.g.coordinates),
        stationFeature(
          'IMP-S1',
          '导入驿站',
          '红色驿站',
          [116.7 + OFFSET + (0.5 * 100) / 85_950, 39.5 + (0.5 * 100) / 111_030],
          { 地址: '测试路 1 号' },
        ),
        stationFeature('IMP-S2', '坏站点', 'castle', [116.69, 39.5]),
      ];
      const before = await checksum();
      const dry = await upload({ layer: 'stations' }, geojson(features), 'admin');
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        layer: 'stations',
        format: 'geojson',
        features: 4,
        create: 1,
        update: 1,
        unchanged: 1,
        committed: false,
        crs: { name: 'EPSG:4326', source: 'default' },
      });
      expect(dry.body.invalid).toEqual([
        {
          index: 3,
          code: 'IMP-S2',
          field: 'kind',
          reason: expect.stringContaining('must be one of party_service_center'),
        },
      ]);
      expect(dry.body.mapping).toEqual({ code: 'code', name: 'name', kind: 'kind', address: '地址' });
      expect(dry.body.warnings.join(' ')).toContain('declares no coordinate system');
      expect(await checksum()).toBe(before);
      // Any invalid feature refuses the commit, with the report, and nothing changes.
      const refused = await upload({ layer: 'stations', commit: '1' }, geojson(features), 'admin');
      expect(refused.status).toBe(422);
      expect(refused.body.error.report).toMatchObject({ create: 1, update: 1, unchanged: 1, committed: false });
      expect(await checksum()).toBe(before);
      const committed = await upload({ layer: 'stations', commit: '1' }, geojson(features.slice(0, 3)), 'admin');
      expect(committed.status).toBe(201);
      expect(committed.body).toMatchObject({ create: 1, update: 1, unchanged: 1, committed: true, invalid: [] });
      const { rows } = await sql<{ code: string; name: string; kind: string; region_code: string; address: string }>`
        SELECT code, name, kind, region_code, address FROM stations WHERE code IN (${renamed!.code}, 'IMP-S1') ORDER BY code`.execute(
        db,
      );
      expect(rows.sort((a, b) => (a.code < b.code ? -1 : 1))).toEqual([
        expect.objectContaining({ code: renamed!.code, name: `${renamed!.name}（新）` }),
        { code: 'IMP-S1', name: '导入驿站', kind: 'red_post', region_code: row.community, address: '测试路 1 号' },
      ]);
      // Imported again: everything unchanged, nothing written.
      const after = await checksum();
      const again = await upload({ layer: 'stations', commit: '1' }, geojson(features.slice(0, 3)), 'admin');
      expect(again.body).toMatchObject({ create: 0, update: 0, unchanged: 3, committed: true });
      expect(await checksum()).toBe(after);
    });

    it('remembers the committed mapping per layer', async () => {
      // Its own commit first: other tests commit stations files with other columns.
      const mine = [
        stationFeature(
          'IMP-M1',
          '记住映射',
          'red_post',
          [116.7 + OFFSET + (0.5 * 100) / 85_950, 39.5 + (0.7 * 100) / 111_030],
          { 地址: '测试路 2 号' },
        ),
      ];
      expect((await upload({ layer: 'stations', commit: '1' }, geojson(mine), 'admin')).status).toBe(201);
      const res = await http.get<ImportFieldsResponse>('/api/import/fields?layer=stations', { as: 'editor-001' });
      const body = res.body;
      expect(res.status).toBe(200);
      expect(body.mapping).toEqual({ code: 'code', name: 'name', kind: 'kind', address: '地址' });
      expect(body.fields.find((f) => f.name === 'kind')).toMatchObject({ required: true, type: 'enum', zh: '类型' });
      // A file with other column names takes the remembered mapping where its columns exist.
      const dry = await upload(
        { layer: 'stations' },
        geojson([stationFeature('IMP-S3', '站', 'red_post', [116.7003 + OFFSET, 39.5004], { 地址: 'x' })]),
        'admin',
      );
      expect(dry.body.mapping.address).toBe('地址');
    });

    it('an editor importing a feature outside their street gets 403 naming it, and nothing changes', async () => {
      const { rows } = await sql<{ x: number; y: number }>`
        SELECT ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM regions
        WHERE level = 'community' AND parent_code = '131002002000' ORDER BY code LIMIT 1) s`.execute(
        server.database.db,
      );
      const before = await checksum();
      const res = await upload(
        { layer: 'stations', commit: '1' },
        geojson([stationFeature('IMP-E1', '外街道', 'red_post', [rows[0]!.x, rows[0]!.y])]),
        'editor-001',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /^Feature 0 \(IMP-E1\) lies in street 131002002000; your account edits street 131002001000/,
      );
      expect(await checksum()).toBe(before);
    });

    it('Gauss–Krüger metres: refused when read as degrees (naming EPSG:4527), within 1 m of the truth when declared', async () => {
      const truth = [116.7 + OFFSET + (1.5 * 100) / 85_950, 39.5 + (0.5 * 100) / 111_030];
      const gk = proj4(
        '+proj=longlat +ellps=GRS80 +no_defs',
        '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
        truth,
      );
      const file = geojson([stationFeature('IMP-GK', '高斯站', 'red_post', gk)]);
      const before = await checksum();
      const refused = await upload({ layer: 'stations', commit: '1' }, file, 'admin');
      expect([refused.status, refused.body.error.param]).toEqual([400, 'crs']);
      expect(refused.body.error.message).toContain('EPSG:4527');
      expect(await checksum()).toBe(before);
      const ok = await upload({ layer: 'stations', crs: 'EPSG:4527', commit: '1' }, file, 'admin');
      expect(ok.status).toBe(201);
      expect(ok.body.crs).toEqual({ name: 'EPSG:4527', source: 'declared' });
      const { rows } = await sql<{
        x: number;
        y: number;
        region: string;
      }>`SELECT ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y, region_code AS region FROM stations WHERE code = 'IMP-GK'`.execute(
        server.database.db,
      );
      expect(geodesicDistanceM([rows[0]!.x, rows[0]!.y], truth as [number, number])).toBeLessThan(1);
      expect(rows[0]!.region).toBe(row.community);
    });

    it('grids: a new grid overlapping published ones is reported in topology and its commit is refused (409), nothing written', async () => {
      const overlapping = {
        type: 'Feature' as const,
        properties: { 名称: '新网格', 类型: '居住网格' },
        geometry: toPolygon(ROW, square(0.5, 0), OFFSET),
      };
      const renamedB = {
        type: 'Feature' as const,
        properties: { 网格编码: row.codes.B, 名称: 'B 改名', 类型: '居住网格' },
        geometry: toPolygon(ROW, square(1, 0), OFFSET),
      };
      const sameC = {
        type: 'Feature' as const,
        properties: { 网格编码: row.codes.C, 名称: 'C', 类型: '居住网格' },
        geometry: toPolygon(ROW, square(2, 0), OFFSET),
      };
      const file = {
        name: '测试网格.geojson',
        body: JSON.stringify({ type: 'FeatureCollection', features: [overlapping, renamedB, sameC] }),
      };
      const before = await checksum();
      const dry = await upload({ layer: 'grids' }, file, 'admin');
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ create: 1, update: 1, unchanged: 1, invalid: [], committed: false });
      expect(dry.body.mapping).toEqual({ code: '网格编码', name: '名称', kind: '类型' });
      expect(dry.body.topology!.byKind.overlap).toBeGreaterThanOrEqual(1);
      expect(dry.body.topology!.sample.some((s) => s.kind === 'overlap' && s.grids.includes(row.codes.A!))).toBe(true);
      expect(await checksum()).toBe(before);
      const refused = await upload({ layer: 'grids', commit: '1' }, file, 'admin');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('creates_problems');
      expect(refused.body.error.report).toMatchObject({ create: 1, update: 1, unchanged: 1 });
      expect(await checksum()).toBe(before);
    });

    it('grids: a change that keeps the tiling is published through a draft titled after the file', async () => {
      const renamedB = {
        type: 'Feature' as const,
        properties: { code: row.codes.B, name: 'B 改名', kind: 'commercial', households: 123 },
        geometry: toPolygon(ROW, square(1, 0), OFFSET),
      };
      const res = await upload(
        { layer: 'grids', commit: '1' },
        { name: '网格.geojson', body: JSON.stringify({ type: 'FeatureCollection', features: [renamedB] }) },
        'admin',
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        create: 0,
        update: 1,
        unchanged: 0,
        committed: true,
        topology: { problems: 0 },
      });
      const db = server.database.db;
      const { rows } = await sql<{
        name: string;
        kind: string;
        households: number;
        version: number;
      }>`SELECT name, kind, households, version FROM grids WHERE code = ${row.codes.B!}`.execute(db);
      expect(rows[0]).toEqual({ name: 'B 改名', kind: 'commercial', households: 123, version: 2 });
      const { rows: drafts } = await sql<{
        title: string;
        status: string;
      }>`SELECT title, status FROM drafts ORDER BY id DESC LIMIT 1`.execute(db);
      expect(drafts[0]).toEqual({ title: '导入 网格.geojson', status: 'published' });
    });

    it('a GBK Shapefile with a Gauss–Krüger .prj: names read back exactly, points within 1 m of their WGS84 places', async () => {
      const { zip, places, crs } = await gbkShapefileZip();
      const res = await upload({ layer: 'buildings', commit: '1' }, { name: '楼栋.zip', body: zip }, 'admin');
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
      expect(res.body).toMatchObject({
        format: 'shapefile',
        crs: { name: crs, source: 'prj' },
        create: 3,
        invalid: [],
      });
      expect(res.body.encoding?.toLowerCase()).toContain('gbk');
      const { rows } = await sql<{
        code: string;
        name: string;
        community_code: string;
        households: number;
        x: number;
        y: number;
      }>`
        SELECT code, name, community_code, households, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM buildings
        WHERE code = ANY(${places.map((p) => p.code)}::text[]) ORDER BY code`.execute(server.database.db);
      expect(rows.map((r) => [r.code, r.name, r.community_code, r.households])).toEqual(
        places.map((p, i) => [p.code, p.name, gk.community, 100 * (i + 1)]),
      );
      for (const [i, p] of places.entries())
        expect(geodesicDistanceM([rows[i]!.x, rows[i]!.y], [p.lon, p.lat])).toBeLessThan(1);
    });

    it('a declared crs wins over the .prj, with a warning naming both', async () => {
      const { zip, crs } = await gbkShapefileZip();
      const res = await upload({ layer: 'buildings', crs: 'EPSG:4548' }, { name: '楼栋.zip', body: zip }, 'admin');
      // The points are zone-39 metres (prefix 39…); read as CM 117°E without a prefix they are implausible.
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('crs_mismatch');
      const same = await upload({ layer: 'buildings', crs }, { name: '楼栋.zip', body: zip }, 'admin');
      expect(same.status).toBe(200);
      expect(same.body.crs).toEqual({ name: crs, source: 'declared' });
      expect(same.body.warnings.filter((w) => w.includes('declares'))).toEqual([]);
      // A GeoJSON naming CRS84 in its legacy crs member, declared CGCS2000: read as declared, and told.
      const named = {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
        features: [stationFeature('CRS-WARN-1', '声明测试站', 'red_post', [116.69, 39.5])],
      };
      const told = await upload(
        { layer: 'stations', crs: 'cgcs2000' },
        { name: 'named.geojson', body: JSON.stringify(named) },
        'admin',
      );
      expect(told.status, JSON.stringify(told.body)).toBe(200);
      expect(told.body.crs).toEqual({ name: 'EPSG:4490', source: 'declared' });
      expect(told.body.warnings).toContain('The file declares EPSG:4326; read as EPSG:4490, as you declared.');
    });

    it('a GCJ-02 CSV of stations, declared, lands within 1 m of the WGS84 truth; undeclared it is 500 m off and a warning says so', async () => {
      const csv = `编码,名称,类型,经度,纬度\r\nIMP-GCJ,高德服务站,小哥驿站,${GCJ02_ANCHOR.gcj02[0]},${GCJ02_ANCHOR.gcj02[1]}\r\n`;
      const file = { name: 'amap.csv', body: new TextEncoder().encode(`\uFEFF${csv}`) };
      const dry = await upload({ layer: 'stations' }, file, 'admin');
      expect(dry.body.warnings.join(' ')).toContain('GCJ-02');
      const res = await upload({ layer: 'stations', crs: 'GCJ-02', commit: '1' }, file, 'admin');
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
      expect(res.body).toMatchObject({
        format: 'csv',
        crs: { name: 'GCJ-02', source: 'declared' },
        create: 1,
        mapping: { code: '编码', name: '名称', kind: '类型' },
      });
      const { rows } = await sql<{
        x: number;
        y: number;
        kind: string;
      }>`SELECT ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y, kind FROM stations WHERE code = 'IMP-GCJ'`.execute(
        server.database.db,
      );
      expect(rows[0]!.kind).toBe('courier_post');
      expect(geodesicDistanceM([rows[0]!.x, rows[0]!.y], [...GCJ02_ANCHOR.wgs84])).toBeLessThan(1);
    });

    it('a KML of stations (WGS84 by definition) with ExtendedData', async () => {
      const [x, y] = [116.7 + OFFSET + (2.5 * 100) / 85_950, 39.5 + (0.5 * 100) / 111_030];
      const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
        <Placemark><name>奥维服务站</name><ExtendedData><Data name="code"><value>IMP-KML</value></Data><Data name="kind"><value>帮办服务站</value></Data></ExtendedData>
        <Point><coordinates>${x},${y},0</coordinates></Point></Placemark></Document></kml>`;
      const res = await upload({ layer: 'stations', commit: '1' }, { name: '站点.kml', body: kml }, 'admin');
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
      expect(res.body).toMatchObject({ format: 'kml', create: 1, invalid: [] });
      const { rows } = await sql<{ name: string; kind: string; region_code: string; x: number; y: number }>`
        SELECT name, kind, region_code, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM stations WHERE code = 'IMP-KML'`.execute(
        server.database.db,
      );
      expect(rows[0]).toMatchObject({ name: '奥维服务站', kind: 'helper_post', region_code: row.community });
      expect(geodesicDistanceM([rows[0]!.x, rows[0]!.y], [x, y])).toBeLessThan(0.01);
    });

    it.runIf(driver === 'server')(
      'npm run import: a dry run through DATABASE_URL prints the report and writes nothing; bad arguments exit 2',
      async () => {
        const cli = (env: Record<string, string>, ...args: string[]) => runImportCli(env, args, 180_000);
        const env = importCliEnv(server.database.schema!);
        const file = join(dir, 'stations.geojson');
        writeFileSync(
          file,
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              stationFeature('IMP-CLI', '命令行站', 'red_post', [
                116.7 + OFFSET + (0.2 * 100) / 85_950,
                39.5 + (0.2 * 100) / 111_030,
              ]),
              stationFeature('IMP-CLI2', '坏类型', 'castle', [
                116.7 + OFFSET + (0.3 * 100) / 85_950,
                39.5 + (0.2 * 100) / 111_030,
              ]),
            ],
          }),
        );
        const before = await checksum();
        const result = await cli(env, file, '--layer', 'stations');
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(
          '要素 Features: 2 — 新建 create 1, 更新 update 0, 不变 unchanged 0, 无效 invalid 1',
        );
        expect(result.stdout).toContain('#1 IMP-CLI2: kind (column kind): must be one of');
        expect(result.stdout).toContain('试运行，未写入 Dry run');
        expect(await checksum()).toBe(before);
        const refused = await cli(env, file, '--layer', 'stations', '--commit');
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('cannot be imported; nothing was written');
        expect(await checksum()).toBe(before);
        for (const args of [
          [file],
          [file, '--layer', 'trees'],
          ['--layer', 'stations'],
          [file, '--layer', 'stations', '--region', '12'],
          [file, '--layer', 'stations', '--mapping', '{'],
        ]) {
          const bad = await cli({ DATABASE_URL: '', DATA_DIR: join(dir, 'never-created') }, ...args);
          expect(bad.code, args.join(' ')).toBe(2);
          expect(bad.stderr).toContain('usage: npm run import');
        }
        expect((await cli(env, file, '--layer', 'stations', '--as', 'nobody')).code).toBe(2);
      },
      240_000,
    ); // eight tsx processes: over a minute on a loaded 2-core machine
  });
}
