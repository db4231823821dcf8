import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stAreaM2, stAsGeoJSON, stMakeEnvelope } from '../db/postgis.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { BBox } from '../http/params.ts';
import type { GridDetailProperties, GridFeature } from '../../common/contracts/grids.ts';
import type { WorkerRecord } from '../../common/rules/public-fields.ts';
import { boundsFor, householdBand } from '../../common/rules/household-band.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';

export interface GridFilter {
  region?: string;
  bbox?: BBox;
}

const partyOrgCodes = sql<string[]>`coalesce(
  (SELECT array_agg(og.org_code ORDER BY og.org_code) FROM org_grids og WHERE og.grid_code = g.code), '{}')`;

export async function listGrids(db: Kysely<DB>, filter: GridFilter): Promise<GridFeature[]> {
  let query = db
    .selectFrom('grids as g')
    .select(['g.code', 'g.name', 'g.community_code', 'g.kind', 'g.households', 'g.population', 'g.version'])
    .select((eb) => [stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry'), partyOrgCodes.as('party_orgs')])
    .orderBy('g.code');
  if (filter.region) query = query.where('g.community_code', 'in', subtreeCodes(filter.region));
  if (filter.bbox) query = query.where(sql<boolean>`ST_Intersects(g.geom, ${stMakeEnvelope(filter.bbox)})`);
  const [rows, setting] = await Promise.all([query.execute(), householdBoundsSetting(db)]);
  return rows.map(({ geometry, ...p }) => ({
    type: 'Feature',
    id: p.code,
    geometry,
    properties: { ...p, band: householdBand(p.kind, p.households, boundsFor(setting, p.code)) },
  }));
}

export async function getGrid(
  db: Kysely<DB>,
  code: string,
): Promise<
  | { geometry: MultiPolygon; properties: Omit<GridDetailProperties, 'workers'> & { workers: WorkerRecord[] } }
  | undefined
> {
  const row = await db
    .selectFrom('grids as g')
    .innerJoin('regions as c', 'c.code', 'g.community_code')
    .leftJoin('regions as s', 's.code', 'c.parent_code')
    .select([
      'g.code',
      'g.name',
      'g.community_code',
      'g.kind',
      'g.households',
      'g.population',
      'g.version',
      'g.updated_at',
    ])
    .select((eb) => [
      'c.name as community_name',
      's.code as street_code',
      's.name as street_name',
      stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry'),
      stAreaM2(eb.ref('g.geom')).as('area_m2'),
      partyOrgCodes.as('party_orgs'),
      sql<number>`(SELECT count(*)::int FROM buildings b
        WHERE ST_Intersects(b.geom, g.geom) AND ST_Contains(g.geom, ST_PointOnSurface(b.geom)))`.as('building_count'),
    ])
    .where('g.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  const [party, workers, setting] = await Promise.all([
    db
      .selectFrom('org_grids as og')
      .innerJoin('party_orgs as o', 'o.code', 'og.org_code')
      .select(['o.code', 'o.name', 'o.kind', 'o.secretary_name'])
      .where('og.grid_code', '=', code)
      .orderBy('o.code')
      .execute(),
    db
      .selectFrom('grid_workers')
      .select(['name', 'role', 'phone', 'phone_public'])
      .where('grid_code', '=', code)
      .orderBy(sql`CASE role WHEN 'full_time' THEN 0 WHEN 'part_time' THEN 1 WHEN 'building_head' THEN 2 ELSE 3 END`)
      .orderBy('id')
      .execute(),
    householdBoundsSetting(db),
  ]);
  const { geometry, updated_at, street_code, street_name, area_m2, ...p } = row;
  return {
    geometry,
    properties: {
      ...p,
      street_code: street_code ?? '',
      street_name: street_name ?? '',
      area_m2: Math.round(area_m2 * 10) / 10,
      band: householdBand(p.kind, p.households, boundsFor(setting, code)),
      party,
      workers,
      updated_at: new Date(updated_at).toISOString(),
    },
  };
}

/** How many grids are published (a restore's check that the data came back). */
export async function countGrids(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grids`.execute(db);
  return rows[0]!.n;
}

/**
 * The names of grids by code, for answers people read ("育才社区第1网格", not a 15-digit code).
 * With `draftId`, the draft's own names win (new grids of a draft exist only there); codes
 * found nowhere are left out.
 */
export async function gridNames(
  db: Kysely<DB>,
  codes: readonly string[],
  draftId?: number,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unique = [...new Set(codes)];
  if (unique.length === 0) return names;
  const published = await db.selectFrom('grids').select(['code', 'name']).where('code', 'in', unique).execute();
  for (const row of published) names.set(row.code, row.name);
  if (draftId !== undefined) {
    const drafted = await sql<{ code: string; name: string }>`
      SELECT code, name FROM draft_grids WHERE draft_id = ${draftId} AND code = ANY(${unique}::text[])`.execute(db);
    for (const row of drafted.rows) names.set(row.code, row.name);
  }
  return names;
}
