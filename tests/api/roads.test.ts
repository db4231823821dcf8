/**
 * The road layer over real HTTP, on each driver: import (replace a region's roads), read
 * back as GeoJSON, and the walking graph built from what the database holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, LineString } from 'geojson';
import geodesic from 'geographiclib-geodesic';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import {
  loadRoadGraph,
  roadsChecksum,
  type RoadProperties,
  type RoadsImportResult,
} from '../../server/roads/roads.queries.ts';
import { reachOverNetwork } from '../../server/geo/road-network.ts';
import { geodesicDistanceM } from '../../server/geo/local-metric.ts';

const COMMUNITY = '131002001001'; // in street 131002001000 (editor-001)
const OTHER_COMMUNITY = '131002002001'; // in street 131002002000

type P = [number, number];
const WGS84 = geodesic.Geodesic.WGS84;
const north = (p: P, m: number): P => {
  const r = WGS84.Direct(p[1], p[0], 0, m);
  return [r.lon2!, r.lat2!];
};
/** Along the parallel: a straight line in lon/lat, m metres of geodesic. */
function east(p: P, m: number): P {
  let dLon = m / 85_000;
  for (let k = 0; k < 3; k++) dLon *= m / geodesicDistanceM(p[0], p[1], p[0] + dLon, p[1]);
  return [p[0] + dLon, p[1]];
}
const round7 = (p: P): P => [Math.round(p[0] * 1e7) / 1e7, Math.round(p[1] * 1e7) / 1e7];

//   C ── 120 m ── B     an L: 170 m straight from A to B, 240 m on foot
//   │
//   A                   plus a footway (MultiLineString of two parts) elsewhere
const A: P = [116.6912345, 39.5012345];
const C = round7(north(A, 120));
const B = round7(east(C, 120));
const F1: P = [116.7, 39.51];
const F2 = round7(east(F1, 50));
const F3 = round7(north(F1, 50));

const lShape = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: '建设路', kind: 'road', code: 'R1' },
      geometry: { type: 'LineString', coordinates: [A, C, B] },
    },
    {
      type: 'Feature',
      properties: { kind: 'footway' },
      geometry: {
        type: 'MultiLineString',
        coordinates: [
          [F1, F2],
          [F1, F3],
        ],
      },
    },
  ],
};

