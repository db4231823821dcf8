/** What the OGC Part 4 writes (ogc.writes.ts) read and write directly: regions, a locked grid, stations. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';

export async function regionLevel(db: Kysely<DB>, code: string) {
  return db.selectFrom('regions').select(['level', 'parent_code']).where('code', '=', code).executeTakeFirst();
}

/** A published grid, locked for the rest of the transaction. */
export async function lockPublishedGrid(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('grids')
    .select(['code', 'community_code', 'households'])
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** Whether the point (lon, lat) lies in the region (false when there is no such region). */
export async function regionContainsPoint(db: Kysely<DB>, region: string, x: number, y: number): Promise<boolean> {
  const { rows } = await sql<{ inside: boolean }>`
    SELECT ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${x}, ${y}), 4326)) AS inside FROM regions WHERE code = ${region}`.execute(
    db,
  );
  return rows[0]?.inside === true;
}

/** A station's columns as written, its point as lon/lat. */
export type StationValues = Omit<StationProperties, 'code'> & { lon: number; lat: number };

const stationRow = ({ lon, lat, ...rest }: StationValues) => ({
  ...rest,
  geom: sql<string>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`,
});

/** The next free code `<region>OG<nn>` for a station created without one. */
export async function nextStationCode(db: Kysely<DB>, region: string): Promise<string> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM stations WHERE code LIKE ${`${region}OG%`}`.execute(db);
  for (let n = rows[0]!.n + 1; ; n++) {
    const code = `${region}OG${String(n).padStart(2, '0')}`;
    if (!(await db.selectFrom('stations').select('code').where('code', '=', code).executeTakeFirst())) return code;
  }
}

export async function insertStation(db: Kysely<DB>, code: string, values: StationValues): Promise<void> {
  await db
    .insertInto('stations')
    .values({ code, ...stationRow(values) })
    .execute();
}

/** A station's region, the row locked for the rest of the transaction. */
export async function lockStationRegion(db: Kysely<DB>, code: string) {
  return db.selectFrom('stations').select('region_code').where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function updateStation(db: Kysely<DB>, code: string, values: StationValues): Promise<void> {
  await db.updateTable('stations').set(stationRow(values)).where('code', '=', code).execute();
}

export async function deleteStation(db: Kysely<DB>, code: string): Promise<void> {
  await db.deleteFrom('stations').where('code', '=', code).execute();
}
