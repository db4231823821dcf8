/**
 * The demo district loads into a real PostGIS on every driver: row counts (its roads with
 * their class, its water and green too), valid geometries, and grids tiling their
 * communities (area sums) apart from the deliberate digitising errors, which must show up
 * as a gap (less area) or an overlap (more). With it: the accounts of grid workers,
 * communities and departments (a worker signs in over HTTP), and the generated year of cases,
 * whose states replay from their timelines and whose daily statistics equal a direct count.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database, type DriverName } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { cellsFromPicture, TRACE_FIXTURES } from '../../data/generator/fixtures.ts';
import { traceCells } from '../../data/generator/trace-boundary.ts';
import type { AddressInfo } from 'node:net';
import { replayCaseTimeline, type CaseState, type TimelineStep } from '../../common/rules/case-lifecycle.ts';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { DEFAULT_CASE_COUNT } from '../../data/generator/cases.ts';
import {
  DEMO_DEPARTMENTS,
  demoUsers,
  loadDataset,
  loadDemoIfEmpty,
  readDemoDataset,
  readDemoRoads,
} from '../../data/load.ts';
import { httpClient } from '../helpers/http-client.ts';

const SERVER_URL = process.env.TEST_DATABASE_URL || undefined;
const DRIVERS: DriverName[] = SERVER_URL ? ['embedded', 'server'] : ['embedded'];
const dataset = readDemoDataset();
const roads = readDemoRoads();
const fullTimeWorker = () => dataset.gridWorkers.find((w) => w.role === 'full_time')!;

async function open(driver: DriverName): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (driver === 'embedded') return { database: await openDatabase({ driver: 'embedded' }), drop: async () => {} };
  const schema = `wt_demo_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ driver: 'server', connectionString: SERVER_URL!, max: 1 });
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  return {
    database: await openDatabase({ driver: 'server', connectionString: SERVER_URL!, schema }),
    drop: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(admin.db);
      await admin.close();
    },
  };
}

for (const driver of DRIVERS) {
  describe(`demo district load [${driver}]`, () => {
    let database: Database;
    let drop: () => Promise<void> = async () => {};
    const db = () => database.db;

    beforeAll(async () => {
      ({ database, drop } = await open(driver));
      await migrate(database.db);
      const started = Date.now();
      await loadDataset(database.db, dataset, { demoPassword: 'demo-test', roads, cases: true });
      console.log(`[demo-load] ${driver}: loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }, 180_000);

    afterAll(async () => {
      await database?.close();
      await drop();
    });

    it('has every row of the dataset', async () => {
      const count = async (
        table:
          | 'regions'
          | 'compounds'
          | 'grids'
          | 'buildings'
          | 'party_orgs'
          | 'org_grids'
          | 'stations'
          | 'grid_workers'
          | 'roads'
          | 'landcover'
          | 'users',
      ) =>
        Number(
          (
            await db()
              .selectFrom(table)
              .select(sql<number>`count(*)`.as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('regions')).toBe(dataset.regions.length);
      expect(await count('compounds')).toBe(183);
      expect(await count('grids')).toBe(319);
      expect(await count('buildings')).toBe(dataset.buildings.length);
      expect(await count('party_orgs')).toBe(dataset.partyOrgs.length);
      expect(await count('org_grids')).toBe(dataset.orgGrids.length);
      expect(await count('stations')).toBe(dataset.stations.length);
      expect(await count('grid_workers')).toBe(dataset.gridWorkers.length);
      expect(await count('users')).toBe(demoUsers(dataset).length);
      expect(await count('roads')).toBe(roads.features.length);
      expect(await count('landcover')).toBe(dataset.landcover.length);
    });

    it('stores the roads with their class and names, in the district, and water and green', async () => {
      const byClass = await db()
        .selectFrom('roads')
        .select(['class', sql<number>`count(*)::int`.as('n'), sql<number>`count(name)::int`.as('named')])
        .groupBy('class')
        .orderBy('class')
        .execute();
      const want = (cls: string) => roads.features.filter((f) => f.properties.class === cls).length;
      expect(byClass).toEqual(
        ['arterial', 'local', 'secondary', 'service'].map((cls) => ({
          class: cls,
          n: want(cls),
          named: cls === 'service' ? 0 : want(cls),
        })),
      );
      const regions = await db().selectFrom('roads').select('region_code').distinct().execute();
      expect(regions).toEqual([{ region_code: dataset.meta.districtCode }]);
      const kinds = await db()
        .selectFrom('landcover')
        .select(['kind', sql<number>`count(*)::int`.as('n')])
        .groupBy('kind')
        .orderBy('kind')
        .execute();
      expect(kinds.map((k) => k.kind)).toEqual(['green', 'water']);
      const river = await db().selectFrom('landcover').select('region_code').where('name', '=', '龙河').execute();
      expect(river).toEqual([{ region_code: dataset.meta.districtCode }]);
    });

    it('stores services as text[] and editors with their street', async () => {
      const red = await db()
        .selectFrom('stations')
        .select(['services', 'opening_hours'])
        .where('kind', '=', 'red_post')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(red.services).toEqual(['取暖', '纳凉', '饮水', '休息', '应急药品', '手机充电']);
      const editors = await db()
        .selectFrom('users')
        .select(['username', 'street_code'])
        .where('role', '=', 'editor')
        .orderBy('username')
        .execute();
      expect(editors.map((e) => e.username)).toEqual(
        demoUsers(dataset)
          .filter((u) => u.role === 'editor')
          .map((u) => u.username),
      );
      expect(editors.every((e) => e.street_code?.startsWith('131002'))).toBe(true);
    });

    it('has only valid geometries', async () => {
      const { rows } = await sql<{ n: number }>`
        select (select count(*) from regions where not ST_IsValid(geom))
             + (select count(*) from compounds where not ST_IsValid(geom))
             + (select count(*) from grids where not ST_IsValid(geom))
             + (select count(*) from buildings where not ST_IsValid(geom))
             + (select count(*) from stations where not ST_IsValid(geom))
             + (select count(*) from roads where not ST_IsValid(geom))
             + (select count(*) from landcover where not ST_IsValid(geom)) as n`.execute(db());
      expect(Number(rows[0]?.n)).toBe(0);
    });

    it('grids tile their communities except where an error was put on purpose', async () => {
      const { rows } = await sql<{ code: string; community: number; grids: number }>`
        select c.code, ST_Area(c.geom::geography) as community, sum(ST_Area(g.geom::geography)) as grids
        from regions c join grids g on g.community_code = c.code
        where c.level = 'community' group by c.code, c.geom order by c.code`.execute(db());
      expect(rows).toHaveLength(53);
      const errorIn = new Map(dataset.meta.deliberateErrors.map((e) => [e.grids[0].slice(0, 12), e.kind]));
      for (const row of rows) {
        const relative = (Number(row.grids) - Number(row.community)) / Number(row.community);
        const kind = errorIn.get(row.code);
        if (!kind) expect(Math.abs(relative), row.code).toBeLessThan(1e-6);
        else if (kind === 'gap') expect(relative, row.code).toBeLessThan(-1e-6);
        else expect(relative, row.code).toBeGreaterThan(1e-6);
      }
      const district = await sql<{
        km2: number;
      }>`select ST_Area(geom::geography) / 1e6 as km2 from regions where level = 'district'`.execute(db());
      expect(Number(district.rows[0]?.km2)).toBeGreaterThan(61);
      expect(Number(district.rows[0]?.km2)).toBeLessThan(64.5);
    });

    it('puts every grid and building inside its community', async () => {
      // The deliberate errors move interior vertices only, so even overlaps stay inside.
      const { rows } = await sql<{ grids: number; buildings: number }>`
        select (select count(*) from grids g join regions c on c.code = g.community_code
                where not ST_CoveredBy(g.geom, c.geom)) as grids,
               (select count(*) from buildings b join regions c on c.code = b.community_code
                where not ST_CoveredBy(b.geom, c.geom)) as buildings`.execute(db());
      expect(Number(rows[0]?.grids)).toBe(0);
      expect(Number(rows[0]?.buildings)).toBe(0);
    });

    it('accepts traced pinches and holes as valid (ST_IsValid)', async () => {
      for (const fixture of TRACE_FIXTURES) {
        const { lattice, cells } = cellsFromPicture(fixture.picture);
        const geojson = JSON.stringify(traceCells(lattice, cells));
        const { rows } = await sql<{ valid: boolean; reason: string }>`
          select ST_IsValid(g) as valid, ST_IsValidReason(g) as reason
          from (select ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) as g) s`.execute(db());
        expect(rows[0], fixture.name).toEqual({ valid: true, reason: 'Valid Geometry' });
      }
    });

    it('has an account per full-time grid worker bound to the grid, per community and per department', async () => {
      const fullTime = dataset.gridWorkers.filter((w) => w.role === 'full_time');
      const workers = await db()
        .selectFrom('users as u')
        .innerJoin('user_grids as g', 'g.user_id', 'u.id')
        .select(['u.username', 'u.display_name', 'g.grid_code'])
        .where('u.role', '=', 'worker')
        .orderBy('u.username')
        .execute();
      expect(workers).toHaveLength(319);
      expect(workers).toEqual(
        fullTime
          .map((w) => ({ username: `w${w.grid_code}`, display_name: w.name, grid_code: w.grid_code }))
          .sort((a, b) => a.username.localeCompare(b.username)),
      );
      const { rows } = await sql<{ role: string; n: number; scoped: number }>`
        select role, count(*)::int as n,
               count(*) filter (where community_code is not null or department_id is not null)::int as scoped
        from users group by role order by role`.execute(db());
      expect(rows).toEqual([
        { role: 'admin', n: 1, scoped: 0 },
        { role: 'community', n: 53, scoped: 53 },
        { role: 'department', n: 30, scoped: 30 },
        { role: 'editor', n: 5, scoped: 0 },
        { role: 'planner', n: 1, scoped: 0 },
        { role: 'worker', n: 319, scoped: 0 },
      ]);
      const police = await db()
        .selectFrom('users as u')
        .innerJoin('departments as d', 'd.id', 'u.department_id')
        .select(['u.username', 'u.street_code', 'd.name', 'd.report_hours', 'd.street_code as department_street'])
        .where('u.username', '=', 'd131002003000-4')
        .executeTakeFirstOrThrow();
      expect(police).toEqual({
        username: 'd131002003000-4',
        street_code: '131002003000',
        name: '派出所',
        report_hours: 24,
        department_street: '131002003000',
      });
      expect(DEMO_DEPARTMENTS.map((d) => d.name)).toEqual(['城管', '住建', '市场监管', '派出所', '供电', '供水']);
    });

    it('lets a grid worker and a department sign in with the demo password', async () => {
      const app = createApp({ db: db(), driver, config: { ...readConfig({}), port: 0 } });
      const server = await new Promise<import('node:http').Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      try {
        const client = httpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        const worker = fullTimeWorker();
        await client.login(`w${worker.grid_code}`, 'demo-test');
        const me = await client.get<{ user: { username: string; role: string; display_name: string } }>(
          '/api/auth/me',
          {
            as: `w${worker.grid_code}`,
          },
        );
        expect(me.status).toBe(200);
        expect(me.body.user).toMatchObject({
          username: `w${worker.grid_code}`,
          role: 'worker',
          display_name: worker.name,
        });
        const wrong = await client.post('/api/auth/login', {
          body: { username: `w${worker.grid_code}`, password: 'not-the-demo-password' },
        });
        expect(wrong.status).toBe(401);
        await client.login('d131002001000-1', 'demo-test');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('has a year of cases whose states replay from their timelines', async () => {
      const cases = await db().selectFrom('cases').select(['id', 'ticket', 'state']).orderBy('id').execute();
      expect(cases).toHaveLength(DEFAULT_CASE_COUNT);
      const events = await db()
        .selectFrom('case_events')
        .select(['case_id', 'action', 'to_state', 'details'])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
      const timelines = new Map<string, TimelineStep[]>();
      for (const e of events) {
        const steps = timelines.get(String(e.case_id)) ?? [];
        steps.push({ action: e.action as TimelineStep['action'], to_state: e.to_state, details: e.details });
        timelines.set(String(e.case_id), steps);
      }
      expect(timelines.size).toBe(cases.length);
      for (const c of cases)
        expect(replayCaseTimeline(timelines.get(String(c.id))!), c.ticket).toBe(c.state as CaseState);
      // Every case lies in the grid it was put in, and live intake numbers on after the demo's tickets.
      const { rows } = await sql<{ outside: number; next: string }>`
        select (select count(*)::int from cases c join grids g on g.code = c.grid_code
                where not ST_Intersects(g.geom, c.geom)) as outside,
               nextval('case_ticket_seq')::text as next`.execute(db());
      expect(rows[0]).toEqual({ outside: 0, next: String(DEFAULT_CASE_COUNT + 1) });
    });

    it('keeps case_daily_stats equal to a direct count over the cases', async () => {
      const { rows } = await sql<Record<string, number>>`
        with s as (
          select sum(reported)::int as reported, sum(accepted)::int as accepted, sum(not_accepted)::int as not_accepted,
                 sum(closed)::int as closed, sum(closed_on_time)::int as closed_on_time, sum(rated)::int as rated,
                 sum(satisfied)::int as satisfied, sum(basically)::int as basically, sum(unsatisfied)::int as unsatisfied
          from case_daily_stats),
        c as (
          select count(*)::int as reported, count(accepted_at)::int as accepted,
                 count(*) filter (where state = 'not_accepted')::int as not_accepted,
                 count(*) filter (where closed_at is not null and accepted_at is not null)::int as closed,
                 count(*) filter (where closed_at <= due_at)::int as closed_on_time,
                 count(rating)::int as rated,
                 count(*) filter (where rating = 'satisfied')::int as satisfied,
                 count(*) filter (where rating = 'basically_satisfied')::int as basically,
                 count(*) filter (where rating = 'unsatisfied')::int as unsatisfied
          from cases where duplicate_of is null)
        select to_jsonb(s) as stats, to_jsonb(c) as direct, (select count(*)::int from cases) as all_cases from s, c`.execute(
        db(),
      );
      const { stats, direct, all_cases } = rows[0] as unknown as {
        stats: Record<string, number>;
        direct: Record<string, number>;
        all_cases: number;
      };
      expect(stats).toEqual(direct);
      expect(all_cases - direct.reported!).toBeGreaterThan(30); // merged duplicates count in their original
      expect(direct.closed! / direct.accepted!).toBeGreaterThanOrEqual(0.98);
      expect(direct.closed! / direct.accepted!).toBeLessThanOrEqual(0.99);
      expect((direct.satisfied! + direct.basically!) / direct.rated!).toBeGreaterThanOrEqual(0.95);
      expect((direct.satisfied! + direct.basically!) / direct.rated!).toBeLessThanOrEqual(0.97);
    });

    it('loadDemoIfEmpty leaves a loaded database alone', async () => {
      expect(await loadDemoIfEmpty(db(), { demoPassword: 'x' })).toBe(false);
    });
  });
}
