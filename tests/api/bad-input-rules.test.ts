/**
 * The bad inputs of issue 8 that need state, on each driver: a stale or missing If-Match,
 * a geometry outside the editor's street, an edit that would overlap a published neighbour,
 * unknown sort/filter parameters and limit=1e9 on the read routes, hostile import files —
 * each a 4xx JSON error naming the problem with every table unchanged — and the acceptance
 * side: a clockwise ring with repeated vertices is stored counter-clockwise without them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  badInputFixture,
  EDITOR,
  OTHER_EDITOR,
  send,
  SIDE,
  type Answer,
  type BadInputFixture,
} from '../helpers/bad-input-fixture.ts';
import { squareRing } from '../helpers/bad-inputs.ts';
import {
  kmlWithDoctype,
  shapefileZipWithoutPrj,
  zipBomb,
  zipWithSymlink,
  zipWithTraversal,
} from '../helpers/interop-files.ts';
import { degreeShapefileWithoutPrj } from '../helpers/bad-input-files.ts';

for (const driver of DRIVERS) {
  describe(`bad input that needs state [${driver}]`, () => {
    let server: TestServer;
    let f: BadInputFixture;
    const json = (method: string, path: string, as: string, body?: unknown, ifMatch?: string) =>
      send(server, method, path, {
        cookie: f.cookies[as],
        text: body === undefined ? undefined : JSON.stringify(body),
        ifMatch,
        contentType: path.startsWith('/ogc') ? 'application/geo+json' : undefined,
      });
    /** The answer is `status` with a JSON error `code` (and `param`), and no table changed. */
    const refused = async (request: () => Promise<Answer>, status: number, code: string, param?: string) => {
      const before = await tablesChecksum(server.database.db);
      const answer = await request();
      expect(answer.status, answer.text.slice(0, 400)).toBe(status);
      expect(answer.json.error?.code, answer.text.slice(0, 400)).toBe(code);
      if (param) expect(answer.json.error?.param).toBe(param);
      expect(await tablesChecksum(server.database.db)).toBe(before);
      return answer.json.error!;
    };
    const upload = (fields: Record<string, string>, name: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.append('file', new Blob([bytes as BlobPart]), name);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      return send(server, 'POST', '/api/import', { cookie: f.cookies.admin, body: form });
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      f = await badInputFixture(server);
    }, 300_000);
    afterAll(async () => server?.close());

    it('a missing If-Match is 428 and a stale one 412 (with the current tag), on every editing and OGC write', async () => {
      const D = `/api/drafts/${f.draft}`;
      const stale = `"${f.grid}.v999"`;
      const square = { type: 'Polygon', coordinates: [squareRing(f.x, f.y, SIDE)] };
      const writes: [string, string, unknown][] = [
        ['PATCH', `${D}/grids/${f.grid}`, { name: 'x', comment: 'c' }],
        [
          'POST',
          `${D}/grids/${f.grid}/split`,
          {
            line: {
              type: 'LineString',
              coordinates: [
                [f.x, f.y - 0.01],
                [f.x, f.y + 0.01],
              ],
            },
            comment: 'c',
          },
        ],
        ['POST', `${D}/grids/${f.grid}/retire`, { comment: 'c' }],
        ['POST', `${D}/grids/${f.grid}/boundary`, { neighbour: f.neighbour, geometry: square, comment: 'c' }],
        ['POST', `${D}/merge`, { codes: [f.grid, f.neighbour], comment: 'c' }],
      ];
      for (const [method, path, body] of writes) {
        await refused(() => json(method, path, EDITOR, body), 428, 'precondition_required', 'If-Match');
        const error = await refused(
          () => json(method, path, EDITOR, body, stale),
          412,
          'precondition_failed',
          'If-Match',
        );
        expect((error.current as Record<string, string>)[f.grid]).toBe(f.tag);
      }
      const feature = { type: 'Feature', geometry: square, properties: { name: 'x', kind: 'residential' } };
      for (const [method, path, body] of [
        ['PUT', `/ogc/collections/grids/items/${f.grid}`, feature],
        ['DELETE', `/ogc/collections/grids/items/${f.grid}`, undefined],
        ['DELETE', `/ogc/collections/stations/items/${f.station}`, undefined],
      ] as const) {
        await refused(() => json(method, path, 'admin', body), 428, 'precondition_required', 'If-Match');
        await refused(() => json(method, path, 'admin', body, '"stale"'), 412, 'precondition_failed', 'If-Match');
      }
    });

    it("a geometry outside the street is 422 outside_street; another street's community or grid is 403, however it is sent", async () => {
      // A square in another street: the middle of one of its grids.
      const { rows } = await sql<{ x: number; y: number; community: string }>`
        SELECT ST_X(c.center)::float8 AS x, ST_Y(c.center)::float8 AS y, g.community_code AS community
        FROM grids g CROSS JOIN LATERAL ST_MaximumInscribedCircle(g.geom) c
        WHERE g.community_code NOT LIKE ${f.community.slice(0, 9) + '%'} ORDER BY c.radius DESC, g.code LIMIT 1`.execute(
        server.database.db,
      );
      const away = { type: 'Polygon', coordinates: [squareRing(rows[0]!.x - SIDE / 2, rows[0]!.y - SIDE / 2, SIDE)] };
      const D = `/api/drafts/${f.draft}`;
      // Where a geometry lies is not who you are: 422 naming the street, for an admin too (ADR 0011).
      await refused(
        () => json('PATCH', `${D}/grids/${f.grid}`, EDITOR, { geometry: away, comment: 'c' }, f.tag),
        422,
        'outside_street',
        'geometry',
      );
      await refused(
        () =>
          json('POST', `${D}/grids`, EDITOR, {
            geometry: away,
            community: f.community,
            name: 'x',
            kind: 'residential',
            comment: 'c',
          }),
        422,
        'outside_street',
        'geometry',
      );
      await refused(
        () =>
          json('POST', `${D}/grids`, EDITOR, {
            geometry: away,
            community: rows[0]!.community,
            name: 'x',
            kind: 'residential',
            comment: 'c',
          }),
        403,
        'forbidden',
      );
      // Another street's editor, on this street's draft and grids.
      await refused(
        () => json('PATCH', `${D}/grids/${f.grid}`, OTHER_EDITOR, { name: 'x', comment: 'c' }, f.tag),
        403,
        'forbidden',
      );
      const feature = {
        type: 'Feature',
        geometry: away,
        properties: { name: 'x', kind: 'residential', community_code: rows[0]!.community },
      };
      await refused(() => json('POST', '/ogc/collections/grids/items', EDITOR, feature), 403, 'forbidden');
      await refused(
        () =>
          json(
            'PUT',
            `/ogc/collections/grids/items/${f.grid}`,
            OTHER_EDITOR,
            { ...feature, properties: { name: 'x', kind: 'residential' } },
            f.ogcTag,
          ),
        403,
        'forbidden',
      );
    });

    it('an edit that overlaps a published neighbour is written in the draft but publishing it is 409, and writes nothing', async () => {
      const draft = (
        await json('POST', '/api/drafts', EDITOR, { street: f.community.slice(0, 9) + '000', title: 'overlap' })
      ).json.id as number;
      // The grid grown by ~10 m on every side: it then covers a strip of the neighbour.
      const { rows } = await sql<{
        g: unknown;
      }>`SELECT ST_AsGeoJSON(ST_Buffer(geom, 0.0001, 'join=mitre'), 7)::json AS g FROM grids WHERE code = ${f.grid}`.execute(
        server.database.db,
      );
      const grown = await json(
        'PATCH',
        `/api/drafts/${draft}/grids/${f.grid}`,
        EDITOR,
        { geometry: rows[0]!.g, comment: '长大', snapMetres: 0 },
        f.tag,
      );
      expect(grown.status, grown.text.slice(0, 300)).toBe(200);
      const error = await refused(
        () => json('POST', `/api/drafts/${draft}/publish`, EDITOR, { comment: '发布' }),
        409,
        'creates_problems',
      );
      expect(JSON.stringify(error.created)).toContain(`overlap:`);
      expect(JSON.stringify(error.created)).toContain(f.neighbour);
      expect((await json('POST', `/api/drafts/${draft}/discard`, EDITOR)).status).toBe(200);
    });

    it('unknown sort or filter columns and limit=1e9 are 400s naming the parameter, on the list routes', async () => {
      const c = f.community;
      const cases: [string, string][] = [
        [`/api/grids?region=${c}&sort=households`, 'sort'],
        [`/api/grids?region=${c}&password_hash=x`, 'password_hash'],
        [`/api/grids?region=${c}&limit=1e9`, 'limit'],
        [`/api/stations?region=${c}&sortby=name`, 'sortby'],
        [`/api/stations?region=${c}&limit=1e9`, 'limit'],
        [`/api/roads?region=${c}&limit=1e9`, 'limit'],
        [`/ogc/collections/grids/items?sortby=households`, 'sortby'],
        [`/ogc/collections/grids/items?households=1`, 'households'],
        [`/ogc/collections/grids/items?limit=1e9`, 'limit'],
        [`/ogc/collections/stations/items?limit=1000000000`, 'limit'],
      ];
      for (const [path, param] of cases) {
        const answer = await send(server, 'GET', path, { cookie: f.cookies.planner });
        expect(answer.status, `${path}: ${answer.text.slice(0, 200)}`).toBe(400);
        expect(answer.json.error, path).toMatchObject({ code: 'invalid_parameter', param });
        expect(answer.json.error!.message, path).toContain(param);
      }
    });

    it('hostile and mistaken import files are refused before anything is written', async () => {
      expect(
        (
          await refused(
            () => upload({ layer: 'buildings', commit: '1' }, 'a.zip', zipWithTraversalSync),
            400,
            'unsafe_archive',
          )
        ).message,
      ).toContain('../../evil.txt');
      expect(
        (await refused(() => upload({ layer: 'buildings', commit: '1' }, 'a.zip', symlinkZip), 400, 'unsafe_archive'))
          .message,
      ).toContain('symbolic link');
      await refused(
        () => upload({ layer: 'buildings', commit: '1' }, 'bomb.zip', zipBomb({ megabytes: 20, lie: true })),
        400,
        'unsafe_archive',
      );
      expect(
        (await refused(() => upload({ layer: 'stations', commit: '1' }, 'a.kml', kmlWithDoctype()), 400, 'unsafe_xml'))
          .message,
      ).toContain('DOCTYPE');
      expect(
        (
          await refused(
            () => upload({ layer: 'buildings', commit: '1' }, 'gk.zip', gkNoPrj),
            400,
            'crs_mismatch',
            'crs',
          )
        ).message,
      ).toContain('EPSG:4527');
      // Degrees with no .prj: the dry run reads them and warns that the system was not declared.
      const dry = await upload({ layer: 'stations' }, 'wgs84.zip', degreesNoPrj);
      expect(dry.status, dry.text.slice(0, 300)).toBe(200);
      expect(JSON.stringify(dry.json.warnings)).toMatch(/no \.prj/);
      // GeoJSON: Gauss–Krüger metres with no crs, a bow-tie grid; then a __proto__ property (last: it is written).
      const fc = (geometry: unknown, properties: Record<string, unknown> = {}) =>
        new TextEncoder().encode(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { code: 'BAD00001', name: '坏', kind: 'red_post', ...properties },
                geometry,
              },
            ],
          }),
        );
      expect(
        (
          await refused(
            () =>
              upload(
                { layer: 'stations', commit: '1' },
                'gk.geojson',
                fc({ type: 'Point', coordinates: [39_500_000, 4_370_000] }),
              ),
            400,
            'crs_mismatch',
          )
        ).message,
      ).toContain('EPSG:4527');
      const bowtie = {
        type: 'Polygon',
        coordinates: [
          [
            [f.x, f.y],
            [f.x + SIDE, f.y + SIDE],
            [f.x + SIDE, f.y],
            [f.x, f.y + SIDE],
            [f.x, f.y],
          ],
        ],
      };
      const bad = await refused(
        () =>
          upload(
            { layer: 'grids', commit: '1' },
            'bowtie.geojson',
            fc(bowtie, { code: `${f.community}998`, community_code: f.community, kind: 'residential' }),
          ),
        422,
        'invalid_features',
      );
      expect(JSON.stringify(bad)).toMatch(/self-intersection/i);
      const proto = new TextEncoder().encode(
        `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"BAD00002","name":"坏","kind":"red_post","__proto__":{"polluted":"yes"}},"geometry":{"type":"Point","coordinates":[${f.x},${f.y}]}}]}`,
      );
      const answer = await upload({ layer: 'stations', commit: '1', region: f.community }, 'proto.geojson', proto);
      // Ignored (no field is called __proto__), never merged into anything.
      expect(answer.status, answer.text.slice(0, 300)).toBe(201);
      expect(Object.values(answer.json.mapping as Record<string, string>)).not.toContain('__proto__');
      const { rows } = await sql<{
        row: string;
      }>`SELECT s::text AS row FROM stations s WHERE code = 'BAD00002'`.execute(server.database.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.row).toContain('坏');
      expect(rows[0]!.row).not.toContain('polluted');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a clockwise ring with repeated vertices is accepted and stored counter-clockwise without them', async () => {
      const ccw = squareRing(f.x, f.y, SIDE);
      const [a, b, c, d] = ccw;
      const clockwise = [a, a, d, c, c, b, a]; // reversed, with two repeated vertices
      const created = await json('POST', `/api/drafts/${f.draft}/grids`, EDITOR, {
        geometry: { type: 'Polygon', coordinates: [clockwise] },
        community: f.community,
        name: '顺时针',
        kind: 'residential',
        comment: '方向',
        snapMetres: 0,
      });
      expect(created.status, created.text.slice(0, 300)).toBe(201);
      const code = (created.json.grids as { code: string }[])[0]!.code;
      const { rows } = await sql<{ ccw: boolean; points: number; deduped: number; area: number }>`
        SELECT ST_IsPolygonCCW(geom) AS ccw, ST_NPoints(geom)::int AS points, ST_NPoints(ST_RemoveRepeatedPoints(geom))::int AS deduped,
               ST_Area(geom)::float8 AS area
        FROM draft_grids WHERE draft_id = ${f.draft} AND code = ${code}`.execute(server.database.db);
      expect(rows[0]).toMatchObject({ ccw: true, points: 5, deduped: 5 });
      expect(rows[0]!.area).toBeCloseTo(SIDE * SIDE, 12);
      const read = await json('GET', `/api/drafts/${f.draft}/grids/${code}`, EDITOR);
      const ring = (read.json.geometry as { coordinates: number[][][][] }).coordinates[0]![0]!;
      expect(ring).toHaveLength(5);
      // RFC 7946: the exterior ring counter-clockwise (positive shoelace area).
      let twice = 0;
      for (let i = 0; i < ring.length - 1; i++)
        twice += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
      expect(twice).toBeGreaterThan(0);
      // Overlay results (GEOS gives their shells clockwise) are stored counter-clockwise too.
      const cut = {
        type: 'LineString',
        coordinates: [
          [f.x + SIDE / 2, f.y - 0.01],
          [f.x + SIDE / 2, f.y + 0.01],
        ],
      };
      const split = await json(
        'POST',
        `/api/drafts/${f.draft}/grids/${f.grid}/split`,
        EDITOR,
        { line: cut, comment: '拆分' },
        f.tag,
      );
      expect(split.status, split.text.slice(0, 300)).toBe(200);
      const parts = await sql<{ ccw: boolean }>`SELECT ST_IsPolygonCCW(geom) AS ccw FROM draft_grids
        WHERE draft_id = ${f.draft} AND code = ANY(${(split.json.grids as { code: string }[]).map((g) => g.code)}::text[])`.execute(
        server.database.db,
      );
      expect(parts.rows.map((r) => r.ccw)).toEqual([true, true]);
    });

    let zipWithTraversalSync: Uint8Array;
    let symlinkZip: Uint8Array;
    let gkNoPrj: Uint8Array;
    let degreesNoPrj: Uint8Array;
    beforeAll(async () => {
      zipWithTraversalSync = await zipWithTraversal();
      symlinkZip = await zipWithSymlink();
      gkNoPrj = (await shapefileZipWithoutPrj()).zip;
      degreesNoPrj = await degreeShapefileWithoutPrj(f.x, f.y);
    });
  });
}
