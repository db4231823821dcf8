/**
 * Station reach over real HTTP on each driver, on a hand-made community whose answers are
 * known exactly. Metres are on a local plane east (x) and north (y) of C = (117.3, 39.5);
 * buildings around S1 are placed by geodesic distance (GeographicLib Direct).
 *
 *   y=500 +-----------------------------------------+-------+
 *         |            G1                 |    G2   | (gap) |
 *         |     S2 (0,100)                |         |       |
 *    S3 • | b6   b4        S1•  b2        |    b5   |  b7   |
 *  (-600) |(-450)(-300)   b1 (0,200)(239) |  (1000) | (1400)|
 *         |               b3 (0,-241)     |         |       |
 *  y=-500 +-------------------------------+---------+-------+
 *       x=-500                          x=500     x=1300   x=1500
 *
 * reach 240 m (2 min × 2 m/s): S1 reaches b1 (200 m) and b2 (239 m), not b3 (241 m) or b4
 * (300 m); S2 reaches b1 only (not redundant: S1 is a centre, not a post like S2); S3, 100 m
 * outside the community, reaches b6.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import geographiclib from 'geographiclib-geodesic';
import type { StationReachReport, StationSuggestResponse } from '../../common/contracts/station-reach.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { metresPerDegree } from '../../server/geo/geodesic.ts';

const C: [number, number] = [117.3, 39.5];
const scale = metresPerDegree(C[1]);
const at = (x: number, y: number): [number, number] => [C[0] + x / scale.lon, C[1] + y / scale.lat];
const towards = (azimuth: number, metres: number): [number, number] => {
  const p = geographiclib.Geodesic.WGS84.Direct(C[1], C[0], azimuth, metres);
  return [p.lon2!, p.lat2!];
};
const rect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'MultiPolygon',
  coordinates: [[[at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]]],
});

const DISTRICT = '139700000000';
const STREET = '139700001000';
const COMMUNITY = '139700001001';
const G1 = '139700001001001';
const G2 = '139700001001002';
const BUILDINGS: { code: string; households: number; point?: [number, number]; footprint?: unknown }[] = [
  { code: 'T-b1', households: 10, point: towards(0, 200) },
  { code: 'T-b2', households: 20, point: towards(90, 239) },
  { code: 'T-b3', households: 40, point: towards(180, 241) },
  { code: 'T-b4', households: 80, point: towards(270, 300) },
  { code: 'T-b5', households: 5, footprint: { type: 'Polygon', coordinates: rect(995, -5, 1005, 5).coordinates[0] } },
  { code: 'T-b6', households: 7, point: at(-450, 0) },
  { code: 'T-b7', households: 3, point: at(1400, 0) },
];
const STATIONS = [
  { code: 'T-S1', kind: 'party_service_center', point: C },
  { code: 'T-S2', kind: 'red_post', point: towards(0, 100) },
  { code: 'T-S3', kind: 'courier_post', point: at(-600, 0) },
];
const TOTAL = 165;

async function loadFixture(server: TestServer) {
  const db = server.database.db;
  const geom = (g: unknown) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326)`;
  const point = (p: [number, number]) => sql`ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326)`;
  await db.transaction().execute(async (trx) => {
    for (const [code, level, parent] of [
      [DISTRICT, 'district', null],
      [STREET, 'street', DISTRICT],
      [COMMUNITY, 'community', STREET],
    ] as const) {
      await sql`INSERT INTO regions (code, name, level, parent_code, geom) VALUES (${code}, ${`测试${level}`}, ${level}, ${parent}, ${geom(rect(-500, -500, 1500, 500))})`.execute(
        trx,
      );
    }
    for (const [code, x0, x1] of [
      [G1, -500, 500],
      [G2, 500, 1300],
    ] as const) {
      await sql`INSERT INTO grids (code, name, community_code, kind, households, geom) VALUES (${code}, ${code}, ${COMMUNITY}, 'residential', 400, ${geom(rect(x0, -500, x1, 500))})`.execute(
        trx,
      );
    }
    for (const b of BUILDINGS) {
      await sql`INSERT INTO buildings (code, name, community_code, households, geom)
                VALUES (${b.code}, ${b.code}, ${COMMUNITY}, ${b.households}, ${b.point ? point(b.point) : geom(b.footprint)})`.execute(
        trx,
      );
    }
    for (const s of STATIONS) {
      await sql`INSERT INTO stations (code, name, kind, region_code, geom) VALUES (${s.code}, ${s.code}, ${s.kind}, ${COMMUNITY}, ${point(s.point)})`.execute(
        trx,
      );
    }
  });
}

/**
 * A second community 0.2° east with one road along y=0 and a station N1 on it at (0,0);
 * walking reach 240 m, access legs to the road capped at 100 m (roads.queries/road-network):
 *   n1 (100,10) 1 hh: 100 along + 10 access = 110 m, reached
 *   n2 (225,10) 2 hh: 235 m, reached
 *   n3 (0,239)  4 hh: 239 m in a straight line but 239 m from the road: not reached
 *   n4 (150,150) 8 hh: 212 m straight, 150 m from the road: not reached
 *   n5 (50,60) 16 hh: 78 m straight, within the 100 m direct walk: reached
 */
