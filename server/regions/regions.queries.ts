import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import { stAsGeoJSON } from '../db/postgis.queries.ts';
import type { MultiPolygon } from 'geojson';
import type { RegionProperties, RegionSummary } from '../../common/contracts/regions.ts';

/** The codes of a region and everything below it (a set, for `IN`). */
export function subtreeCodes(code: string): RawBuilder<string> {
  return sql<string>`(WITH RECURSIVE subtree AS (
      SELECT code FROM regions WHERE code = ${code}
      UNION ALL
      SELECT r.code FROM regions r JOIN subtree s ON r.parent_code = s.code
    ) SELECT code FROM subtree)`;
}

export async function regionExists(db: Kysely<DB>, code: string): Promise<boolean> {
  return (await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

export async function listRegions(db: Kysely<DB>, parent: string | undefined): Promise<RegionSummary[]> {
  let query = db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level', 'r.parent_code'])
    .select(sql<number>`(SELECT count(*)::int FROM regions c WHERE c.parent_code = r.code)`.as('child_count'))
    .orderBy('r.code');
  query = parent === undefined ? query.where('r.parent_code', 'is', null) : query.where('r.parent_code', '=', parent);
  return query.execute();
}

export async function getRegion(
  db: Kysely<DB>,
  code: string,
): Promise<{ properties: RegionProperties; geometry: MultiPolygon } | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level', 'r.parent_code'])
    .select((eb) => [
      stAsGeoJSON<MultiPolygon>(eb.ref('r.geom')).as('geometry'),
      sql<number>`(SELECT count(*)::int FROM regions c WHERE c.parent_code = r.code)`.as('child_count'),
      sql<number>`(SELECT count(*)::int FROM grids g WHERE g.community_code IN ${subtreeCodes(code)})`.as('grid_count'),
      sql<number>`(SELECT coalesce(sum(households), 0)::int FROM grids g WHERE g.community_code IN ${subtreeCodes(code)})`.as(
        'households',
      ),
      sql<number>`(SELECT count(*)::int FROM stations s WHERE s.region_code IN ${subtreeCodes(code)})`.as(
        'station_count',
      ),
      sql<number>`ST_XMin(r.geom)::float8`.as('xmin'),
      sql<number>`ST_YMin(r.geom)::float8`.as('ymin'),
      sql<number>`ST_XMax(r.geom)::float8`.as('xmax'),
      sql<number>`ST_YMax(r.geom)::float8`.as('ymax'),
    ])
    .where('r.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  const { geometry, xmin, ymin, xmax, ymax, ...rest } = row;
  return { geometry, properties: { ...rest, bbox: [xmin, ymin, xmax, ymax] } };
}

/** A region's code, name and level (undefined: no such region). */
export async function regionHeader(db: Kysely<DB>, code: string) {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}

/** The names of regions by code (codes found nowhere are left out). */
export async function regionNames(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
