/**
 * Reads for printed grid boards: the grid with its public people, the base map around it and
 * the nearest stations. Nearest is geodesic (a planar KNN shortlist re-ranked by geography
 * distance, DESIGN.md trap 3). Overlays use the project gridSize (trap 1).
 */
import { sql, type Kysely } from 'kysely';
import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE, stAsGeoJSON, stMakeEnvelope } from '../db/postgis.queries.ts';
import type { WorkerRole } from '../../common/domain.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import type { BoardBaseMap, BoardGrid, BoardStation, LonLatBox } from './board-data.ts';

export interface BoardGridRow extends BoardGrid {
  bbox: LonLatBox;
  label: [number, number];
  workers: { name: string; role: WorkerRole; phone: string; phone_public: boolean }[];
  partyOrgs: { name: string; kind: string }[];
}

export async function readBoardGrid(db: Kysely<DB>, code: string): Promise<BoardGridRow | undefined> {
  const row = await db
    .selectFrom('grids as g')
    .innerJoin('regions as c', 'c.code', 'g.community_code')
    .leftJoin('regions as s', 's.code', 'c.parent_code')
    .select(['g.code', 'g.name', 'g.community_code', 'c.name as community_name', 's.name as street_name'])
    .select((eb) => [
      stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry'),
      sql<number>`ST_XMin(g.geom)::float8`.as('min_lon'),
      sql<number>`ST_YMin(g.geom)::float8`.as('min_lat'),
      sql<number>`ST_XMax(g.geom)::float8`.as('max_lon'),
      sql<number>`ST_YMax(g.geom)::float8`.as('max_lat'),
      sql<number>`ST_X(ST_PointOnSurface(g.geom))::float8`.as('label_lon'),
      sql<number>`ST_Y(ST_PointOnSurface(g.geom))::float8`.as('label_lat'),
    ])
    .where('g.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  const [workers, partyOrgs] = await Promise.all([
    db
      .selectFrom('grid_workers')
      .select(['name', 'role', 'phone', 'phone_public'])
      .where('grid_code', '=', code)
      .orderBy(sql`CASE role WHEN 'full_time' THEN 0 WHEN 'part_time' THEN 1 ELSE 2 END`)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('org_grids as og')
      .innerJoin('party_orgs as o', 'o.code', 'og.org_code')
      .select(['o.name', 'o.kind'])
      .where('og.grid_code', '=', code)
      .orderBy('o.code')
      .execute(),
  ]);
  return {
    code: row.code,
    name: row.name,
    communityCode: row.community_code,
    communityName: row.community_name,
    streetName: row.street_name ?? '',
    geometry: row.geometry,
    bbox: [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
    label: [row.label_lon, row.label_lat],
    workers,
    partyOrgs,
  };
}

/** Everything drawn under and around the grid inside the map's extent. */
export async function readBoardBase(db: Kysely<DB>, extent: LonLatBox): Promise<BoardBaseMap> {
  const env = stMakeEnvelope(extent);
  const inView = (column: string) => sql<boolean>`ST_Intersects(${sql.ref(column)}, ${env})`;
  const [neighbours, communities, compounds, buildings, roads, landcover] = await Promise.all([
    db
      .selectFrom('grids as g')
      .innerJoin('regions as c', 'c.code', 'g.community_code')
      .select(['g.code', 'g.name', 'g.community_code', 'c.name as community_name'])
      .select((eb) => [
        stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry'),
        sql<string>`ST_AsText(ST_PointOnSurface(ST_Intersection(g.geom, ${env}, ${GRID_SIZE}::float8)))`.as('label'),
      ])
      .where(inView('g.geom'))
      .orderBy('g.code')
      .execute(),
    db
      .selectFrom('regions as r')
      .select(['r.code', 'r.name'])
      .select((eb) => stAsGeoJSON<MultiPolygon>(eb.ref('r.geom')).as('geometry'))
      .where('r.level', '=', 'community')
      .where(inView('r.geom'))
      .execute(),
    db
      .selectFrom('compounds as c')
      .select(['c.name'])
      .select((eb) => [
        stAsGeoJSON<MultiPolygon>(eb.ref('c.geom')).as('geometry'),
        sql<string>`ST_AsText(ST_PointOnSurface(ST_Intersection(c.geom, ${env}, ${GRID_SIZE}::float8)))`.as('label'),
      ])
      .where(inView('c.geom'))
      .execute(),
    db
      .selectFrom('buildings as b')
      .select((eb) => stAsGeoJSON<Polygon | MultiPolygon>(eb.ref('b.geom')).as('geometry'))
      .where(inView('b.geom'))
      .where(sql<boolean>`ST_Dimension(b.geom) = 2`)
      .limit(3000)
      .execute(),
    db
      .selectFrom('roads as r')
      .select(['r.name', 'r.class'])
      .select((eb) => stAsGeoJSON<LineString>(eb.ref('r.geom')).as('geometry'))
      .where(inView('r.geom'))
      .limit(5000)
      .execute(),
    db
      .selectFrom('landcover as l')
      .select(['l.kind', 'l.name'])
      .select((eb) => stAsGeoJSON<MultiPolygon>(eb.ref('l.geom')).as('geometry'))
      .where(inView('l.geom'))
      .execute(),
  ]);
  const point = (wkt: string | null): [number, number] | undefined => {
    const m = wkt && /^POINT\(([-0-9.e]+) ([-0-9.e]+)\)$/.exec(wkt);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };
  return {
    neighbours: neighbours.flatMap((n) => {
      const label = point(n.label);
      if (!label) return [];
      return [
        {
          code: n.code,
          name: n.name,
          communityCode: n.community_code,
          communityName: n.community_name,
          geometry: n.geometry,
          label,
        },
      ];
    }),
    communities,
    compounds: compounds.flatMap((c) => {
      const label = point(c.label);
      return label ? [{ name: c.name, geometry: c.geometry, label }] : [];
    }),
    buildings,
    roads,
    landcover,
  };
}

/** The `limit` stations nearest to a point, geodesic metres. */
export async function readNearestStations(
  db: Kysely<DB>,
  lon: number,
  lat: number,
  limit: number,
): Promise<BoardStation[]> {
  const { rows } = await sql<{
    code: string;
    name: string;
    kind: StationKind;
    address: string;
    opening_hours: string;
    phone: string | null;
    lon: number;
    lat: number;
    distance_m: number;
  }>`
    WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326) AS g),
    shortlist AS (
      SELECT s.* FROM stations s, p ORDER BY s.geom <-> p.g LIMIT ${Math.max(limit * 6, 30)}
    )
    SELECT s.code, s.name, s.kind, s.address, s.opening_hours, s.phone,
           ST_X(s.geom)::float8 AS lon, ST_Y(s.geom)::float8 AS lat,
           ST_Distance(s.geom::geography, p.g::geography)::float8 AS distance_m
    FROM shortlist s, p
    ORDER BY distance_m, s.code
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    address: r.address,
    openingHours: r.opening_hours,
    phone: r.phone,
    lon: r.lon,
    lat: r.lat,
    distanceM: r.distance_m,
  }));
}

/** A region's level, or undefined when there is no such region. */
export async function regionLevel(db: Kysely<DB>, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('regions').select('level').where('code', '=', code).executeTakeFirst();
  return row?.level;
}

/** The published grids of a community, in code order. */
export async function communityGridCodes(db: Kysely<DB>, community: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grids')
    .select('code')
    .where('community_code', '=', community)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.code);
}
