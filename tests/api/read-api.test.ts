/** The read API over real HTTP, on each driver, against the demo district. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridCollection, GridDetailFeature } from '../../common/contracts/grids.ts';
import type { Health } from '../../common/contracts/meta.ts';
import type { PartyOrgList } from '../../common/contracts/party.ts';
import type { RegionFeature, RegionList } from '../../common/contracts/regions.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { householdBand } from '../../common/rules/household-band.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';

const DISTRICT = '131002000000';

for (const driver of DRIVERS) {
  describe(`read API [${driver}]`, () => {
    let server: TestServer;
    /** A planner's session cookie: household figures are for signed-in users only. */
    let planner: string;
    const get = async <T>(path: string, cookie?: string) => {
      const res = await httpClient(server.url).get<T>(path, { cookie });
      return { status: res.status, body: res.body as T, type: res.headers.get('content-type') };
    };
    const expectError = async (path: string, status: number, param?: string) => {
      const { status: got, body } = await get<{ error: { code: string; message: string; param?: string } }>(path);
      expect(got, path).toBe(status);
      expect(body.error.message).toBeTruthy();
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
      if (param) expect(body.error.param).toBe(param);
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      planner = await sessionCookie(server.url, 'planner');
    });
    afterAll(async () => server?.close());

    it('GET /api/health names the driver and the PostGIS version', async () => {
      const { status, body } = await get<Health>('/api/health');
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', db: driver, demo: true });
      expect(body.postgis).toMatch(driver === 'embedded' ? /^3\.6/ : /^3\.\d/);
    });

    it('walks the region tree district → streets → 53 communities', async () => {
      const top = await get<RegionList>('/api/regions');
      expect(top.body.regions).toEqual([
        expect.objectContaining({ code: DISTRICT, name: '安次区', level: 'district' }),
      ]);
      const streets = (await get<RegionList>(`/api/regions?parent=${DISTRICT}`)).body.regions;
      expect(streets.length).toBe(top.body.regions[0]!.child_count);
      expect(streets.every((s) => s.level === 'street' && s.parent_code === DISTRICT)).toBe(true);
      let communities = 0;
      for (const street of streets) {
        const children = (await get<RegionList>(`/api/regions?parent=${street.code}`)).body.regions;
        expect(children.length).toBe(street.child_count);
        expect(children.every((c) => c.level === 'community' && c.code.startsWith(street.code.slice(0, 9)))).toBe(true);
        communities += children.length;
      }
      expect(communities).toBe(53);
    });

    it('GET /api/regions/:code returns the geometry and counts that add up', async () => {
      const district = (await get<RegionFeature>(`/api/regions/${DISTRICT}`, planner)).body;
      expect(district.geometry.type).toBe('MultiPolygon');
      expect(district.properties.grid_count).toBe(319);
      const [minLon, minLat, maxLon, maxLat] = district.properties.bbox;
      expect(minLon).toBeLessThan(116.69);
      expect(maxLon).toBeGreaterThan(116.69);
      expect(minLat).toBeLessThan(39.5);
      expect(maxLat).toBeGreaterThan(39.5);
      const grids = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`, planner)).body;
      const households = grids.features.reduce((sum, f) => sum + f.properties.households!, 0);
      expect(district.properties.households).toBe(households);
    });

    it('GET /api/grids?region lists all 319 grids with consistent properties', async () => {
      const { status, body, type } = await get<GridCollection>(`/api/grids?region=${DISTRICT}`, planner);
      expect(status).toBe(200);
      expect(type).toMatch(/application\/json/);
      expect(body.type).toBe('FeatureCollection');
      expect(body.features).toHaveLength(319);
      for (const { geometry, properties: p } of body.features) {
        expect(geometry.type).toBe('MultiPolygon');
        expect(p.code).toMatch(/^\d{15}$/);
        expect(p.code.startsWith(p.community_code)).toBe(true);
        expect(p.band).toBe(householdBand(p.kind, p.households!));
        expect(p.version).toBeGreaterThanOrEqual(1);
      }
      const bands = new Set(body.features.map((f) => f.properties.band));
      expect([...bands].sort()).toEqual(['commercial', 'high', 'low', 'ok']);
      const uncovered = body.features.filter((f) => f.properties.party_orgs.length === 0);
      expect(uncovered.length).toBeGreaterThan(0);
      expect(uncovered.length).toBeLessThan(10);
    });

    it('GET /api/grids?bbox returns exactly the grids touching the box', async () => {
      const all = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body.features;
      const box = [116.68, 39.49, 116.7, 39.51] as const;
      const inBox = (await get<GridCollection>(`/api/grids?bbox=${box.join(',')}`)).body.features;
      const touches = (coords: number[][][][]) => {
        const pts = coords.flat(2) as unknown as number[][];
        const xs = pts.map((p) => p[0]!);
        const ys = pts.map((p) => p[1]!);
        return (
          Math.min(...xs) <= box[2] &&
          Math.max(...xs) >= box[0] &&
          Math.min(...ys) <= box[3] &&
          Math.max(...ys) >= box[1]
        );
      };
      expect(inBox.length).toBeGreaterThan(0);
      expect(inBox.length).toBeLessThan(all.length);
      // A grid's bbox touching the box is necessary; every returned grid passes it.
      expect(inBox.every((f) => touches(f.geometry.coordinates))).toBe(true);
      const both = (await get<GridCollection>(`/api/grids?region=${DISTRICT}&bbox=${box.join(',')}`)).body.features;
      expect(both.map((f) => f.properties.code)).toEqual(inBox.map((f) => f.properties.code));
    });

    it('GET /api/grids/:code gives anonymous readers what a grid board shows: grid workers, published phones only, no secretary', async () => {
      const first = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body.features.find(
        (f) => f.properties.party_orgs.length > 0,
      )!;
      const { status, body } = await get<GridDetailFeature>(`/api/grids/${first.properties.code}`);
      expect(status).toBe(200);
      const p = body.properties;
      expect(p.code).toBe(first.properties.code);
      expect(p.community_name).toMatch(/社区$/);
      expect(p.area_m2).toBeGreaterThan(1000);
      expect(p.party.map((o) => o.code)).toEqual(first.properties.party_orgs);
      expect(p.workers.some((w) => w.role === 'full_time')).toBe(true);
      expect(p.workers.every((w) => w.role === 'full_time' || w.role === 'part_time')).toBe(true);
      expect(p.party.every((o) => o.secretary_name === null)).toBe(true);
      // Only numbers the street office published are shown, in full; no others, not even masked.
      const stored = await server.database.db
        .selectFrom('grid_workers')
        .select(['phone', 'phone_public'])
        .where('grid_code', '=', p.code)
        .execute();
      const published = new Set(stored.filter((w) => w.phone_public).map((w) => w.phone));
      for (const w of p.workers) {
        if (w.phone !== null) expect(published.has(w.phone)).toBe(true);
      }
      const hidden = stored.filter((w) => !w.phone_public).map((w) => w.phone);
      for (const phone of hidden) expect(JSON.stringify(body)).not.toContain(phone);
    });

    it('anonymous readers get no household figures; a signed-in planner gets them all', async () => {
      const grids = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body.features;
      expect(grids).toHaveLength(319);
      for (const { properties: p } of grids) expect([p.households, p.population, p.band]).toEqual([null, null, null]);
      const box = [116.68, 39.49, 116.7, 39.51].join(',');
      const inBox = (await get<GridCollection>(`/api/grids?bbox=${box}`)).body.features;
      expect(inBox.length).toBeGreaterThan(0);
      expect(
        inBox.every(
          (f) => f.properties.households === null && f.properties.population === null && f.properties.band === null,
        ),
      ).toBe(true);
      const code = grids[0]!.properties.code;
      const detail = await get<GridDetailFeature>(`/api/grids/${code}`);
      expect(detail.status).toBe(200);
      expect(detail.body.properties).toMatchObject({ code, households: null, population: null, band: null });
      expect(detail.body.properties.building_count).toBeGreaterThanOrEqual(0);
      const region = await get<RegionFeature>(`/api/regions/${DISTRICT}`);
      expect(region.status).toBe(200);
      expect(region.body.properties.households).toBeNull();
      expect(region.body.properties.grid_count).toBe(319);

      // The same requests with a planner's session: numbers, as before.
      const signedIn = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`, planner)).body.features;
      for (const { properties: p } of signedIn) {
        expect(typeof p.households).toBe('number');
        expect(typeof p.population).toBe('number');
        expect(p.band).toBe(householdBand(p.kind, p.households!));
      }
      const signedInBox = (await get<GridCollection>(`/api/grids?bbox=${box}`, planner)).body.features;
      expect(signedInBox.every((f) => typeof f.properties.households === 'number' && f.properties.band !== null)).toBe(
        true,
      );
      const signedInDetail = (await get<GridDetailFeature>(`/api/grids/${code}`, planner)).body.properties;
      expect(signedInDetail.households).toBe(signedIn[0]!.properties.households);
      expect(typeof signedInDetail.population).toBe('number');
      expect(signedInDetail.band).toBe(signedIn[0]!.properties.band);
      // Only what a grid board does not show differs (common/rules/public-fields.ts): household
      // figures, secretaries, building and unit heads, unpublished phones (masked for staff).
      expect({
        ...signedInDetail,
        households: null,
        population: null,
        band: null,
        party: signedInDetail.party.map((o) => ({ ...o, secretary_name: null })),
        workers: signedInDetail.workers
          .filter((w) => w.role === 'full_time' || w.role === 'part_time')
          .map((w) => ({ ...w, phone: w.phone?.includes('*') ? null : w.phone })),
      }).toEqual(detail.body.properties);
      expect(signedInDetail.party.some((o) => o.secretary_name)).toBe(true);
      const signedInRegion = (await get<RegionFeature>(`/api/regions/${DISTRICT}`, planner)).body.properties;
      expect(signedInRegion.households).toBe(signedIn.reduce((sum, f) => sum + f.properties.households!, 0));
      expect(signedInRegion.households).toBeGreaterThan(0);
    });

    it('GET /api/stations filters by region and kind; all eight kinds exist', async () => {
      const all = (await get<StationCollection>(`/api/stations?region=${DISTRICT}`)).body.features;
      expect(all.length).toBeGreaterThanOrEqual(300);
      expect(new Set(all.map((s) => s.properties.kind))).toEqual(new Set(STATION_KINDS));
      const red = (await get<StationCollection>(`/api/stations?region=${DISTRICT}&kind=red_post`)).body.features;
      expect(red.length).toBe(all.filter((s) => s.properties.kind === 'red_post').length);
      const two = (await get<StationCollection>(`/api/stations?kind=red_post,courier_post`)).body.features;
      expect(two.length).toBe(all.filter((s) => ['red_post', 'courier_post'].includes(s.properties.kind)).length);
    });

    it('GET /api/party-orgs lists 24 branches and 295 groups with their grids', async () => {
      const orgs = (await get<PartyOrgList>(`/api/party-orgs?region=${DISTRICT}`)).body.party_orgs;
      expect(orgs.filter((o) => o.kind === 'branch')).toHaveLength(24);
      expect(orgs.filter((o) => o.kind === 'group')).toHaveLength(295);
      expect(orgs.filter((o) => o.kind === 'committee')).toHaveLength(53);
      const grids = (await get<GridCollection>(`/api/grids?region=${DISTRICT}`)).body.features;
      const covered = new Set(orgs.flatMap((o) => o.grids));
      const uncovered = grids.filter((g) => g.properties.party_orgs.length === 0).map((g) => g.properties.code);
      expect(uncovered.every((code) => !covered.has(code))).toBe(true);
      expect(covered.size + uncovered.length).toBe(319);
    });

    it('rejects bad parameters with a 400 that names them, unknown ids with 404', async () => {
      await expectError('/api/grids?bbox=1,2,3', 400, 'bbox');
      await expectError('/api/grids?bbox=116.8,39.4,116.6,39.6', 400, 'bbox');
      await expectError('/api/grids?bbox=0,0,500,1', 400, 'bbox');
      await expectError('/api/grids?bbox=a,b,c,d', 400, 'bbox');
      await expectError('/api/grids', 400, 'region');
      await expectError('/api/grids?region=131002999999', 400, 'region');
      await expectError('/api/grids?region=abc', 400, 'region');
      await expectError('/api/regions?parent=12', 400, 'parent');
      await expectError('/api/stations?kind=bakery', 400, 'kind');
      await expectError('/api/party-orgs?region=999999999999', 400, 'region');
      await expectError('/api/regions/xyz', 400, 'code');
      await expectError('/api/grids/12345', 400, 'code');
      await expectError('/api/regions/131002999999', 404);
      await expectError('/api/grids/131002999999999', 404);
      await expectError('/api/no-such-thing', 404);
    });
  });
}