const C2: [number, number] = [117.5, 39.5];
const at2 = (x: number, y: number): [number, number] => [C2[0] + x / scale.lon, C2[1] + y / scale.lat];
const NET_STREET = '139700002000';
const NET_COMMUNITY = '139700002001';

async function loadNetworkFixture(server: TestServer) {
  const db = server.database.db;
  const square = {
    type: 'MultiPolygon',
    coordinates: [[[at2(-500, -500), at2(500, -500), at2(500, 500), at2(-500, 500), at2(-500, -500)]]],
  };
  const geom = (g: unknown) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326)`;
  const point = (p: [number, number]) => sql`ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326)`;
  await db.transaction().execute(async (trx) => {
    for (const [code, level, parent] of [
      [NET_STREET, 'street', DISTRICT],
      [NET_COMMUNITY, 'community', NET_STREET],
    ] as const) {
      await sql`INSERT INTO regions (code, name, level, parent_code, geom) VALUES (${code}, ${`路网${level}`}, ${level}, ${parent}, ${geom(square)})`.execute(
        trx,
      );
    }
    await sql`INSERT INTO grids (code, name, community_code, kind, households, geom) VALUES (${NET_COMMUNITY + '001'}, 'N', ${NET_COMMUNITY}, 'residential', 400, ${geom(square)})`.execute(
      trx,
    );
    const buildings: [string, number, [number, number]][] = [
      ['T-n1', 1, at2(100, 10)],
      ['T-n2', 2, at2(225, 10)],
      ['T-n3', 4, at2(0, 239)],
      ['T-n4', 8, at2(150, 150)],
      ['T-n5', 16, at2(50, 60)],
    ];
    for (const [code, households, p] of buildings) {
      await sql`INSERT INTO buildings (code, name, community_code, households, geom) VALUES (${code}, ${code}, ${NET_COMMUNITY}, ${households}, ${point(p)})`.execute(
        trx,
      );
    }
    await sql`INSERT INTO stations (code, name, kind, region_code, geom) VALUES ('T-N1', 'T-N1', 'party_service_center', ${NET_COMMUNITY}, ${point(at2(0, 0))})`.execute(
      trx,
    );
    await sql`INSERT INTO roads (region_code, geom) VALUES (${NET_STREET}, ${geom({ type: 'LineString', coordinates: [at2(-500, 0), at2(500, 0)] })})`.execute(
      trx,
    );
  });
}

for (const driver of DRIVERS) {
  describe(`station reach API [${driver}]`, () => {
    let server: TestServer;
    let cookie: string;
    const get = async <T>(query: string, headers: Record<string, string> = { cookie }) => {
      const res = await httpClient(server.url).get<T & { error?: { param?: string; code: string } }>(
        `/api/coverage/stations?${query}`,
        { headers },
      );
      return { status: res.status, body: res.body };
    };
    const suggest = async (body: unknown, headers: Record<string, string> = { cookie }) => {
      const res = await httpClient(server.url).post<
        StationSuggestResponse & { error?: { param?: string; code: string } }
      >('/api/coverage/stations/suggest', { headers, body });
      return { status: res.status, body: res.body };
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      await loadFixture(server);
      await loadNetworkFixture(server);
      cookie = await sessionCookie(server.url, 'planner');
    });
    afterAll(async () => server?.close());

    it('240 m reach: households reached per grid and community, stations, redundant, straight-line method', async () => {
      const { status, body } = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        region: { code: COMMUNITY, level: 'community' },
        minutes: 2,
        speed: 2,
        reachM: 240,
        method: 'straight_line',
        households: TOTAL,
        householdsReached: 37,
      });
      expect(body.share).toBeCloseTo(37 / TOTAL, 12);
      expect(body.communities).toEqual([
        { code: COMMUNITY, name: '测试community', households: TOTAL, householdsReached: 37, share: 37 / TOTAL },
      ]);
      // b7 lies in no grid: it counts for the community only.
      expect(body.grids.map((g) => [g.code, g.households, g.householdsReached])).toEqual([
        [G1, 157, 37],
        [G2, 5, 0],
      ]);
      // Redundancy is judged within comparable kinds (STATION_TIERS): the centre S1 and the red
      // post S2 both reach b1, but neither stands in for the other, so neither is redundant.
      expect(body.stations.map((s) => [s.code, s.households, s.householdsOnlyHere])).toEqual([
        ['T-S1', 30, 30],
        ['T-S2', 10, 10],
        ['T-S3', 7, 7],
      ]);
      expect(body.redundant).toEqual([]);
    });

    it('the unreached area holds exactly the households outside every reach (b3, b4, b5, b7)', async () => {
      const { body } = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2`);
      const features = body.unreached.features;
      expect(features).toHaveLength(1);
      expect(features[0]!.properties).toMatchObject({ community_code: COMMUNITY, households: 128, buildings: 4 });
      // 2 km² minus S1 ∪ S2 (two 240 m circles 100 m apart: 228,609 m²) and S3's segment inside (43,905 m²).
      expect(Math.abs(features[0]!.properties.areaM2 - 1_727_486) / 1_727_486).toBeLessThan(0.003);
      const skipped = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2&areas=0`);
      expect(skipped.body.unreached.features).toEqual([]);
      expect(skipped.body.householdsReached).toBe(37);
    });

    it('kinds filter: only the chosen kinds count; the street gives the same figures', async () => {
      const centre = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2&kinds=party_service_center`);
      expect(centre.body.kinds).toEqual(['party_service_center']);
      expect(centre.body.stations.map((s) => [s.code, s.households, s.householdsOnlyHere])).toEqual([['T-S1', 30, 30]]);
      expect(centre.body.redundant).toEqual([]);
      expect(centre.body.householdsReached).toBe(30);
      const two = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2&kinds=red_post,courier_post`);
      expect(two.body.stations.map((s) => [s.code, s.householdsOnlyHere])).toEqual([
        ['T-S2', 10],
        ['T-S3', 7],
      ]);
      expect(two.body.householdsReached).toBe(17);
      // No station of the kind: the whole community is unreached, every household in it.
      const none = await get<StationReachReport>(`region=${COMMUNITY}&minutes=2&speed=2&kinds=helper_post`);
      expect([none.body.stations, none.body.householdsReached, none.body.share]).toEqual([[], 0, 0]);
      expect(none.body.unreached.features.map((f) => [f.properties.households, f.properties.buildings])).toEqual([
        [TOTAL, 7],
      ]);
      expect(Math.abs(none.body.unreached.features[0]!.properties.areaM2 - 2e6) / 2e6).toBeLessThan(0.002);
      const street = await get<StationReachReport>(`region=${STREET}&minutes=2&speed=2`);
      expect(street.body.region.level).toBe('street');
      expect([street.body.households, street.body.householdsReached]).toEqual([TOTAL, 37]);
      expect(street.body.unreached.features.map((f) => f.properties.households)).toEqual([128]);
      // The district (its outline is the first community's) skips the overlay unless asked.
      const district = await get<StationReachReport>(`region=${DISTRICT}&minutes=2&speed=2`);
      expect(district.body.unreached.features).toEqual([]);
      const withAreas = await get<StationReachReport>(`region=${DISTRICT}&minutes=2&speed=2&areas=1`);
      expect(withAreas.body.unreached.features.map((f) => f.properties.community_code)).toEqual([
        COMMUNITY,
        NET_COMMUNITY,
      ]);
      // Named for people to read, not only coded.
      expect(withAreas.body.unreached.features.map((f) => f.properties.community_name)).toEqual([
        '测试community',
        '路网community',
      ]);
    });

    it('with a road layer loaded, reach is walking distance over it (method network)', async () => {
      const { status, body } = await get<StationReachReport>(`region=${NET_COMMUNITY}&minutes=2&speed=2`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ method: 'network', reachM: 240, households: 31, householdsReached: 19 });
      expect(body.stations.map((s) => [s.code, s.households])).toEqual([['T-N1', 19]]);
      // The reached area hugs the road: n3 and n4 lie outside it.
      expect(body.unreached.features.map((f) => [f.properties.households, f.properties.buildings])).toEqual([[12, 2]]);
      const suggested = await suggest({ region: NET_COMMUNITY, minutes: 2, speed: 2, k: 1 });
      expect(suggested.body).toMatchObject({ method: 'network', before: { householdsReached: 19 } });
      expect(suggested.body.suggestions.map((s) => s.gain)).toEqual([8]); // from n4 (off the road, 8 hh) only itself
    });

    it('defaults: 3 minutes at 1.2 m/s is 216 m, every kind', async () => {
      const { body } = await get<StationReachReport>(`region=${COMMUNITY}`);
      expect(body).toMatchObject({ minutes: 3, speed: 1.2, reachM: 216, householdsReached: 17 }); // b1 (S1 and S2) and b6 (S3)
      expect(body.kinds).toHaveLength(8);
    });

    it('bad input is a 400 naming the parameter, an unknown region 404, anonymous 401', async () => {
      for (const [query, param] of [
        ['', 'region'],
        ['region=12', 'region'],
        [`region=${COMMUNITY}&minutes=0`, 'minutes'],
        [`region=${COMMUNITY}&minutes=61`, 'minutes'],
        [`region=${COMMUNITY}&minutes=abc`, 'minutes'],
        [`region=${COMMUNITY}&speed=0`, 'speed'],
        [`region=${COMMUNITY}&speed=10.5`, 'speed'],
        [`region=${COMMUNITY}&kinds=bogus`, 'kinds'],
        [`region=${COMMUNITY}&kinds=red_post,`, 'kinds'],
        [`region=${COMMUNITY}&areas=yes`, 'areas'],
      ] as const) {
        const { status, body } = await get(query);
        expect(status, query).toBe(400);
        expect(body.error?.param, query).toBe(param);
      }
      expect((await get('region=999999999999')).status).toBe(404);
      expect((await get(`region=${COMMUNITY}`, {})).status).toBe(401);
    });

    it('suggest: the greedy picks b4 (80 households, tied with b6 and first by code), then b3 (40)', async () => {
      const { status, body } = await suggest({ region: COMMUNITY, minutes: 2, speed: 2, k: 2 });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        method: 'straight_line',
        reachM: 240,
        candidates: 7,
        before: { householdsReached: 37, share: 37 / TOTAL },
      });
      expect(body.suggestions.map((s) => [s.rank, s.gain, s.grid_code])).toEqual([
        [1, 80, G1],
        [2, 40, G1],
      ]);
      // The grid's name comes with its code (the fixture names each grid by its code).
      expect(body.suggestions.map((s) => s.grid_name)).toEqual([G1, G1]);
      expect([body.suggestions[0]!.lon, body.suggestions[0]!.lat]).toEqual(BUILDINGS[3]!.point);
      expect([body.suggestions[1]!.lon, body.suggestions[1]!.lat]).toEqual(BUILDINGS[2]!.point);
      expect(body.suggestions.map((s) => s.shareAfter)).toEqual([117 / TOTAL, 157 / TOTAL]);
      // Past the last household anyone can add, it stops: b5 (5) and b7 (3) are the rest.
      const all = await suggest({ region: COMMUNITY, minutes: 2, speed: 2, k: 50 });
      expect(all.body.suggestions.map((s) => s.gain)).toEqual([80, 40, 5, 3]);
      expect(all.body.suggestions.at(-1)!.shareAfter).toBe(1);
    });

    it('suggest on a lattice: one point reaches b3 and b4 together; b5 and b7 need one each', async () => {
      const { status, body } = await suggest({
        region: COMMUNITY,
        minutes: 2,
        speed: 2,
        k: 10,
        candidates: 'lattice',
        spacingM: 100,
      });
      expect(status).toBe(200);
      expect(body.candidates).toBe(20 * 10); // cell centres of 2,000 × 1,000 m at 100 m
      // b3 (0,-241) and b4 (-300,0) are 385 m apart: the first point within 240 m of both, row by
      // row from the south-west, is (-150,-150). b5 and b7 are 400 m apart on y=0, and the
      // lattice rows (y=±50) have no point within 240 m of both.
      expect(body.suggestions.map((s) => s.gain)).toEqual([120, 5, 3]);
      const first = body.suggestions[0]!;
      const [x, y] = [(first.lon - C[0]) * scale.lon, (first.lat - C[1]) * scale.lat];
      expect([Math.round(x), Math.round(y)]).toEqual([-150, -150]);
    });

    it('suggest: bad bodies are 400 naming the field, anonymous 401', async () => {
      const base = { region: COMMUNITY, k: 3 };
      for (const [body, param] of [
        [{ ...base, k: 0 }, 'k'],
        [{ ...base, k: 51 }, 'k'],
        [{ ...base, k: 1.5 }, 'k'],
        [{ region: COMMUNITY }, 'k'],
        [{ ...base, candidates: 'roads' }, 'candidates'],
        [{ ...base, candidates: 'lattice', spacingM: 10 }, 'spacingM'],
        [{ ...base, minutes: 0 }, 'minutes'],
        [{ ...base, kinds: ['bogus'] }, 'kinds.0'],
        [{ ...base, colour: 'red' }, 'body'],
        [{ ...base, region: 'x' }, 'region'],
      ] as const) {
        const res = await suggest(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        if (param !== 'body') expect(res.body.error?.param, JSON.stringify(body)).toBe(param);
      }
      expect((await suggest({ ...base, region: '999999999999' })).status).toBe(404);
      expect((await suggest(base, {})).status).toBe(401);
    });
  });
}
