/**
 * The residents' finder API over real HTTP on each driver, against the demo district.
 * Three apps share one database per driver: the app as configured (in-process index), the
 * same routes with the index switched off (PostGIS per request) and a fixed clock, and an
 * app with a rate limit of 3 a minute. Both answer paths must give the same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import type { AddressInfo } from 'node:net';
import gcoord from 'gcoord';
import { sql } from 'kysely';
import type {
  PublicGridOutline,
  PublicLocateResponse,
  PublicNearestResponse,
  PublicSearchResponse,
  PublicStationDetail,
} from '../../common/contracts/public.ts';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import type { AppContext } from '../../server/context.ts';
import { errorHandler, notFoundRoute } from '../../server/http/errors.ts';
import { publicRoutes } from '../../server/public/public.routes.ts';
import { publicIndexesFor } from '../../server/public/public-index.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { createRng } from '../../data/generator/index.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { expectNoPrivateData } from '../helpers/public-privacy.ts';

interface Listening {
  url: string;
  close(): Promise<void>;
}
async function listen(app: express.Express): Promise<Listening> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Only the public routes, with an injected clock. */
function publicOnlyApp(ctx: AppContext, now: () => Date): express.Express {
  const app = express();
  app.set('query parser', 'simple');
  const api = express.Router();
  api.use(publicRoutes(ctx, { now }));
  api.use(notFoundRoute);
  app.use('/api', api);
  app.use(errorHandler);
  return app;
}

const MONDAY_0845_CHINA = new Date('2026-11-23T00:45:00Z');
const MONDAY_1800_CHINA = new Date('2026-11-23T10:00:00Z');

