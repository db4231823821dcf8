/**
 * Search over real HTTP on each driver, against the demo district: the residents' search
 * (GET /api/public/search: public fields only) and the staff's (GET /api/search: signed in, with
 * households), with the index built in the background and built on demand (WANGGE_PUBLIC_INDEX=0);
 * the finder's community and grid cards. Names and places are looked up, never hard-coded
 * coordinates (the demo's geometry is regenerated from time to time).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type {
  PublicCommunityCard,
  PublicGridCard,
  PublicSearchHit,
  PublicSearchResponse,
} from '../../common/contracts/public.ts';
import type { SearchResponse } from '../../common/contracts/search.ts';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { publicIndexesFor } from '../../server/public/public-index.ts';
import { parseRoadImport } from '../../server/roads/roads-import.ts';
import { replaceRoads } from '../../server/roads/roads.queries.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { expectNoPrivateData } from '../helpers/public-privacy.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const ROADS_FILE = new URL('../../data/demo/roads.geojson', import.meta.url);

for (const driver of DRIVERS) {
  describe(`search [${driver}]`, () => {
    let server: TestServer;
    /** The same app over the same database with the background index off: search builds on demand. */
    let onDemand: { url: string; close(): Promise<void> };
    let planner = '';
    const publicBodies: unknown[] = [];
    const published = new Set<string>();
    const db = () => server.database.db;
    const http = httpClient(() => server.url);

    const publicSearch = async (q: string, base = server.url, limit = 10) => {
      const res = await httpClient(base).get<PublicSearchResponse>(
        `/api/public/search?q=${encodeURIComponent(q)}&limit=${limit}`,
      );
      expect(res.status, `public search ${q}`).toBe(200);
      publicBodies.push(res.body);
      return res.body.hits;
    };
    const staffSearch = async (q: string) => {
      const res = await http.get<SearchResponse>(`/api/search?q=${encodeURIComponent(q)}`, { cookie: planner });
      expect(res.status, `search ${q}`).toBe(200);
      return res.body.hits;
    };
    /** Wait until the background index answers `check` (it rebuilds within ~2 s of a change). */
    const eventually = async (check: () => Promise<boolean>, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > until) throw new Error('the search index did not pick up the change in time');
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const communityNamed = async (name: string) =>
      db()
        .selectFrom('regions')
        .select(['code', 'name'])
        .where('level', '=', 'community')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const app = createApp({
        db: db(),
        driver,
        config: { ...readConfig({}), port: 0, publicIndex: false, publicRateLimit: 0 },
      });
      const listening = await new Promise<import('node:http').Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      onDemand = {
        url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((resolve) => {
            listening.closeAllConnections();
            listening.close(() => resolve());
          }),
      };
      await publicIndexesFor(db()).refresh();
      planner = await http.login('planner');
      for (const r of await db().selectFrom('grid_workers').select('phone').where('phone_public', '=', true).execute())
        published.add(r.phone);
    }, 240_000);
    afterAll(async () => {
      if (server) publicIndexesFor(server.database.db).stop();
      await onDemand?.close();
      await server?.close();
    });

    it("full pinyin: 'yucai' finds 育才社区 first, on both index paths and for staff", async () => {
      const yucai = await communityNamed('育才社区');
      for (const base of [server.url, onDemand.url]) {
        const hits = await publicSearch('yucai', base);
        expect(hits[0], base).toMatchObject({ type: 'community', code: yucai.code, name: '育才社区', match: 'prefix' });
        expect(hits[0]!.bbox).toHaveLength(4);
        const [w, s, e, n] = hits[0]!.bbox!;
        expect(w <= hits[0]!.lon && hits[0]!.lon <= e && s <= hits[0]!.lat && hits[0]!.lat <= n).toBe(true);
      }
      // Typed with a space, upper case: the same answer.
      expect((await publicSearch('Yu Cai'))[0]!.code).toBe(yucai.code);
      const staff = await staffSearch('yucai');
      const households = await db()
        .selectFrom('grids')
        .select(sql<number>`sum(households)::int`.as('n'))
        .where('community_code', '=', yucai.code)
        .executeTakeFirstOrThrow();
      expect(staff[0]).toMatchObject({ type: 'community', code: yucai.code, households: households.n });
      // The community's grids follow, named with their community.
      const grid = staff.find((h) => h.type === 'grid')!;
      expect(grid.name.startsWith('育才社区')).toBe(true);
      const row = await db()
        .selectFrom('grids')
        .select(['households'])
        .where('code', '=', grid.code)
        .executeTakeFirstOrThrow();
      expect(grid.households).toBe(row.households);
    });

    it("initials: 'ljsq' finds 丽景社区 first; Chinese finds it exactly", async () => {
      const lijing = await communityNamed('丽景社区');
      expect((await publicSearch('ljsq'))[0]).toMatchObject({
        type: 'community',
        code: lijing.code,
        match: 'initials',
      });
      expect((await publicSearch('lijing'))[0]).toMatchObject({ code: lijing.code, match: 'prefix' });
      expect((await publicSearch('丽景社区'))[0]).toMatchObject({ code: lijing.code, match: 'exact' });
    });

    it('an address (门牌): a station address and a building name find their place', async () => {
      const station = await db()
        .selectFrom('stations')
        .select(['code', 'name', 'address', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
        .where('address', '<>', '')
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const hits = await publicSearch(station.address, server.url, 50);
      const hit = hits.find((h) => h.type === 'address' && h.code === station.code);
      expect(hit, `${station.address} among ${hits.map((h) => h.name).join(', ')}`).toMatchObject({
        name: station.address,
        context: station.name,
        lon: station.lon,
        lat: station.lat,
        bbox: null,
      });
      expect(hits[0]!.name).toBe(station.address); // an exact address is never behind a partial one
      const building = await db()
        .selectFrom('buildings')
        .select(['code', 'name'])
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const byBuilding = await publicSearch(building.name, server.url, 50);
      expect(byBuilding.find((h) => h.code === building.code)).toMatchObject({ type: 'address', match: 'exact' });
    });

    it('roads by name (one hit per road, framed by its extent), picked up when the layer is loaded', async () => {
      if (
        (
          await db()
            .selectFrom('roads')
            .select(sql<number>`count(*)::int`.as('n'))
            .executeTakeFirstOrThrow()
        ).n === 0
      ) {
        const district = await db()
          .selectFrom('regions')
          .select('code')
          .where('level', '=', 'district')
          .executeTakeFirstOrThrow();
        const roads = parseRoadImport(JSON.parse(readFileSync(ROADS_FILE, 'utf8')));
        await replaceRoads(db(), district.code, roads);
      }
      const road = await db()
        .selectFrom('roads')
        .select(['name', sql<number>`count(*)::int`.as('segments')])
        .where('name', 'is not', null)
        .groupBy('name')
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('name')
        .executeTakeFirstOrThrow();
      let hits: PublicSearchHit[] = [];
      await eventually(async () => {
        hits = (await publicSearch(road.name!, server.url, 50)).filter((h) => h.type === 'road');
        return hits.length > 0;
      });
      expect(hits.filter((h) => h.name === road.name)).toHaveLength(1);
      const [w, s, e, n] = hits[0]!.bbox!;
      expect(e - w + (n - s)).toBeGreaterThan(0);
      expect(hits[0]!.context).not.toBe('');
      // The on-demand index sees the new layer too (its version moved with the roads epoch).
      expect((await publicSearch(road.name!, onDemand.url, 50)).some((h) => h.type === 'road')).toBe(true);
    });

    it('bad q is a 400 naming q (empty, blank, too long, given twice); bad limit names limit; staff search needs a session', async () => {
      for (const route of ['/api/public/search', '/api/search']) {
        const cookie = route === '/api/search' ? planner : undefined;
        for (const query of ['', '?q=', '?q=%20%20', `?q=${'a'.repeat(51)}`, '?q=a&q=b']) {
          const res = await http.get<{ error: { param: string; message: string } }>(`${route}${query}`, { cookie });
          expect(res.status, `${route}${query}`).toBe(400);
          expect(res.body.error.param, `${route}${query}`).toBe('q');
        }
        for (const limit of ['0', '51', 'x']) {
          const res = await http.get<{ error: { param: string } }>(`${route}?q=yucai&limit=${limit}`, { cookie });
          expect([res.status, res.body.error.param], `${route} limit=${limit}`).toEqual([400, 'limit']);
        }
      }
      expect((await http.get('/api/search?q=yucai')).status).toBe(401);
    });

    it('a community card lists its grids (names only); a grid card says when there is no party organisation', async () => {
      const yucai = await communityNamed('育才社区');
      const card = await http.get<PublicCommunityCard>(`/api/public/communities/${yucai.code}`);
      expect(card.status).toBe(200);
      publicBodies.push(card.body);
      const grids = await db()
        .selectFrom('grids')
        .select(['code', 'name'])
        .where('community_code', '=', yucai.code)
        .orderBy('code')
        .execute();
      expect(card.body).toMatchObject({ code: yucai.code, name: '育才社区', grids });
      expect(card.body.geometry.type).toBe('MultiPolygon');
      expect((await http.get('/api/public/communities/131002999999')).status).toBe(404);
      expect((await http.get<{ error: { param: string } }>('/api/public/communities/abc')).body.error.param).toBe(
        'code',
      );

      const { rows } = await sql<{ code: string; org: string | null }>`
        SELECT g.code, (SELECT o.name FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
          WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group') ORDER BY o.code LIMIT 1) AS org
        FROM grids g ORDER BY (SELECT count(*) FROM org_grids og WHERE og.grid_code = g.code), g.code`.execute(db());
      const bare = rows.find((r) => r.org === null)!;
      const built = rows.find((r) => r.org !== null)!;
      expect(bare, 'the demo has grids without a party organisation').toBeDefined();
      for (const [grid, org] of [
        [bare.code, null],
        [built.code, built.org],
      ] as const) {
        const res = await http.get<PublicGridCard>(`/api/public/grids/${grid}/card`);
        expect(res.status).toBe(200);
        publicBodies.push(res.body);
        expect(res.body.grid.code).toBe(grid);
        expect(res.body.partyOrg).toEqual(org === null ? null : { name: org });
        expect(res.body.stations.length).toBeGreaterThan(0);
        // Its point lies inside the grid: locating it answers the same grid.
        const located = await http.get<{ grid: { code: string } | null }>(
          `/api/public/locate?lon=${res.body.point.lon}&lat=${res.body.point.lat}`,
        );
        expect(located.body.grid?.code).toBe(grid);
      }
      expect((await http.get('/api/public/grids/131002999999999/card')).status).toBe(404);
    });

    it('public answers carry no households and no personal data', async () => {
      expect(publicBodies.length).toBeGreaterThan(5);
      for (const body of publicBodies) expectNoPrivateData(body, published);
    });
  });
}
