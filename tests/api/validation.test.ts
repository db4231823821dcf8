/** The validation API over real HTTP on each driver, and `npm run validate` as a process. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import type { ValidationPreview, ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient, type RequestOptions } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { runCli } from '../helpers/import-cli.ts';
import { sessionCookie } from '../helpers/session.ts';
import { readDemoDataset } from '../../data/load.ts';

const demo = readDemoDataset().meta;
const DISTRICT = demo.districtCode;

for (const driver of DRIVERS) {
  describe(`validation API [${driver}]`, () => {
    let server: TestServer;
    /** Validation is for signed-in users: requests carry a planner's session unless `cookie` is null. */
    let planner: string;
    const request = async <T>(
      path: string,
      init: RequestOptions & { method?: string } = {},
      cookie: string | null = planner,
    ) => {
      const res = await httpClient(server.url).request<T>(init.method ?? 'GET', path, {
        ...init,
        cookie: cookie ?? undefined,
      });
      return { status: res.status, body: res.body as T };
    };
    const post = (body: unknown) =>
      request<ValidationPreview & { error?: { message: string; param?: string } }>('/api/validation/preview', {
        method: 'POST',
        ...(typeof body === 'string' ? { raw: body, contentType: 'application/json' } : { body }),
      });
    const checksum = async () =>
      (
        await sql<{
          sum: string;
        }>`SELECT md5(string_agg(code || version || md5(ST_AsBinary(geom)::text), ',' ORDER BY code)) AS sum FROM grids`.execute(
          server.database.db,
        )
      ).rows[0]!.sum;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      planner = await sessionCookie(server.url, 'planner');
    });
    afterAll(async () => server?.close());

    it('GET /api/validation reports the district: summary, communities and problems as GeoJSON', async () => {
      const { status, body } = await request<ValidationReport>(`/api/validation?region=${DISTRICT}`);
      expect(status).toBe(200);
      expect(body.region).toEqual({ code: DISTRICT, name: demo.districtName, level: 'district' });
      expect(body.summary).toEqual({
        overlaps: 2,
        gaps: 2,
        slivers: 0,
        outside: 0,
        multipart: 0,
        invalid: 0,
        householdsOutOfRange: demo.outOfBandGrids.length,
        uncoveredByParty: demo.uncoveredGrids.length,
        withoutWorker: 0,
      });
      expect(body.communities).toHaveLength(demo.counts.communities!);
      expect(body.problems.type).toBe('FeatureCollection');
      for (const f of body.problems.features) {
        expect(f.properties.id).toBeTruthy();
        expect(f.properties.point).toHaveLength(2);
        expect(['error', 'warning', 'info']).toContain(f.properties.severity);
      }
      // Each problem names its grids for people to read, in the order of their codes.
      const { rows: names } = await sql<{ code: string; name: string }>`SELECT code, name FROM grids`.execute(
        server.database.db,
      );
      const nameOf = new Map(names.map((r) => [r.code, r.name]));
      const named = body.problems.features.filter((f) => f.properties.grids.length > 0);
      expect(named.length).toBeGreaterThan(0);
      for (const f of named) expect(f.properties.grid_names).toEqual(f.properties.grids.map((c) => nameOf.get(c)));
      expect(body).not.toHaveProperty('stats');
    });

    it('refuses anonymous requests with 401: problems carry households and building counts', async () => {
      const report = await request<{ error: { code: string; message: string } }>(
        `/api/validation?region=${DISTRICT}`,
        {},
        null,
      );
      expect(report.status).toBe(401);
      expect(report.body.error.code).toBe('unauthorized');
      expect(JSON.stringify(report.body)).not.toContain('households"');
      const code = demo.outOfBandGrids[0]!;
      const grid = (await request<GridDetailFeature>(`/api/grids/${code}`)).body;
      const preview = await request<{ error: { code: string } }>(
        '/api/validation/preview',
        {
          method: 'POST',
          body: { geometry: grid.geometry, replaces: code },
        },
        null,
      );
      expect(preview.status).toBe(401);
      expect(preview.body.error.code).toBe('unauthorized');
      // Any signed-in role may check: an editor too.
      const editor = await sessionCookie(server.url, 'editor-003');
      expect((await request(`/api/validation?region=${DISTRICT}`, {}, editor)).status).toBe(200);
    });

    it('answers bad parameters with a 400 that names them, and an unknown region with 404', async () => {
      for (const [query, param] of [
        ['', 'region'],
        ['region=12', 'region'],
        [`region=${DISTRICT}&areaTolerance=-1`, 'areaTolerance'],
        [`region=${DISTRICT}&widthTolerance=abc`, 'widthTolerance'],
        [`region=${DISTRICT}&widthTolerance=1e999`, 'widthTolerance'],
      ] as const) {
        const { status, body } = await request<{ error: { param: string; message: string } }>(
          `/api/validation?${query}`,
        );
        expect(status, query).toBe(400);
        expect(body.error.param).toBe(param);
      }
      const missing = await request<{ error: { code: string } }>('/api/validation?region=999999999999');
      expect(missing.status).toBe(404);
    });

    it('POST /api/validation/preview: a grid grown 5 % into its neighbours creates overlaps', async () => {
      const code = demo.outOfBandGrids[0]!;
      const grid = (await request<GridDetailFeature>(`/api/grids/${code}`)).body;
      const same = await post({ geometry: grid.geometry, replaces: code });
      expect(same.status).toBe(200);
      expect(same.body.created.features).toEqual([]);
      expect(same.body.candidate).toMatchObject({ valid: true, households: expect.any(Number) });
      // Push every vertex 5 % outwards from the centroid: overlaps with the neighbours.
      const ring = grid.geometry.coordinates[0]![0]!;
      let [cx, cy] = [0, 0];
      for (const p of ring.slice(1)) [cx, cy] = [cx + p[0]! / (ring.length - 1), cy + p[1]! / (ring.length - 1)];
      const grown = {
        type: 'Polygon',
        coordinates: [ring.map((p) => [cx + (p[0]! - cx) * 1.05, cy + (p[1]! - cy) * 1.05])],
      };
      const before = await checksum();
      const result = await post({ geometry: grown, replaces: code });
      expect(result.status).toBe(200);
      expect(
        result.body.created.features.some((f) => f.properties.type === 'overlap' && f.properties.grids.includes(code)),
      ).toBe(true);
      expect(result.body.tookMs).toBeGreaterThan(0);
      expect(await checksum()).toBe(before); // a preview never writes
    });

    it('refuses bad candidate geometry with a 400 naming the problem, and writes nothing', async () => {
      const before = await checksum();
      const square = [
        [116.7, 39.5],
        [116.701, 39.5],
        [116.701, 39.501],
        [116.7, 39.501],
        [116.7, 39.5],
      ];
      const cases: [unknown, RegExp][] = [
        ['{"geometry": ', /JSON/i],
        [{ geometry: { type: 'Polygon', coordinates: [square.slice(0, 4)] }, community: '131002001001' }, /not closed/],
        [
          { geometry: { type: 'Polygon', coordinates: [square.slice(0, 3)] }, community: '131002001001' },
          /at least 4 positions/,
        ],
        [
          {
            geometry: { type: 'Polygon', coordinates: [[[116.7, 91], ...square.slice(1)]] },
            community: '131002001001',
          },
          /geometry/,
        ],
        [
          {
            geometry: { type: 'Polygon', coordinates: [[['116.7', '39.5'], ...square.slice(1)]] },
            community: '131002001001',
          },
          /geometry/,
        ],
        [
          '{"geometry": {"type": "Polygon", "coordinates": [[[1e999, 39.5], [116.701, 39.5], [116.701, 39.501], [1e999, 39.5]]]}, "community": "131002001001"}',
          /geometry/,
        ],
        [{ geometry: { type: 'Point', coordinates: [116.7, 39.5] }, community: '131002001001' }, /geometry/],
        [{ geometry: { type: 'Polygon', coordinates: [square] } }, /community/],
        [
          { geometry: { type: 'Polygon', coordinates: [square] }, community: '131002001001', code: '131002001001001' },
          /code|unrecognized/i,
        ],
        [{ geometry: { type: 'Polygon', coordinates: [square] }, community: DISTRICT }, /not a community/],
      ];
      for (const [body, message] of cases) {
        const res = await post(body);
        expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        expect(res.body.error?.message, JSON.stringify(body)).toMatch(message);
      }
      expect(await checksum()).toBe(before);
    });
  });
}

