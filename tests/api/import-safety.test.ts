/**
 * Hostile and mistaken uploads to POST /api/import, on each driver: each is refused with a
 * 4xx JSON error naming the problem, and the database is unchanged (checksum of every
 * table an import writes, before and after). The files come from tests/helpers/interop-files.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import {
  kmlWithDoctype,
  shapefileZipWithoutPrj,
  zipBomb,
  zipWithSymlink,
  zipWithTraversal,
} from '../helpers/interop-files.ts';

const TABLES = [
  'regions',
  'grids',
  'draft_grids',
  'drafts',
  'changesets',
  'buildings',
  'stations',
  'party_orgs',
  'grid_workers',
  'roads',
  'settings',
];

type ErrorBody = { error: { code: string; message: string; param?: string } };

for (const driver of DRIVERS) {
  describe(`import safety [${driver}]`, () => {
    let server: TestServer;
    let admin: string;
    const http = httpClient(() => server.url);
    const upload = (fields: Record<string, string>, name: string, bytes: Uint8Array) =>
      http.upload<ErrorBody>(fields, { name, body: bytes }, { cookie: admin });
    const checksum = () => tablesChecksum(server.database.db, TABLES);
    /** The upload is refused with `status` and `code`, and no table changed. */
    const refused = async (
      fields: Record<string, string>,
      name: string,
      bytes: Uint8Array,
      status: number,
      code: string,
    ) => {
      const before = await checksum();
      const res = await upload({ ...fields, commit: '1' }, name, bytes);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(await checksum()).toBe(before);
      return res.body.error;
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      admin = await sessionCookie(server.url, 'admin');
    });
    afterAll(async () => server?.close());

    it('a zip with a ../ path is refused and nothing is written', async () => {
      const error = await refused(
        { layer: 'buildings' },
        'places.zip',
        await zipWithTraversal(),
        400,
        'unsafe_archive',
      );
      expect(error.message).toContain('../../evil.txt');
    });

    it('a zip with a symbolic link is refused', async () => {
      expect(
        (await refused({ layer: 'buildings' }, 'places.zip', await zipWithSymlink(), 400, 'unsafe_archive')).message,
      ).toContain('symbolic link');
    });

    it('a zip bomb is refused while inflating, also when its headers lie about the size', async () => {
      const honest = await upload({ layer: 'buildings', commit: '1' }, 'bomb.zip', zipBomb({ megabytes: 20 }));
      expect([400, 413]).toContain(honest.status);
      const before = await checksum();
      const liar = await upload({ layer: 'buildings', commit: '1' }, 'bomb.zip', zipBomb({ megabytes: 20, lie: true }));
      expect(liar.status).toBe(400);
      expect(liar.body.error.code).toBe('unsafe_archive');
      expect(await checksum()).toBe(before);
    });

    it('a KML with a DOCTYPE (entity expansion) is refused before parsing', async () => {
      expect(
        (await refused({ layer: 'stations' }, 'laughs.kml', kmlWithDoctype(), 400, 'unsafe_xml')).message,
      ).toContain('DOCTYPE');
    });

    it('an upload over the size limit is a 413 naming the limit, before anything is parsed', async () => {
      const error = await refused(
        { layer: 'stations' },
        'huge.geojson',
        new Uint8Array(50 * 1024 * 1024 + 1),
        413,
        'too_large',
      );
      expect(error.message).toContain('50 MB');
      expect(error.param).toBe('file');
    });

    it('Gauss–Krüger metres in a Shapefile without .prj are refused, naming EPSG:4527', async () => {
      const { zip } = await shapefileZipWithoutPrj();
      const error = await refused({ layer: 'buildings' }, 'places.zip', zip, 400, 'crs_mismatch');
      expect(error.param).toBe('crs');
      expect(error.message).toContain('EPSG:4527');
    });

    it('an unknown format, an unknown coordinate system and bad mapping JSON are 400s naming the field', async () => {
      const geojson = new TextEncoder().encode('{"type":"FeatureCollection","features":[]}');
      expect((await refused({ layer: 'stations' }, 'a.dwg', geojson, 400, 'invalid_file')).param).toBe('format');
      expect(
        (
          await refused(
            { layer: 'stations', crs: 'EPSG:3857' },
            'a.geojson',
            new TextEncoder().encode(
              '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"x","name":"x","kind":"red_post"},"geometry":{"type":"Point","coordinates":[116.69,39.5]}}]}',
            ),
            400,
            'invalid_parameter',
          )
        ).param,
      ).toBe('crs');
      expect(
        (await refused({ layer: 'stations', mapping: '{code:' }, 'a.geojson', geojson, 400, 'invalid_parameter')).param,
      ).toBe('mapping');
    });
  });
}