for (const driver of DRIVERS) {
  describe(`roads API [${driver}]`, () => {
    let server: TestServer;
    let admin: string;
    let editor1: string;
    let editor2: string;
    let planner: string;
    const http = httpClient(() => server.url);
    const post = async (region: string, body: unknown, cookie?: string, extra = '') => {
      const res = await http.post<RoadsImportResult & { error: { code: string; param?: string; message: string } }>(
        `/api/roads?region=${region}${extra}`,
        {
          cookie,
          ...(typeof body === 'string' ? { raw: body, contentType: 'application/json' } : { body }),
        },
      );
      return { status: res.status, body: res.body };
    };
    const get = async (query: string) => {
      const res = await http.get<FeatureCollection<LineString, RoadProperties> & { error: { param?: string } }>(
        `/api/roads?${query}`,
      );
      return { status: res.status, body: res.body };
    };
    const checksum = () => roadsChecksum(server.database.db);

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      // The demo loads its own street network; these tests measure their fixture's lines alone.
      await server.database.db.deleteFrom('roads').execute();
      admin = await sessionCookie(server.url, 'admin');
      editor1 = await sessionCookie(server.url, 'editor-001');
      editor2 = await sessionCookie(server.url, 'editor-002');
      planner = await sessionCookie(server.url, 'planner');
    });
    afterAll(async () => server?.close());

    it('refuses anonymous users, planners and the editor of another street, writing nothing', async () => {
      const before = await checksum();
      expect((await post(COMMUNITY, lShape)).status).toBe(401);
      expect((await post(COMMUNITY, lShape, planner)).status).toBe(403);
      expect((await post(COMMUNITY, lShape, editor2)).status).toBe(403);
      expect((await post('131002000000', lShape, editor1)).status).toBe(403); // a whole district: admins only
      expect(await checksum()).toBe(before);
    });

    it('imports lines (a MultiLineString becomes one road a part) and serves them back as GeoJSON', async () => {
      const res = await post(COMMUNITY, lShape, admin);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ region: COMMUNITY, removed: 0, stored: 3 });
      expect(res.body.lengthM).toBeCloseTo(240 + 50 + 50, 0);

      const bbox = `${A[0] - 0.001},${A[1] - 0.001},${B[0] + 0.001},${B[1] + 0.001}`;
      const { status, body } = await get(`bbox=${bbox}`);
      expect(status).toBe(200);
      expect(body.features).toHaveLength(1); // the footway lies outside this bbox
      const road = body.features[0]!;
      expect(road.properties).toMatchObject({ code: 'R1', name: '建设路', kind: 'road', region_code: COMMUNITY });
      expect(road.properties.lengthM).toBeCloseTo(240, 1);
      expect(road.geometry.coordinates).toEqual([A, C, B]);
      const all = await get(`region=${COMMUNITY}`);
      expect(all.body.features.map((f) => f.properties.kind).sort()).toEqual(['footway', 'footway', 'road']);
      expect(
        all.body.features.filter((f) => f.properties.kind === 'footway').every((f) => f.properties.name === null),
      ).toBe(true);
    });

    it('builds the walking graph from the stored roads: 240 m on foot around the L, not 170 m', async () => {
      const graph = await loadRoadGraph(server.database.db, [A[0], A[1], B[0], B[1]]);
      expect(graph).not.toBeNull();
      expect(graph!.lengthM).toBeCloseTo(240, 1); // the footway lies 1 km away, outside the bbox and its 400-m margin
      expect([...reachOverNetwork(graph!, [A], [B], 240)[0]!]).toEqual([0]);
      expect([...reachOverNetwork(graph!, [A], [B], 239)[0]!]).toEqual([]);
      // No roads loaded around a bbox 30 km away: null, the caller falls back to straight line.
      expect(await loadRoadGraph(server.database.db, [117, 39.7, 117.01, 39.71])).toBeNull();
    });

    it('the street editor replaces the roads of a community in its street; other regions keep theirs', async () => {
      expect(
        (await post(OTHER_COMMUNITY, { type: 'FeatureCollection', features: [lShape.features[0]] }, admin)).status,
      ).toBe(201);
      const res = await post(COMMUNITY, { type: 'FeatureCollection', features: [lShape.features[1]] }, editor1);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ removed: 3, stored: 2 });
      expect((await get(`region=${COMMUNITY}`)).body.features.map((f) => f.properties.kind)).toEqual([
        'footway',
        'footway',
      ]);
      expect((await get(`region=${OTHER_COMMUNITY}`)).body.features.map((f) => f.properties.code)).toEqual(['R1']);
    });

    it('rejects bad imports with a 400/404 naming the problem, and changes nothing', async () => {
      const before = await checksum();
      const line = (coordinates: unknown, properties: unknown = {}) => ({
        type: 'FeatureCollection',
        features: [lShape.features[0], { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } }],
      });
      const cases: [string, unknown, number, string][] = [
        [
          COMMUNITY,
          line([
            [200, 39.5],
            [116.7, 39.5],
          ]),
          400,
          'features.1.geometry.coordinates.0.0',
        ],
        [
          COMMUNITY,
          line([
            [116.7, 39.5],
            [116.7, 'x'],
          ]),
          400,
          'features.1.geometry.coordinates.1.1',
        ],
        [COMMUNITY, line([[116.7, 39.5]]), 400, 'features.1.geometry.coordinates'],
        [
          COMMUNITY,
          line([
            [116.7, 39.5],
            [116.7, 39.5],
          ]),
          400,
          'features.1.geometry',
        ],
        [
          COMMUNITY,
          line(
            [
              [116.7, 39.5],
              [116.71, 39.5],
            ],
            { kind: 'motorway' },
          ),
          400,
          'features.1.properties.kind',
        ],
        [
          COMMUNITY,
          {
            type: 'FeatureCollection',
            features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[A, B, C, A]] } }],
          },
          400,
          'features.0.geometry.type',
        ],
        [COMMUNITY, { type: 'Feature' }, 400, 'type'],
        [COMMUNITY, '{"type": "FeatureCollection", ', 400, 'body'],
        ['13100200100', lShape, 400, 'region'],
        ['131002009999', lShape, 404, ''],
      ];
      for (const [region, body, status, param] of cases) {
        const res = await post(region, body, admin);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body.error.message).toBeTruthy();
        if (param) expect(res.body.error.param, res.body.error.message).toBe(param);
      }
      expect(await checksum()).toBe(before);
    });

    it('node=true splits lines where they cross, so the walking graph joins them; without it they stay apart', async () => {
      //        N
      //        │ 100 m        W–E and S–N cross at M with no shared vertex
      //  W ────┼──── E
      //        │
      //        S
      const M: P = [116.72, 39.52];
      const W = round7([2 * M[0] - east(M, 100)[0], M[1]]);
      const E = round7(east(M, 100));
      const N = round7(north(M, 100));
      const S = round7([M[0], 2 * M[1] - north(M, 100)[1]]);
      const cross = {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: '东西路' }, geometry: { type: 'LineString', coordinates: [W, E] } },
          {
            type: 'Feature',
            properties: { name: '南北路', kind: 'path' },
            geometry: { type: 'LineString', coordinates: [S, N] },
          },
        ],
      };
      const bbox: [number, number, number, number] = [W[0], S[1], E[0], N[1]];
      expect((await post(OTHER_COMMUNITY, cross, admin)).body).toMatchObject({ stored: 2, noded: false });
      let graph = await loadRoadGraph(server.database.db, bbox);
      expect([...reachOverNetwork(graph!, [W], [N], 1_000)[0]!]).toEqual([]); // 141 m straight, no shared vertex
      const res = await post(OTHER_COMMUNITY, cross, admin, '&node=true');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ removed: 2, stored: 4, noded: true });
      expect(res.body.lengthM).toBeCloseTo(400, 0);
      const pieces = (await get(`region=${OTHER_COMMUNITY}`)).body.features;
      expect(pieces.map((f) => f.properties.name).sort()).toEqual(['东西路', '东西路', '南北路', '南北路']);
      expect(pieces.filter((f) => f.properties.name === '南北路').every((f) => f.properties.kind === 'path')).toBe(
        true,
      );
      graph = await loadRoadGraph(server.database.db, bbox);
      expect([...reachOverNetwork(graph!, [W], [N], 200.1)[0]!]).toEqual([0]); // 100 + 100 m through the new node
      expect([...reachOverNetwork(graph!, [W], [N], 199)[0]!]).toEqual([]);
      expect((await post(OTHER_COMMUNITY, cross, admin, '&node=maybe')).body.error.param).toBe('node');
    });

    it('GET names a bad or missing filter', async () => {
      expect((await get('bbox=1,2,3')).body.error.param).toBe('bbox');
      expect((await get('')).status).toBe(400);
      expect((await get('region=131002009999')).status).toBe(404);
      expect((await get(`region=${COMMUNITY}&limit=0`)).body.error.param).toBe('limit');
    });
  });
}
