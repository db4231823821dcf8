/**
 * The demo district loads into a real PostGIS on every driver: row counts (its roads with
 * their class, its water and green too), valid geometries, and grids tiling their
 * communities (area sums) apart from the deliberate digitising errors, which must show up
 * as a gap (less area) or an overlap (more).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database, type DriverName } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { cellsFromPicture, TRACE_FIXTURES } from '../../data/generator/fixtures.ts';
import { traceCells } from '../../data/generator/trace-boundary.ts';
import { demoUsers, loadDataset, loadDemoIfEmpty, readDemoDataset, readDemoRoads } from '../../data/load.ts';

const SERVER_URL = process.env.TEST_DATABASE_URL || undefined;
const DRIVERS: DriverName[] = SERVER_URL ? ['embedded', 'server'] : ['embedded'];
const dataset = readDemoDataset();
const roads = readDemoRoads();

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
      await loadDataset(database.db, dataset, { demoPassword: 'demo-test', roads });
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

    it('loadDemoIfEmpty leaves a loaded database alone', async () => {
      expect(await loadDemoIfEmpty(db(), { demoPassword: 'x' })).toBe(false);
    });
  });
}
