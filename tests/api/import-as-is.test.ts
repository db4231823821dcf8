/**
 * Importing existing grids as they are (issue 15, ADR 0014) over real HTTP on each driver:
 * the dry run lists the problems a file brings, an admin's commit with acceptProblems and a
 * reason publishes them flagged on one changeset per street, editors keep the strict rule,
 * codes are kept or allocated, a community past 999 grids is refused before anything is
 * written, and a GDAL-written Gauss–Krüger Shapefile along the street's edge brings nothing.
 *
 *   Street X, community 0..4 × 0..1 (100 m units), the file's grids:
 *   y=1 +------+-----+-----+  +--------+--+
 *       | G1   |+ G2 | G3  |  |   G4   |  |   G1 0..1.1 overlaps G2 by 0.1 (1,000 m²)
 *   y=0 +------+-----+-----+  +--------+--+   gap 3..3.2 (2,000 m²); G4 3.2..4.3 reaches 30 m
 *       0      1     2     3  3.2      4  4.3  outside; G4 has 900 households (band 300–500)
 *   Street Y, community 0..2 × 0..1: Y1, Y2 tile it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import proj4 from 'proj4';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import type { Feature, FeatureCollection } from 'geojson';
import type { ImportReport } from '../../common/contracts/interop.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient, type UploadFile } from '../helpers/http-client.ts';
import { importCliEnv, runImportCli } from '../helpers/import-cli.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import {
  loadFixture,
  toLonLat,
  toPolygon,
  type LoadedFixture,
  type ValidationFixture,
} from '../helpers/validation-fixtures.ts';

const rect = (x0: number, x1: number, y0 = 0, y1 = 1) => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
];
const community = (w: number): ValidationFixture => ({
  name: `as-is-${w}`,
  description: '',
  unitMetres: 100,
  community: [rect(0, w)],
  grids: {},
  buildings: [],
  expect: {},
});
const X = community(4);
const Y = community(2);
const MANY = community(10);
const EDGE = community(2);
const TABLES = ['grids', 'draft_grids', 'drafts', 'changesets', 'changeset_grids', 'settings', 'regions'];
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wangge-as-is-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Body = ImportReport & { error: { code: string; message: string; param?: string; report?: ImportReport } };

for (const driver of DRIVERS) {
  describe(`import grids as they are [${driver}]`, () => {
    let server: TestServer;
    let x: LoadedFixture;
    let y: LoadedFixture;
    let many: LoadedFixture;
    let edge: LoadedFixture;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const upload = (fields: Record<string, string>, file: UploadFile, as: string) =>
      http.upload<Body>(fields, file, { as });
    const geojson = (name: string, features: Feature[]) => ({
      name,
      body: JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection),
    });
    const grid = (
      f: ValidationFixture,
      index: number,
      units: number[][][],
      properties: Record<string, unknown>,
    ): Feature => ({ type: 'Feature', properties, geometry: toPolygon(f, units, index * 0.1) });
    const checksum = () => tablesChecksum(server.database.db, TABLES);
    const cityFile = () =>
      geojson('现状网格.geojson', [
        grid(X, 4, rect(0, 1.1), { code: `${x.community}007`, name: 'G1', households: 400 }),
        grid(X, 4, rect(1, 2), { name: 'G2', households: 400 }),
        grid(X, 4, rect(2, 3), { code: '131002001001099', name: 'G3', households: 400 }),
        grid(X, 4, rect(3.2, 4.3), { name: 'G4', households: 900 }),
        grid(Y, 5, rect(0, 1), { name: 'Y1', households: 350 }),
        grid(Y, 5, rect(1, 2), { name: 'Y2', households: 450 }),
      ]);

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const db = server.database.db;
      x = await loadFixture(db, X, 4);
      y = await loadFixture(db, Y, 5);
      many = await loadFixture(db, MANY, 6);
      edge = await loadFixture(db, EDGE, 7);
      for (const user of ['admin', 'editor-001']) cookies[user] = await sessionCookie(server.url, user);
    });
    afterAll(async () => server?.close());

    it('the dry run lists the gaps, overlaps, outside parts and out-of-band households the file brings, with counts, and writes nothing', async () => {
      const before = await checksum();
      const dry = await upload({ layer: 'grids', acceptProblems: '1' }, cityFile(), 'admin');
      expect(dry.status, JSON.stringify(dry.body).slice(0, 500)).toBe(200);
      expect(dry.body).toMatchObject({
        features: 6,
        create: 6,
        update: 0,
        unchanged: 0,
        invalid: [],
        committed: false,
        asIs: { reason: null, changesets: [] },
      });
      expect(dry.body.topology).toMatchObject({
        problems: 4,
        byKind: { overlap: 1, gap: 1, outside: 1, households: 1 },
      });
      const kinds = Object.fromEntries(dry.body.topology!.sample.map((s) => [s.kind, s]));
      expect(kinds.overlap!.grids).toEqual([`${x.community}001`, `${x.community}007`]);
      expect(kinds.overlap!.message).toMatch(/^overlap of 10\d\d(\.\d)? m²/);
      expect(kinds.gap!.message).toMatch(/^gap of 20\d\d(\.\d)? m²/);
      expect(kinds.outside).toMatchObject({ grids: [`${x.community}003`] });
      // 30 m east; the reach is db/precision.ts's "about" measure (degrees × 111,320 m), so 30 m of longitude at 39.5° N reads 38.8 m.
      expect(kinds.outside!.message).toMatch(/^outside of 3000 m² \(up to 38\.8\d\d m\)/);
      expect(kinds.households!.message).toBe(`grid ${x.community}003 has 900 households, outside the band 300–500`);
      expect(await checksum()).toBe(before);
      // Without acceptProblems the same file is refused: G4's outside part is an invalid feature (422), not clipped away.
      const strict = await upload({ layer: 'grids', commit: '1' }, cityFile(), 'admin');
      expect([strict.status, strict.body.error.code]).toEqual([422, 'invalid_features']);
      // (G3's code of another community is also refused there: the strict path keeps ADR 0008's rule for codes.)
      expect(strict.body.error.report!.invalid.map((i) => i.index)).toEqual([2, 3]);
      expect(strict.body.error.report!.invalid.slice(1)).toEqual([
        {
          index: 3,
          field: 'geometry',
          reason: expect.stringMatching(
            new RegExp(
              `^geometry: the outline goes outside community ${x.community} by up to 38\\.8\\d\\d m \\((2999|3000)\\.\\d\\d m² outside\\)$`,
            ),
          ),
        },
      ]);
      expect(await checksum()).toBe(before);
    });

    it('an editor keeps the strict rule: a new overlap is a 409 creates_problems, acceptProblems a 403; nothing changes', async () => {
      const { rows } = await sql<{
        g: string;
      }>`SELECT ST_AsGeoJSON(geom, 15) AS g FROM grids WHERE community_code LIKE '131002001%' ORDER BY code LIMIT 1`.execute(
        server.database.db,
      );
      const file = geojson('编辑.geojson', [
        { type: 'Feature', properties: { name: '重叠' }, geometry: JSON.parse(rows[0]!.g) },
      ]);
      const before = await checksum();
      const strict = await upload({ layer: 'grids', commit: '1' }, file, 'editor-001');
      expect([strict.status, strict.body.error.code]).toEqual([409, 'creates_problems']);
      const asIs = await upload(
        { layer: 'grids', commit: '1', acceptProblems: '1', reason: '历史数据' },
        file,
        'editor-001',
      );
      expect([asIs.status, asIs.body.error.code]).toEqual([403, 'forbidden']);
      expect(asIs.body.error.message).toContain('Only an admin imports grids as they are');
      expect((await upload({ layer: 'grids', acceptProblems: '1' }, file, 'editor-001')).status).toBe(403);
      expect(await checksum()).toBe(before);
    });

    it('a commit with acceptProblems and no reason is a 400 naming reason; acceptProblems on another layer names acceptProblems', async () => {
      const before = await checksum();
      for (const reason of [undefined, '   ']) {
        const res = await upload(
          { layer: 'grids', commit: '1', acceptProblems: '1', ...(reason === undefined ? {} : { reason }) },
          cityFile(),
          'admin',
        );
        expect([res.status, res.body.error.param]).toEqual([400, 'reason']);
      }
      const stations = await upload(
        { layer: 'stations', acceptProblems: '1', reason: 'x' },
        geojson('s.geojson', []),
        'admin',
      );
      expect([stations.status, stations.body.error.param]).toEqual([400, 'acceptProblems']);
      const flag = await upload({ layer: 'grids', acceptProblems: 'yes' }, cityFile(), 'admin');
      expect([flag.status, flag.body.error.param]).toEqual([400, 'acceptProblems']);
      expect(await checksum()).toBe(before);
    });

    it('an admin commit publishes them as they are: one changeset per street with the accepted problems and the reason; codes kept or allocated', async () => {
      const db = server.database.db;
      const reason = '2026 年底图，问题后续修复';
      const res = await upload({ layer: 'grids', commit: '1', acceptProblems: '1', reason }, cityFile(), 'admin');
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
      expect(res.body).toMatchObject({
        create: 6,
        update: 0,
        committed: true,
        topology: { problems: 4 },
        asIs: { reason },
      });
      expect(res.body.warnings.join(' ')).toContain('1 code(s) of the file were not kept');
      const { rows: grids } = await sql<{ code: string; name: string; households: number }>`
        SELECT code, name, households FROM grids WHERE community_code IN (${x.community}, ${y.community}) ORDER BY code`.execute(
        db,
      );
      expect(grids.map((g) => [g.code.slice(12), g.name, g.code.slice(0, 12) === x.community ? 'X' : 'Y'])).toEqual([
        ['001', 'G2', 'X'],
        ['002', 'G3', 'X'],
        ['003', 'G4', 'X'],
        ['007', 'G1', 'X'],
        ['001', 'Y1', 'Y'],
        ['002', 'Y2', 'Y'],
      ]);
      const { rows: changesets } = await sql<{
        id: number;
        street_code: string;
        operation: string;
        accept_reason: string;
        accepted: { problems: number; byKind: Record<string, number> };
        grids: number;
        title: string;
        status: string;
      }>`
        SELECT c.id, c.street_code, c.operation, c.accept_reason, c.accepted_problems AS accepted,
               (SELECT count(*)::int FROM changeset_grids g WHERE g.changeset_id = c.id) AS grids, d.title, d.status
        FROM changesets c JOIN drafts d ON d.id = c.draft_id WHERE c.id = ANY(${res.body.asIs!.changesets}::int[]) ORDER BY c.street_code`.execute(
        db,
      );
      expect(
        changesets.map((c) => ({
          ...c,
          id: undefined,
          accepted: { problems: c.accepted.problems, byKind: c.accepted.byKind },
        })),
      ).toEqual([
        {
          id: undefined,
          street_code: x.district.slice(0, 6) + '001000',
          operation: 'publish',
          accept_reason: reason,
          accepted: { problems: 4, byKind: { overlap: 1, gap: 1, outside: 1, households: 1 } },
          grids: 4,
          title: '导入 现状网格.geojson',
          status: 'published',
        },
        {
          id: undefined,
          street_code: y.district.slice(0, 6) + '001000',
          operation: 'publish',
          accept_reason: reason,
          accepted: { problems: 0, byKind: {} },
          grids: 2,
          title: '导入 现状网格.geojson',
          status: 'published',
        },
      ]);
      // The published map has the accepted problems, and the validation report finds them.
      const report = await http.get<{ summary: { overlaps: number; gaps: number; outside: number } }>(
        `/api/validation?region=${x.community}`,
        { as: 'admin' },
      );
      const body = report.body;
      expect([report.status, body.summary.overlaps, body.summary.gaps, body.summary.outside]).toEqual([200, 1, 1, 1]);
    });

    it('a community past 999 grids is a 400 before anything is written', async () => {
      const squares: Feature[] = [];
      for (let i = 0; i < 100; i++)
        for (let j = 0; j < 10; j++)
          squares.push(
            grid(MANY, 6, rect(i / 10, (i + 1) / 10, j / 10, (j + 1) / 10), { name: `M${i}-${j}`, households: 400 }),
          );
      expect(squares).toHaveLength(1000);
      const before = await checksum();
      const res = await upload(
        { layer: 'grids', commit: '1', acceptProblems: '1', reason: '测试' },
        geojson('太多.geojson', squares),
        'admin',
      );
      expect([res.status, res.body.error.code, res.body.error.param]).toEqual([400, 'too_many_grids', 'file']);
      expect(res.body.error.message).toContain(`community ${many.community} would hold 1000 grids`);
      // The strict path (through drafts) refuses it the same way, before any draft is opened.
      const strict = await upload({ layer: 'grids', commit: '1' }, geojson('太多.geojson', squares), 'admin');
      expect([strict.status, strict.body.error.code, strict.body.error.param]).toEqual([400, 'too_many_grids', 'file']);
      expect(await checksum()).toBe(before);
      const fits = await upload(
        { layer: 'grids', acceptProblems: '1' },
        geojson('刚好.geojson', squares.slice(0, 999)),
        'admin',
      );
      expect([fits.status, fits.body.create]).toEqual([200, 999]);
    });

    it.runIf(driver === 'server')(
      'npm run import -- … --accept-problems: the dry run lists the problems; a commit without --reason exits 2',
      async () => {
        const cli = (env: Record<string, string>, ...args: string[]) => runImportCli(env, args, 240_000);
        const env = importCliEnv(server.database.schema!);
        const file = join(dir, 'overlap.geojson');
        writeFileSync(
          file,
          JSON.stringify({
            type: 'FeatureCollection',
            features: [grid(X, 4, rect(0.5, 1.5), { name: 'CLI 重叠', households: 400 })],
          }),
        );
        const before = await checksum();
        const dry = await cli(env, file, '--layer', 'grids', '--accept-problems');
        expect(dry.code, dry.stderr).toBe(0);
        expect(dry.stdout).toMatch(/拓扑 Topology: 新增问题 [1-9]\d* new problem\(s\): overlap [1-9]/);
        expect(dry.stdout).toContain('按现状导入 As is: (no reason yet)');
        expect(dry.stdout).toContain('试运行，未写入 Dry run');
        const noReason = await cli(env, file, '--layer', 'grids', '--accept-problems', '--commit');
        expect([noReason.code, noReason.stderr]).toEqual([
          2,
          expect.stringContaining('--accept-problems --commit needs --reason'),
        ]);
        expect(await checksum()).toBe(before);
      },
      300_000,
    );

    it('a GDAL-written Gauss–Krüger Shapefile with full-precision coordinates along the street edge imports with no problem', async () => {
      // EPSG:4527 (CGCS2000 3° zone 39, CM 117°E), as an office's desktop GIS writes it.
      const gk = proj4(
        '+proj=longlat +ellps=GRS80 +no_defs',
        '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
      );
      const ring = (x0: number, x1: number) =>
        rect(x0, x1)[0]!.map((p) => gk.forward(toLonLat(EDGE, p, 0.7) as [number, number]));
      const fc = {
        type: 'FeatureCollection',
        features: [
          [0, 1],
          [1, 2],
        ].map(([a, b], i) => ({
          type: 'Feature',
          properties: { name: `E${i + 1}`, households: 400 },
          geometry: { type: 'Polygon', coordinates: [ring(a!, b!)] },
        })),
      };
      writeFileSync(join(dir, 'edge.geojson'), JSON.stringify(fc));
      await run('ogr2ogr', [
        '-f',
        'ESRI Shapefile',
        '-s_srs',
        'EPSG:4527',
        '-a_srs',
        'EPSG:4527',
        '-lco',
        'ENCODING=UTF-8',
        join(dir, 'edge.shp'),
        join(dir, 'edge.geojson'),
      ]);
      const zip = zipSync(
        Object.fromEntries(
          ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => [
            `edge.${ext}`,
            new Uint8Array(readFileSync(join(dir, `edge.${ext}`))),
          ]),
        ),
      );
      // Full precision: the vertices are not on any decimal grid in degrees.
      const strict = await upload({ layer: 'grids' }, { name: 'edge.zip', body: zip }, 'admin');
      expect(strict.status, JSON.stringify(strict.body).slice(0, 400)).toBe(200);
      expect(strict.body).toMatchObject({
        format: 'shapefile',
        crs: { name: 'EPSG:4527', source: 'prj' },
        create: 2,
        invalid: [],
        topology: { problems: 0 },
      });
      const res = await upload(
        { layer: 'grids', commit: '1', acceptProblems: '1', reason: '测绘院 2026 版' },
        { name: 'edge.zip', body: zip },
        'admin',
      );
      expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(201);
      expect(res.body).toMatchObject({ create: 2, invalid: [], topology: { problems: 0, byKind: {} } });
      const { rows } = await sql<{ n: number; tiled: boolean }>`
        SELECT count(*)::int AS n, ST_Equals(ST_Union(g.geom), r.geom) AS tiled FROM grids g JOIN regions r ON r.code = g.community_code
        WHERE g.community_code = ${edge.community} GROUP BY r.geom`.execute(server.database.db);
      expect(rows[0]).toEqual({ n: 2, tiled: true });
    });
  });
}