for (const driver of DRIVERS) {
  describe(`public finder API [${driver}]`, () => {
    let server: TestServer;
    let direct: Listening; // index off: PostGIS per request
    let fixed: Listening; // index on, fixed clock
    let limited: Listening; // the whole app, 3 public requests a minute
    let clock = MONDAY_0845_CHINA;
    const bodies: unknown[] = [];
    /** Every number ever published while the answers were collected. */
    const published = new Set<string>();
    const db = () => server.database.db;

    const get = async <T>(base: string, path: string) => {
      const res = await httpClient(base).get<T>(path);
      if (path.startsWith('/api/public')) bodies.push(res.body);
      return { status: res.status, body: res.body as T, headers: res.headers };
    };
    const bothPaths = () =>
      [
        ['index', server.url],
        ['postgis', direct.url],
      ] as const;
    const eventually = async (check: () => Promise<boolean>, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > until) throw new Error('the index did not pick up the change in time');
        await new Promise((r) => setTimeout(r, 200));
      }
      return Date.now() - (until - timeoutMs);
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const ctx = (overrides: Partial<AppContext['config']>): AppContext => ({
        db: server.database.db,
        driver,
        config: { ...readConfig({}), port: 0, ...overrides },
      });
      direct = await listen(publicOnlyApp(ctx({ publicIndex: false, publicRateLimit: 0 }), () => clock));
      fixed = await listen(publicOnlyApp(ctx({ publicIndex: true, publicRateLimit: 0 }), () => clock));
      limited = await listen(createApp(ctx({ publicIndex: false, publicRateLimit: 3 })));
      await publicIndexesFor(server.database.db).refresh();
      for (const r of await db().selectFrom('grid_workers').select('phone').where('phone_public', '=', true).execute())
        published.add(r.phone);
    });
    afterAll(async () => {
      if (server) publicIndexesFor(server.database.db).stop();
      await Promise.all([direct?.close(), fixed?.close(), limited?.close()]);
      await server?.close();
    });

    /** A grid with a party organisation, its inner point and what the public should see. */
    const pickGrid = async (offset = 0) => {
      const { rows } = await sql<{
        code: string;
        name: string;
        community_code: string;
        community: string;
        org: string;
        x: number;
        y: number;
      }>`
        SELECT g.code, g.name, g.community_code, c.name AS community,
          (SELECT o.name FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
            WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group') ORDER BY o.code LIMIT 1) AS org,
          ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y
        FROM grids g JOIN regions c ON c.code = g.community_code, ST_PointOnSurface(g.geom) p
        WHERE EXISTS (SELECT 1 FROM org_grids og JOIN party_orgs o ON o.code = og.org_code WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group'))
        ORDER BY g.code OFFSET ${offset} LIMIT 1`.execute(db());
      return rows[0]!;
    };

    /** Hand-set the grid's workers: one full-time (given phone), one part-time, the rest building heads. */
    const setWorkers = async (
      grid: string,
      fullTime: { name: string; phone: string; phone_public: boolean } | null,
    ) => {
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .updateTable('grid_workers')
            .set({ role: 'building_head' })
            .where('grid_code', '=', grid)
            .where('role', 'in', ['full_time', 'part_time'])
            .execute();
          await trx
            .insertInto('grid_workers')
            .values({
              name: '兼职网格员',
              phone: '13900001111',
              phone_public: false,
              role: 'part_time',
              grid_code: grid,
            })
            .execute();
          if (fullTime)
            await trx
              .insertInto('grid_workers')
              .values({ ...fullTime, role: 'full_time', grid_code: grid })
              .execute();
        });
    };

    it('locates a point inside a grid: grid, community, full-time worker (unpublished phone left out), party organisation (both paths)', async () => {
      const g = await pickGrid();
      await setWorkers(g.code, { name: '测试网格员', phone: '13812345678', phone_public: false });
      await eventually(
        async () =>
          (await get<PublicLocateResponse>(server.url, `/api/public/locate?lon=${g.x}&lat=${g.y}`)).body.worker
            ?.name === '测试网格员',
      );
      for (const [path, base] of bothPaths()) {
        const { status, body } = await get<PublicLocateResponse>(base, `/api/public/locate?lon=${g.x}&lat=${g.y}`);
        expect(status, path).toBe(200);
        expect(body, path).toMatchObject({
          point: { lon: g.x, lat: g.y },
          crs: 'wgs84',
          grid: { code: g.code, name: g.name },
          community: { code: g.community_code, name: g.community },
          worker: { name: '测试网格员', phone: null },
          partyOrg: { name: g.org },
        });
        expect(body.stations).toHaveLength(5);
        for (const s of body.stations) {
          expect(s.distanceM).toBeCloseTo(geodesicDistanceM([g.x, g.y], [s.lon, s.lat]), 0);
          expect(s.walkMin).toBe(Math.ceil(s.distanceM / 1.2 / 60));
        }
      }
    });

    it('a published phone is shown in full; with no full-time worker the part-time one answers (edits reach the index)', async () => {
      const g = await pickGrid(1);
      await setWorkers(g.code, { name: '公开网格员', phone: '13987654321', phone_public: true });
      published.add('13987654321');
      const url = `/api/public/locate?lon=${g.x}&lat=${g.y}`;
      const tookMs = await eventually(
        async () => (await get<PublicLocateResponse>(server.url, url)).body.worker?.name === '公开网格员',
      );
      expect(tookMs).toBeLessThan(15_000);
      for (const [, base] of bothPaths())
        expect((await get<PublicLocateResponse>(base, url)).body.worker).toEqual({
          name: '公开网格员',
          phone: '13987654321',
        });
      await db().deleteFrom('grid_workers').where('grid_code', '=', g.code).where('role', '=', 'full_time').execute();
      await eventually(
        async () => (await get<PublicLocateResponse>(server.url, url)).body.worker?.name === '兼职网格员',
      );
      for (const [, base] of bothPaths())
        expect((await get<PublicLocateResponse>(base, url)).body.worker).toEqual({
          name: '兼职网格员',
          phone: null,
        });
    });

    it('outside every grid: grid, community, worker and organisation null, the nearest stations still given', async () => {
      for (const [path, base] of bothPaths()) {
        const { status, body } = await get<PublicLocateResponse>(base, '/api/public/locate?lon=116.40&lat=39.90');
        expect(status, path).toBe(200);
        expect(body).toMatchObject({ grid: null, community: null, worker: null, partyOrg: null });
        expect(body.stations).toHaveLength(5);
        expect(body.stations[0]!.distanceM).toBeGreaterThan(20_000); // Beijing is ~55 km from 安次区
      }
    });

    it('accepts GCJ-02 and BD-09 points: same grid, point within 1 m, stations back in the caller crs', async () => {
      const g = await pickGrid(2);
      const wgs = (await get<PublicLocateResponse>(server.url, `/api/public/locate?lon=${g.x}&lat=${g.y}`)).body;
      for (const [crs, gc] of [
        ['gcj02', gcoord.GCJ02],
        ['bd09', gcoord.BD09],
      ] as const) {
        const [x, y] = gcoord.transform([g.x, g.y], gcoord.WGS84, gc) as [number, number];
        expect(geodesicDistanceM([x, y], [g.x, g.y])).toBeGreaterThan(300); // the shift that lands in the wrong grid
        for (const [path, base] of bothPaths()) {
          const { body } = await get<PublicLocateResponse>(base, `/api/public/locate?lon=${x}&lat=${y}&crs=${crs}`);
          expect(body.crs, path).toBe(crs);
          expect(body.grid?.code, path).toBe(g.code);
          expect(geodesicDistanceM([body.point.lon, body.point.lat], [g.x, g.y])).toBeLessThan(1);
          expect(body.stations.map((s) => s.code)).toEqual(wgs.stations.map((s) => s.code));
          body.stations.forEach((s, i) => {
            const [sx, sy] = gcoord.transform([s.lon, s.lat], gc, gcoord.WGS84) as [number, number];
            expect(geodesicDistanceM([sx, sy], [wgs.stations[i]!.lon, wgs.stations[i]!.lat])).toBeLessThan(1);
          });
        }
      }
      // DESIGN.md: WGS84 (116.69, 39.50) → GCJ-02 (116.69593, 39.50110), BD-09 (116.70256, 39.50676).
      for (const [crs, lon, lat] of [
        ['gcj02', 116.69593, 39.5011],
        ['bd09', 116.70256, 39.50676],
      ] as const) {
        const { body } = await get<PublicNearestResponse>(
          server.url,
          `/api/public/stations/nearest?lon=${lon}&lat=${lat}&crs=${crs}`,
        );
        expect(geodesicDistanceM([body.point.lon, body.point.lat], [116.69, 39.5])).toBeLessThan(1);
      }
    });

    it('nearest stations equal a brute-force geodesic scan and PostGIS geography ordering on 150 random points', async () => {
      const stations = await sql<{ code: string; kind: string; x: number; y: number }>`
        SELECT code, kind, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM stations`.execute(db());
      const ext = (
        await sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
        FROM (SELECT ST_Extent(geom)::geometry e FROM grids) t`.execute(db())
      ).rows[0]!;
      const rng = createRng(2026);
      let planarWrong = 0;
      for (let t = 0; t < 150; t++) {
        const x = ext.x0 + rng.next() * (ext.x1 - ext.x0);
        const y = ext.y0 + rng.next() * (ext.y1 - ext.y0);
        const kinds = t % 3 === 0 ? ['red_post', 'courier_post'] : null;
        const k = 1 + (t % 8);
        const pool = stations.rows.filter((s) => !kinds || kinds.includes(s.kind));
        const brute = pool
          .map((s) => ({ code: s.code, d: geodesicDistanceM([x, y], [s.x, s.y]) }))
          .sort((a, b) => a.d - b.d || (a.code < b.code ? -1 : 1))
          .slice(0, k);
        const postgis = (
          await sql<{ code: string; d: number }>`
          SELECT code, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326)::geography)::float8 AS d FROM stations
          WHERE ${kinds ? sql`kind = ANY(${kinds}::text[])` : sql`true`} ORDER BY d, code LIMIT ${k}`.execute(db())
        ).rows;
        const planar = (
          await sql<{ code: string }>`
          SELECT code FROM stations WHERE ${kinds ? sql`kind = ANY(${kinds}::text[])` : sql`true`}
          ORDER BY geom <-> ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326) LIMIT 1`.execute(db())
        ).rows;
        if (planar[0]!.code !== brute[0]!.code) planarWrong++;
        expect(postgis.map((r) => r.code)).toEqual(brute.map((b) => b.code));
        const query = `/api/public/stations/nearest?lon=${x}&lat=${y}&limit=${k}${kinds ? `&kind=${kinds.join(',')}` : ''}`;
        for (const base of [fixed.url, direct.url]) {
          const { body } = await get<PublicNearestResponse>(base, query);
          expect(
            body.stations.map((s) => s.code),
            `${base} ${query}`,
          ).toEqual(brute.map((b) => b.code));
          body.stations.forEach((s, i) => expect(Math.abs(s.distanceM - postgis[i]!.d)).toBeLessThan(0.1));
        }
      }
      // The check can tell: planar KNN on degrees gets some of these wrong (trap 3).
      expect(planarWrong).toBeGreaterThan(0);
    });

    it('a station added through the database becomes the nearest within the refresh interval', async () => {
      const url = '/api/public/stations/nearest?lon=116.401&lat=39.901&limit=1';
      expect((await get<PublicNearestResponse>(server.url, url)).body.stations[0]!.code).not.toBe('TEST-ST1');
      const region = await db()
        .selectFrom('regions')
        .select('code')
        .where('level', '=', 'community')
        .orderBy('code')
        .executeTakeFirstOrThrow();
      await sql`INSERT INTO stations (code, name, kind, region_code, opening_hours, geom)
        VALUES ('TEST-ST1', '测试驿站', 'red_post', ${region.code}, '24/7', ST_SetSRID(ST_MakePoint(116.4011, 39.9011), 4326))`.execute(
        db(),
      );
      const tookMs = await eventually(
        async () => (await get<PublicNearestResponse>(server.url, url)).body.stations[0]?.code === 'TEST-ST1',
      );
      expect(tookMs).toBeLessThan(15_000);
      const s = (await get<PublicNearestResponse>(direct.url, url)).body.stations[0]!;
      expect(s).toMatchObject({ code: 'TEST-ST1', openNow: true, walkMin: 1 });
      expect(s.distanceM).toBeCloseTo(geodesicDistanceM([116.401, 39.901], [116.4011, 39.9011]), 0);
      await db().deleteFrom('stations').where('code', '=', 'TEST-ST1').execute();
      await eventually(
        async () => (await get<PublicNearestResponse>(server.url, url)).body.stations[0]?.code !== 'TEST-ST1',
      );
    });

    it('point-in-grid from the index equals PostGIS ST_Intersects on 200 random points (and on grid vertices)', async () => {
      const ext = (
        await sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
        FROM (SELECT ST_Extent(geom)::geometry e FROM grids) t`.execute(db())
      ).rows[0]!;
      const rng = createRng(62);
      const points: [number, number][] = Array.from({ length: 200 }, () => [
        ext.x0 + rng.next() * (ext.x1 - ext.x0),
        ext.y0 + rng.next() * (ext.y1 - ext.y0),
      ]);
      // Shared vertices lie on several grids at once: the answer must be the lowest code, as in PostGIS.
      const vertices = (
        await sql<{ x: number; y: number }>`
        SELECT ST_X(d.geom)::float8 x, ST_Y(d.geom)::float8 y FROM (SELECT geom FROM grids ORDER BY code LIMIT 10) g, ST_DumpPoints(g.geom) d LIMIT 40`.execute(
          db(),
        )
      ).rows;
      points.push(...vertices.map((v) => [v.x, v.y] as [number, number]));
      let inside = 0;
      for (const [x, y] of points) {
        const expected =
          (
            await sql<{
              code: string;
            }>`SELECT code FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326)) ORDER BY code LIMIT 1`.execute(
              db(),
            )
          ).rows[0]?.code ?? null;
        if (expected) inside++;
        for (const base of [fixed.url, direct.url]) {
          const { body } = await get<PublicLocateResponse>(base, `/api/public/locate?lon=${x}&lat=${y}&limit=1`);
          expect(body.grid?.code ?? null, `${base} ${x},${y}`).toBe(expected);
        }
      }
      expect(inside).toBeGreaterThan(100);
      expect(inside).toBeLessThan(points.length); // some random points fall outside every grid
    });

    it('limit: 5 by default, up to 20, and 21 is a 400 (not silently clamped)', async () => {
      const base = '/api/public/stations/nearest?lon=116.69&lat=39.5';
      expect((await get<PublicNearestResponse>(server.url, base)).body.stations).toHaveLength(5);
      expect((await get<PublicNearestResponse>(server.url, `${base}&limit=20`)).body.stations).toHaveLength(20);
      const over = await get<{ error: { param: string } }>(server.url, `${base}&limit=21`);
      expect(over.status).toBe(400);
      expect(over.body.error.param).toBe('limit');
      const kinds = (
        await get<PublicLocateResponse>(server.url, '/api/public/locate?lon=116.69&lat=39.5&kind=red_post&limit=7')
      ).body.stations;
      expect(kinds).toHaveLength(7);
      expect(kinds.every((s) => s.kind === 'red_post' && s.services.length === 6)).toBe(true);
    });

    const badInputs: [string, string][] = [
      ['lon=&lat=39.5', 'lon'],
      ['lat=39.5', 'lon'],
      ['lon=116.7', 'lat'],
      ['lon=abc&lat=39.5', 'lon'],
      ['lon=116.7&lat=NaN', 'lat'],
      ['lon=Infinity&lat=39.5', 'lon'],
      ['lon=116.7&lat=1e999', 'lat'],
      ['lon=116.7&lat=95', 'lat'],
      ['lon=-181&lat=39.5', 'lon'],
      ['lon=39.5&lat=116.7', 'lon'],
      ['lon=2.35&lat=48.85', 'lon'],
      ['lon=116.7&lat=39.5&crs=epsg3857', 'crs'],
      ['lon=116.7&lat=39.5&kind=bakery', 'kind'],
      ['lon=116.7&lat=39.5&limit=0', 'limit'],
      ['lon=116.7&lat=39.5&limit=many', 'limit'],
      ['lon=116.7&lat=39.5&limit=21', 'limit'],
      ['lon=116.7&lon=116.8&lat=39.5', 'lon'],
    ];
    it('every bad input is a 400 naming the parameter, on locate and nearest', async () => {
      for (const route of ['/api/public/locate', '/api/public/stations/nearest']) {
        for (const [query, param] of badInputs) {
          const { status, body } = await get<{ error: { code: string; param: string; message: string } }>(
            server.url,
            `${route}?${query}`,
          );
          expect(status, `${route}?${query}`).toBe(400);
          expect(body.error.param, `${route}?${query}`).toBe(param);
          expect(body.error.message).toBeTruthy();
        }
      }
      const swapped = await get<{ error: { message: string } }>(server.url, '/api/public/locate?lon=39.5&lat=116.7');
      expect(swapped.body.error.message).toMatch(/swapped/);
      expect((await get<{ error: { param: string } }>(server.url, '/api/public/search')).body.error.param).toBe('q');
      expect(
        (await get<{ error: { param: string } }>(server.url, '/api/public/search?q=x&limit=51')).body.error.param,
      ).toBe('limit');
      expect((await get(server.url, '/api/public/stations/NOPE0000')).status).toBe(404);
      expect(
        (await get<{ error: { param: string } }>(server.url, '/api/public/stations/bad%20code')).body.error.param,
      ).toBe('code');
    });

    it('search finds communities, compounds, stations and grids by name, and by pinyin initials (hjy → 和家园)', async () => {
      const community = await db()
        .selectFrom('regions')
        .select(['code', 'name'])
        .where('level', '=', 'community')
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const byName = (
        await get<PublicSearchResponse>(server.url, `/api/public/search?q=${encodeURIComponent(community.name)}`)
      ).body;
      expect(byName.hits[0]).toMatchObject({ type: 'community', code: community.code, name: community.name });
      const station = await db()
        .selectFrom('stations')
        .select(['code', 'name'])
        .orderBy('code')
        .executeTakeFirstOrThrow();
      const stationHits = (
        await get<PublicSearchResponse>(server.url, `/api/public/search?q=${encodeURIComponent(station.name)}&limit=50`)
      ).body.hits;
      expect(stationHits.some((h) => h.type === 'station' && h.code === station.code)).toBe(true);
      // A compound named 和家园, added through the database: the index picks it up.
      await sql`INSERT INTO compounds (code, name, community_code, geom)
        SELECT 'TEST-HJY', '和家园', c.code, ST_Multi(ST_Buffer(ST_PointOnSurface(c.geom), 0.0005)) FROM regions c WHERE c.code = ${community.code}`.execute(
        db(),
      );
      await eventually(
        async () =>
          (await get<PublicSearchResponse>(server.url, '/api/public/search?q=hjy')).body.hits[0]?.code === 'TEST-HJY',
      );
      const hits = (await get<PublicSearchResponse>(server.url, '/api/public/search?q=hjy')).body.hits;
      expect(hits[0]).toMatchObject({ type: 'compound', name: '和家园', context: community.name });
      const exact = (
        await get<PublicSearchResponse>(server.url, `/api/public/search?q=${encodeURIComponent('和家园')}`)
      ).body.hits;
      expect(exact[0]!.code).toBe('TEST-HJY');
      const grid = (
        await get<PublicSearchResponse>(server.url, `/api/public/search?q=${encodeURIComponent('第1网格')}&limit=50`)
      ).body.hits;
      expect(grid.length).toBeGreaterThan(0);
      expect(grid.every((h) => h.name.includes('第1网格'))).toBe(true);
      expect(grid.some((h) => h.type === 'grid')).toBe(true);
    });

    it('open now is read in China time against the injected clock, and a station has a shareable detail', async () => {
      const station = await db()
        .selectFrom('stations')
        .select(['code', 'name'])
        .where('opening_hours', '=', 'Mo-Fr 08:30-17:30; Sa 09:00-12:00')
        .orderBy('code')
        .executeTakeFirstOrThrow();
      for (const base of [fixed.url, direct.url]) {
        clock = MONDAY_0845_CHINA;
        const open = await get<PublicStationDetail>(base, `/api/public/stations/${station.code}`);
        expect(open.status).toBe(200);
        expect(open.body).toMatchObject({ code: station.code, name: station.name, openNow: true });
        expect(open.body).not.toHaveProperty('distanceM');
        clock = MONDAY_1800_CHINA;
        expect((await get<PublicStationDetail>(base, `/api/public/stations/${station.code}`)).body.openNow).toBe(false);
        const gcj = (await get<PublicStationDetail>(base, `/api/public/stations/${station.code}?crs=gcj02`)).body;
        expect(geodesicDistanceM([gcj.lon, gcj.lat], [open.body.lon, open.body.lat])).toBeGreaterThan(300);
      }
    });

    it('a grid outline for the finder map: the grid geometry, name and community, nothing else; 400 and 404', async () => {
      const g = await pickGrid(2);
      const { status, body } = await get<PublicGridOutline>(server.url, `/api/public/grids/${g.code}`);
      expect(status).toBe(200);
      expect(body.properties).toEqual({
        code: g.code,
        name: g.name,
        community_code: g.community_code,
        community_name: g.community,
      });
      // The outline is the stored grid (7 decimals, ~1 cm): the Hausdorff distance stays under 1e-6°.
      const { rows } = await sql<{ d: number }>`
        SELECT ST_HausdorffDistance(geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(body.geometry)}), 4326))::float8 AS d
        FROM grids WHERE code = ${g.code}`.execute(db());
      expect(rows[0]!.d).toBeLessThan(1e-6);
      expect((await get(server.url, '/api/public/grids/131002999999999')).status).toBe(404);
      const bad = await get<{ error: { param: string } }>(server.url, '/api/public/grids/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('code');
    });

    it('rate limit: the 4th public request in a minute gets 429 JSON with Retry-After; staff routes are not limited', async () => {
      for (let i = 0; i < 3; i++)
        expect((await get(limited.url, '/api/public/locate?lon=116.69&lat=39.5')).status).toBe(200);
      const over = await get<{ error: { code: string; message: string } }>(
        limited.url,
        '/api/public/locate?lon=116.69&lat=39.5',
      );
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('rate_limited');
      const retry = Number(over.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
      expect((await get(limited.url, '/api/public/search?q=x')).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await get(limited.url, '/api/health')).status).toBe(200);
      expect((await get(limited.url, '/api/regions')).status).toBe(200);
    });

    it('no public answer carries household counts, member counts, building data, worker ids or an unpublished mobile number', async () => {
      expect(bodies.length).toBeGreaterThan(300);
      for (const body of bodies) expectNoPrivateData(body, published);
    });
  });
}