describe('npm run validate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wangge-validate-'));
  const cli = (...args: string[]) =>
    // a first embedded start under a loaded CI machine took over 120 s
    runCli('server/validation/validate-cli.ts', { DATABASE_URL: '', DATA_DIR: dataDir }, args, 300_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a table and exits 1 when a street has problems; --json prints the API report', async () => {
    const street = demo.deliberateErrors[0]!.grids[0]!.slice(0, 9) + '000';
    const table = await cli('--region', street);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/缝隙 gaps\s+\d/);
    expect(table.stdout).toContain(demo.deliberateErrors[0]!.grids[0]);
    const json = await cli('--region', street, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as ValidationReport;
    expect(report.region.code).toBe(street);
    expect(report.problems.features.length).toBeGreaterThan(0);
  }, 180_000);

  it('exits 0 for a community with no problems, and 2 for a bad or unknown region; --all checks everything', async () => {
    const all = JSON.parse((await cli('--all', '--json')).stdout) as ValidationReport;
    expect(all.summary).toMatchObject({ gaps: 2, overlaps: 2 });
    expect(all.grids).toBe(demo.counts.grids);
    const clean = all.communities.find((c) => c.errors + c.warnings + c.infos === 0)!;
    const ok = await cli('--region', clean.code);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('No problems');
    expect((await cli('--region', '12')).code).toBe(2);
    expect((await cli('--all', '--region', DISTRICT)).code).toBe(2);
    const unknown = await cli('--region', '999999999999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/does not exist/);
  }, 180_000);
});
