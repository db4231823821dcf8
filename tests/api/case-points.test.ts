/**
 * GET /api/cases/points on each driver: the cases of a region and period as GeoJSON points for
 * the map's 案件 layer. Known cases are inserted by SQL in January 2021 (a month no demo data
 * reaches), one of each kind the layer tells apart or leaves out:
 *
 *   T-PTS-OPEN     accepted, due in the future          → open
 *   T-PTS-LATE     dispatched, due yesterday            → overdue
 *   T-PTS-DONE     rated                                → closed
 *   T-PTS-NOPE     not accepted                         → closed
 *   T-PTS-MERGED   merged into T-PTS-OPEN               → left out (drawn as its original)
 *   T-PTS-NOGEOM   reported with a grid but no point    → left out (nowhere to draw it)
 *   T-PTS-FEB      reported 2021-02-01 (Beijing)        → only when the period reaches it
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CasePointCollection } from '../../common/contracts/case-points.ts';
import { districtOf, streetOf } from '../../common/rules/region-codes.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const JANUARY = 'from=2021-01-01&to=2021-01-31';
const DAY = 86_400_000;

for (const driver of DRIVERS) {
  describe(`case points for the map [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    let grid = '';
    let community = '';
    let lon = 0;
    let lat = 0;
    const points = (query: string, as: string | null = 'planner') =>
      http.get<CasePointCollection>(`/api/cases/points?${query}`, as === null ? {} : { as });

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const db = server.database.db;
      const row = (
        await sql<{ code: string; community_code: string; lon: number; lat: number }>`
          SELECT code, community_code, ST_X(ST_PointOnSurface(geom))::float8 AS lon, ST_Y(ST_PointOnSurface(geom))::float8 AS lat
          FROM grids ORDER BY code LIMIT 1`.execute(db)
      ).rows[0]!;
      ({ code: grid, community_code: community, lon, lat } = row);
      const now = Date.now();
      const insert = async (
        ticket: string,
        state: string,
        reportedAt: string,
        extra: { due?: Date; closed?: boolean; geom?: boolean; duplicateOf?: string } = {},
      ) => {
        const point = extra.geom === false ? sql`NULL` : sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
        await sql`INSERT INTO cases (ticket, token_hash, category, channel, description, geom, grid_code,
            community_code, street_code, district_code, reporter_phone, state, queue_kind, queue_code,
            reported_at, accepted_at, due_at, closed_at, rating, duplicate_of)
          VALUES (${ticket}, 'x', 'sanitation', 'finder', '楼道堆物', ${point}, ${grid}, ${community},
            ${streetOf(community)}, ${districtOf(community)}, '13812345678', ${state}, 'grid', ${grid},
            ${reportedAt}, ${reportedAt}, ${extra.due ?? null}, ${extra.closed ? reportedAt : null},
            ${state === 'rated' ? 'satisfied' : null},
            ${extra.duplicateOf ? sql`(SELECT id FROM cases WHERE ticket = ${extra.duplicateOf})` : null})`.execute(db);
      };
      await insert('T-PTS-OPEN', 'accepted', '2021-01-10T02:00:00Z', { due: new Date(now + DAY) });
      await insert('T-PTS-LATE', 'dispatched', '2021-01-11T02:00:00Z', { due: new Date(now - DAY) });
      await insert('T-PTS-DONE', 'rated', '2021-01-12T02:00:00Z', { due: new Date(now - DAY), closed: true });
      await insert('T-PTS-NOPE', 'not_accepted', '2021-01-13T02:00:00Z');
      await insert('T-PTS-MERGED', 'merged', '2021-01-14T02:00:00Z', { duplicateOf: 'T-PTS-OPEN' });
      await insert('T-PTS-NOGEOM', 'accepted', '2021-01-15T02:00:00Z', { geom: false, due: new Date(now + DAY) });
      // 00:30 on 1 February in Beijing is still 31 January in UTC.
      await insert('T-PTS-FEB', 'reported', '2021-01-31T16:30:00Z');
      await http.login('planner');
    });
    afterAll(async () => server?.close());

    it('answers a region and period with every drawable case, coloured by open / overdue / closed', async () => {
      for (const region of [community, streetOf(community), districtOf(community), grid]) {
        const res = await points(`region=${region}&${JANUARY}`);
        expect(res.status, region).toBe(200);
        expect(res.headers.get('cache-control')).toBe('private, no-store');
        expect(res.body.truncated).toBe(false);
        const byTicket = Object.fromEntries(res.body.features.map((f) => [f.properties.ticket, f]));
        expect(Object.keys(byTicket).sort(), region).toEqual(['T-PTS-DONE', 'T-PTS-LATE', 'T-PTS-NOPE', 'T-PTS-OPEN']);
        expect(
          Object.fromEntries(
            res.body.features.map((f) => [f.properties.ticket, [f.properties.status, f.properties.overdue]]),
          ),
        ).toEqual({
          'T-PTS-OPEN': ['open', false],
          'T-PTS-LATE': ['overdue', true],
          'T-PTS-DONE': ['closed', false],
          'T-PTS-NOPE': ['closed', false],
        });
        const late = byTicket['T-PTS-LATE']!;
        expect(late.geometry.coordinates[0]).toBeCloseTo(lon, 7);
        expect(late.geometry.coordinates[1]).toBeCloseTo(lat, 7);
        expect(late.properties).toMatchObject({
          category: 'sanitation',
          categoryName: '环境卫生',
          state: 'dispatched',
          grid,
        });
      }
    });

    it('carries no personal field: exactly the listed properties, and no phone anywhere', async () => {
      const res = await points(`region=${community}&${JANUARY}`);
      for (const feature of res.body.features)
        expect(Object.keys(feature.properties).sort()).toEqual(
          ['category', 'categoryName', 'grid', 'id', 'overdue', 'state', 'status', 'ticket'].sort(),
        );
      expect(res.text).not.toContain('13812345678');
      expect(res.text).not.toContain('138****5678');
      expect(res.text).not.toContain('楼道堆物'); // the description stays in the case
    });

    it('counts days in Beijing time, both ends included', async () => {
      const feb = await points(`region=${community}&from=2021-02-01&to=2021-02-01`);
      expect(feb.body.features.map((f) => f.properties.ticket)).toEqual(['T-PTS-FEB']);
      const one = await points(`region=${community}&from=2021-01-12&to=2021-01-12`);
      expect(one.body.features.map((f) => f.properties.ticket)).toEqual(['T-PTS-DONE']);
    });

    it('refuses anonymous readers and bad parameters, naming them, and writes nothing', async () => {
      const before = await tablesChecksum(server.database.db, ['cases', 'case_events', 'case_daily_stats']);
      const anonymous = await points(`region=${community}&${JANUARY}`, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toContain('T-PTS');
      for (const [query, status, param] of [
        [JANUARY, 400, 'region'],
        [`region=1310&${JANUARY}`, 400, 'region'],
        [`region=${community}&from=2021-02-30`, 400, 'from'],
        [`region=${community}&to=31.01.2021`, 400, 'to'],
        [`region=${community}&from=2021-02-01&to=2021-01-01`, 400, 'from'],
        [`region=${community}&phone=1`, 400, 'phone'],
      ] as const) {
        const res = await points(query);
        expect(res.status, query).toBe(status);
        expect(res.body.error?.param, query).toBe(param);
      }
      const unknown = await points(`region=999999999999&${JANUARY}`);
      expect(unknown.status).toBe(404);
      expect(await tablesChecksum(server.database.db, ['cases', 'case_events', 'case_daily_stats'])).toBe(before);
    });
  });
}
