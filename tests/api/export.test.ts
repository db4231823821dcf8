/**
 * GET /api/export over real HTTP on each driver, and the round trip: a street's grids and
 * stations exported as GeoJSON, Shapefile (also in Gauss–Krüger) and CSV import back with
 * every feature unchanged and no row written; the xlsx ledgers (台账) carry Chinese headers
 * and words, and a party-organisation ledger imports back unchanged too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type { FeatureCollection } from 'geojson';
import type { ImportReport } from '../../common/contracts/interop.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';

const STREET = '131002001000';
const COMMUNITY = '131002001001';
const TABLES = ['grids', 'draft_grids', 'drafts', 'changesets', 'stations', 'party_orgs', 'grid_workers', 'org_grids'];

for (const driver of DRIVERS) {
  describe(`export API and round trip [${driver}]`, () => {
    let server: TestServer;
    let admin: string;
    const http = httpClient(() => server.url);
    const download = async (query: string, cookie: string | undefined = admin) => {
      const res = await http.fetch('GET', `/api/export?${query}`, { cookie });
      return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
    };
    const upload = (fields: Record<string, string>, name: string, bytes: Uint8Array) =>
      http.upload<ImportReport>(fields, { name, body: bytes }, { cookie: admin });
    const checksum = () => tablesChecksum(server.database.db, TABLES);
    const count = async (table: string, column: string, prefix: string) =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE left(${sql.ref(column)}, ${prefix.length}) = ${prefix}`.execute(
          server.database.db,
        )
      ).rows[0]!.n;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      admin = await sessionCookie(server.url, 'admin');
    });
    afterAll(async () => server?.close());

    it('needs a sign-in, a known layer and a format the layer can take', async () => {
      expect((await download(`layer=grids&region=${STREET}`, '')).status).toBe(401);
      expect((await download('layer=trees')).status).toBe(400);
      expect((await download('layer=buildings&format=xlsx')).status).toBe(400);
      expect((await download('layer=party_orgs&format=shapefile')).status).toBe(400);
      expect((await download('layer=grids&crs=EPSG:9999')).status).toBe(400);
      expect((await download('layer=grids&region=999999999999')).status).toBe(404);
    });

    it("GeoJSON of a street: every grid of it, with the import's field names and full coordinates", async () => {
      const res = await download(`layer=grids&region=${STREET}&format=geojson`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/geo+json');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="grids-${STREET}.geojson"; filename*=UTF-8''${encodeURIComponent(`网格-${STREET}.geojson`)}`,
      );
      const fc = JSON.parse(new TextDecoder().decode(res.bytes)) as FeatureCollection;
      expect(fc.features).toHaveLength(await count('grids', 'community_code', STREET.slice(0, 9)));
      expect(Object.keys(fc.features[0]!.properties!)).toEqual([
        'code',
        'name',
        'kind',
        'community_code',
        'households',
      ]);
    });

    for (const [layer, column] of [
      ['grids', 'community_code'],
      ['stations', 'region_code'],
    ] as const) {
      for (const [format, name, crs] of [
        ['geojson', 'x.geojson', ''],
        ['shapefile', 'x.zip', ''],
        ['shapefile', 'x.zip', 'EPSG:4527'],
        ['csv', 'x.csv', ''],
      ] as const) {
        it(`${layer} as ${format}${crs ? ` in ${crs}` : ''}: imported back, everything unchanged, nothing written`, async () => {
          const res = await download(`layer=${layer}&region=${COMMUNITY}&format=${format}${crs ? `&crs=${crs}` : ''}`);
          expect(res.status).toBe(200);
          if (format === 'shapefile') {
            const entries = Object.keys(unzipSync(res.bytes));
            expect(entries.some((e) => e.endsWith('.prj')) && entries.some((e) => e.endsWith('.cpg'))).toBe(true);
          }
          const n = await count(layer, column, COMMUNITY);
          expect(n).toBeGreaterThan(0);
          const before = await checksum();
          const imported = await upload({ layer, commit: '1' }, name, res.bytes);
          expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).toBe(201);
          expect(imported.body).toMatchObject({
            features: n,
            create: 0,
            update: 0,
            unchanged: n,
            invalid: [],
            committed: true,
          });
          if (crs) expect(imported.body.crs).toEqual({ name: crs, source: 'prj' });
          expect(await checksum()).toBe(before);
        });
      }
    }

    it('the grid ledger (网格台账) has Chinese headers and words; lang=en has English ones', async () => {
      const res = await download(`layer=grids&region=${COMMUNITY}&format=xlsx`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(
        `filename*=UTF-8''${encodeURIComponent(`网格台账-${COMMUNITY}.xlsx`)}`,
      );
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.bytes.buffer as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.getRow(1).values).toEqual([undefined, '网格编码', '网格名称', '网格类型', '所属社区', '户数']);
      const { rows } = await sql<{ code: string; kind: string; households: number }>`
        SELECT code, kind, households FROM grids WHERE community_code = ${COMMUNITY} ORDER BY code LIMIT 1`.execute(
        server.database.db,
      );
      expect(sheet.getRow(2).values).toEqual([
        undefined,
        rows[0]!.code,
        expect.any(String),
        { residential: '居住网格', commercial: '商务网格', mixed: '混合网格' }[rows[0]!.kind],
        COMMUNITY,
        rows[0]!.households,
      ]);
      const en = await download(`layer=grids&region=${COMMUNITY}&format=xlsx&lang=en`);
      const bookEn = new ExcelJS.Workbook();
      await bookEn.xlsx.load(en.bytes.buffer as ArrayBuffer);
      expect(bookEn.worksheets[0]!.getRow(1).values).toEqual([
        undefined,
        'Grid code',
        'Name',
        'Kind',
        'Community',
        'Households',
      ]);
    });

    it('the party-organisation and worker ledgers import back unchanged; an edited cell is one update', async () => {
      for (const layer of ['party_orgs', 'grid_workers'] as const) {
        const res = await download(`layer=${layer}&region=${COMMUNITY}&format=xlsx`);
        const before = await checksum();
        const again = await upload({ layer }, `${layer}.xlsx`, res.bytes);
        expect(again.status, JSON.stringify(again.body).slice(0, 400)).toBe(200);
        expect(again.body).toMatchObject({ create: 0, update: 0, invalid: [] });
        expect(again.body.unchanged).toBe(again.body.features);
        expect(await checksum()).toBe(before);
      }
      const res = await download(`layer=party_orgs&region=${COMMUNITY}&format=xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.bytes.buffer as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const headers = sheet.getRow(1).values as string[];
      expect(headers.slice(1)).toEqual(['组织编码', '组织名称', '类型', '上级组织', '所属社区', '书记', '党员数']);
      const code = String(sheet.getRow(2).getCell(1).value);
      sheet.getRow(2).getCell(headers.indexOf('书记')).value = '李四（导入）';
      const edited = new Uint8Array(await book.xlsx.writeBuffer());
      const committed = await upload({ layer: 'party_orgs', commit: '1' }, '党组织台账.xlsx', edited);
      expect(committed.body).toMatchObject({ update: 1, create: 0, invalid: [], committed: true });
      const { rows } = await sql<{
        secretary_name: string;
      }>`SELECT secretary_name FROM party_orgs WHERE code = ${code}`.execute(server.database.db);
      expect(rows[0]!.secretary_name).toBe('李四（导入）');
    });

    it('KML of stations: one placemark per station, WGS84 only', async () => {
      const res = await download(`layer=stations&region=${COMMUNITY}&format=kml`);
      expect(res.status).toBe(200);
      const text = new TextDecoder().decode(res.bytes);
      expect(text.match(/<Placemark/g)).toHaveLength(await count('stations', 'region_code', COMMUNITY));
      expect((await download(`layer=stations&format=kml&crs=EPSG:4527`)).status).toBe(400);
    });
  });
}
