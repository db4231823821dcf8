/** The rows a coverage report lists beside the coverage figures: grids, stations, region names. */
import { sql, type Kysely } from 'kysely';
import type { Geometry, MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stAsGeoJSON } from '../db/postgis.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { ReportGrid, ReportStation } from './coverage-report.ts';

/** The grids of a region, by code; with their outlines only when asked (the workbook has none). */
export async function reportGrids(db: Kysely<DB>, region: string, withGeometry: boolean): Promise<ReportGrid[]> {
  const rows = await db
    .selectFrom('grids as g')
    .select(['g.code', 'g.name', 'g.community_code', 'g.kind', 'g.households'])
    .select(
      sql<string[]>`coalesce(
      (SELECT array_agg(og.org_code ORDER BY og.org_code) FROM org_grids og
        JOIN party_orgs o ON o.code = og.org_code AND o.kind IN ('branch', 'group')
        WHERE og.grid_code = g.code), '{}')`.as('party_orgs'),
    )
    .$if(withGeometry, (q) => q.select((eb) => stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry')))
    .where('g.community_code', 'in', subtreeCodes(region))
    .orderBy('g.code')
    .execute();
  return rows as ReportGrid[];
}

/**
 * The region's stations of every kind, and the stations outside it whose reach the report
 * counted (`alsoCodes`). Only published details: the phone column is a public service line.
 */
export async function reportStations(db: Kysely<DB>, region: string, alsoCodes: string[]): Promise<ReportStation[]> {
  return db
    .selectFrom('stations as s')
    .select(['s.code', 's.name', 's.kind', 's.region_code', 's.address', 's.opening_hours', 's.phone'])
    .select([sql<number>`ST_X(s.geom)::float8`.as('lon'), sql<number>`ST_Y(s.geom)::float8`.as('lat')])
    .where((eb) => {
      const inRegion = eb('s.region_code', 'in', subtreeCodes(region));
      return alsoCodes.length ? eb.or([inRegion, eb('s.code', 'in', alsoCodes)]) : inRegion;
    })
    .orderBy('s.code')
    .execute();
}

/** The region, every region below it and every region above it: name and parent by code. */
export async function reportRegions(
  db: Kysely<DB>,
  region: string,
): Promise<Record<string, { name: string; parent_code: string | null }>> {
  const rows = await sql<{ code: string; name: string; parent_code: string | null }>`
    WITH RECURSIVE up AS (
      SELECT code, name, parent_code FROM regions WHERE code = ${region}
      UNION ALL
      SELECT r.code, r.name, r.parent_code FROM regions r JOIN up ON r.code = up.parent_code
    )
    SELECT code, name, parent_code FROM up
    UNION
    SELECT code, name, parent_code FROM regions WHERE code IN ${subtreeCodes(region)}`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.code, { name: r.name, parent_code: r.parent_code }]));
}

/** A point on the surface of each geometry ([lon, lat], in order), so a planner can find the place. */
export async function pointsOnSurface(db: Kysely<DB>, geometries: Geometry[]): Promise<[number, number][]> {
  if (!geometries.length) return [];
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
    FROM (SELECT i, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(g::text), 4326)) AS p
          FROM jsonb_array_elements(${JSON.stringify(geometries)}::jsonb) WITH ORDINALITY AS t(g, i)) s
    ORDER BY i`.execute(db);
  return rows.map((r) => [r.lon, r.lat]);
}
