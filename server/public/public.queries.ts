/**
 * The public finder's reads. Two uses: loading whole tables for the in-process index (one
 * repeatable-read snapshot, so grids, workers and organisations agree), and the per-request
 * PostGIS path used before the index is ready or when it is switched off (the benchmark's
 * anchor). Distances are geodesic: geography (spheroid) ST_Distance, never degrees (trap 3).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { MultiPolygon } from 'geojson';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import type { PublicCommunityCard, PublicGridOutline } from '../../common/contracts/public.ts';
import { stAsGeoJSON } from '../db/postgis.queries.ts';
import { publicWorker, type GridInfo, type StationRecord, type WorkerRow } from './public-answers.ts';
import type { SearchEntry } from './search.ts';

/** Changes whenever grids, workers, organisations, regions (0002) or stations, compounds (0005) change. */
export async function readPublicVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    SELECT (SELECT coalesce(max(epoch), 0)::text || '.' || count(*)::text FROM topology_epochs) || '/' ||
           (SELECT coalesce(string_agg(epoch::text, '.' ORDER BY name), '') FROM public_epochs) AS v`.execute(db);
  return rows[0]!.v;
}

const STATION_COLUMNS = sql`s.code, s.name, s.kind, ST_X(s.geom)::float8 AS lon, ST_Y(s.geom)::float8 AS lat,
  s.address, s.opening_hours, s.services, s.phone`;

/** Full-time before part-time, then the earliest entered. */
const WORKER_ORDER = sql`(w.role = 'full_time') DESC, w.id`;

export interface LocateTables {
  version: string;
  grids: { code: string; name: string; community_code: string; wkb: Uint8Array }[];
  communities: Map<string, string>;
  workers: Map<string, WorkerRow>;
  orgs: Map<string, string>;
  stations: StationRecord[];
}

export async function loadLocateTables(db: Kysely<DB>): Promise<LocateTables> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const version = await readPublicVersion(trx);
      const grids = await sql<LocateTables['grids'][number]>`
      SELECT code, name, community_code, ST_AsBinary(geom) AS wkb FROM grids ORDER BY code`.execute(trx);
      const communities = await sql<{
        code: string;
        name: string;
      }>`SELECT code, name FROM regions WHERE level = 'community'`.execute(trx);
      const workers = await sql<WorkerRow & { grid_code: string }>`
      SELECT DISTINCT ON (w.grid_code) w.grid_code, w.name, w.phone, w.phone_public FROM grid_workers w
      WHERE w.role IN ('full_time', 'part_time') ORDER BY w.grid_code, ${WORKER_ORDER}`.execute(trx);
      const orgs = await sql<{ grid_code: string; name: string }>`
      SELECT DISTINCT ON (og.grid_code) og.grid_code, o.name FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
      WHERE o.kind IN ('branch', 'group') ORDER BY og.grid_code, o.code`.execute(trx);
      const stations = await sql<StationRecord>`SELECT ${STATION_COLUMNS} FROM stations s ORDER BY s.code`.execute(trx);
      return {
        version,
        grids: grids.rows,
        communities: new Map(communities.rows.map((r) => [r.code, r.name])),
        workers: new Map(workers.rows.map((r) => [r.grid_code, r])),
        orgs: new Map(orgs.rows.map((r) => [r.grid_code, r.name])),
        stations: stations.rows,
      };
    });
}

const bboxOf = (g: string) => sql.raw(`ARRAY[ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g})]::float8[]`);

/**
 * Everything the name search covers, with a point to centre the map on, a box to frame and a
 * context line. Households (streets, communities, grids) are for signed-in answers only. A
 * road is one entry per name within its layer's region (its segments collected); a grid is named
 * with its community (育才社区第1网格), as grid names repeat from one community to the next.
 */
export async function loadSearchEntries(db: Kysely<DB>): Promise<SearchEntry[]> {
  const { rows } = await sql<SearchEntry>`
    WITH grid_households AS (SELECT community_code, sum(households)::int AS households FROM grids GROUP BY community_code)
    SELECT 'street' AS type, s.code, s.name, ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat, ${bboxOf('s.geom')} AS bbox,
        coalesce(d.name, '') AS context,
        (SELECT sum(h.households)::int FROM grid_households h JOIN regions c ON c.code = h.community_code WHERE c.parent_code = s.code) AS households
      FROM regions s LEFT JOIN regions d ON d.code = s.parent_code, ST_PointOnSurface(s.geom) p WHERE s.level = 'street'
    UNION ALL
    SELECT 'community', c.code, c.name, ST_X(p), ST_Y(p), ${bboxOf('c.geom')}, coalesce(s.name, ''), coalesce(h.households, 0)
      FROM regions c LEFT JOIN regions s ON s.code = c.parent_code LEFT JOIN grid_households h ON h.community_code = c.code,
        ST_PointOnSurface(c.geom) p WHERE c.level = 'community'
    UNION ALL
    SELECT 'compound', x.code, x.name, ST_X(p), ST_Y(p), ${bboxOf('x.geom')}, coalesce(c.name, ''), NULL
      FROM compounds x LEFT JOIN regions c ON c.code = x.community_code, ST_PointOnSurface(x.geom) p
    UNION ALL
    SELECT 'road', r.code, r.name, ST_X(p), ST_Y(p), ${bboxOf('r.geom')},
        coalesce((SELECT c.name FROM regions c WHERE c.level = 'community' AND ST_Intersects(c.geom, p) ORDER BY c.code LIMIT 1),
          (SELECT name FROM regions WHERE code = r.region_code), ''), NULL
      FROM (SELECT 'R' || min(id) AS code, name, region_code, ST_Collect(geom) AS geom FROM roads
            WHERE name IS NOT NULL AND btrim(name) <> '' GROUP BY name, region_code) r,
        ST_ClosestPoint(r.geom, ST_Centroid(r.geom)) p
    UNION ALL
    SELECT 'grid', g.code, CASE WHEN c.name IS NULL OR starts_with(g.name, c.name) THEN g.name ELSE c.name || g.name END,
        ST_X(p), ST_Y(p), ${bboxOf('g.geom')}, coalesce(s.name, ''), g.households
      FROM grids g LEFT JOIN regions c ON c.code = g.community_code LEFT JOIN regions s ON s.code = c.parent_code,
        ST_PointOnSurface(g.geom) p
    UNION ALL
    SELECT 'station', s.code, s.name, ST_X(s.geom), ST_Y(s.geom), NULL, coalesce(r.name, ''), NULL
      FROM stations s LEFT JOIN regions r ON r.code = s.region_code
    UNION ALL
    SELECT 'address', s.code, s.address, ST_X(s.geom), ST_Y(s.geom), NULL, s.name, NULL
      FROM stations s WHERE btrim(s.address) <> ''
    UNION ALL
    SELECT 'address', b.code, b.name, ST_X(p), ST_Y(p), NULL, coalesce(x.name, c.name, ''), NULL
      FROM buildings b LEFT JOIN compounds x ON x.code = b.compound_code LEFT JOIN regions c ON c.code = b.community_code,
        ST_PointOnSurface(b.geom) p WHERE btrim(b.name) <> ''`.execute(db);
  return rows;
}

/** A community (or village) with its grids, for the finder: names only. */
export async function communityCardInDb(db: Kysely<DB>, code: string): Promise<PublicCommunityCard | null> {
  const { rows } = await sql<PublicCommunityCard>`
    SELECT c.code, c.name, s.name AS street, ${bboxOf('c.geom')} AS bbox, ST_AsGeoJSON(c.geom, 7)::json AS geometry,
      coalesce((SELECT json_agg(json_build_object('code', g.code, 'name', g.name) ORDER BY g.code)
        FROM grids g WHERE g.community_code = c.code), '[]'::json) AS grids
    FROM regions c LEFT JOIN regions s ON s.code = c.parent_code WHERE c.code = ${code} AND c.level = 'community'`.execute(
    db,
  );
  return rows[0] ?? null;
}

/** A point inside a grid (its point on surface), to find the stations near it. */
export async function gridInnerPointInDb(db: Kysely<DB>, code: string): Promise<{ lon: number; lat: number } | null> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat FROM grids g, ST_PointOnSurface(g.geom) p WHERE g.code = ${code}`.execute(
    db,
  );
  return rows[0] ?? null;
}

/** One grid's public facts by code (name, community, worker, party organisation). */
export async function gridInfoInDb(db: Kysely<DB>, code: string): Promise<GridInfo | null> {
  const { rows } = await sql<{
    code: string;
    name: string;
    community_code: string;
    community_name: string | null;
    worker: WorkerRow | null;
    org: string | null;
  }>`
    SELECT g.code, g.name, g.community_code, c.name AS community_name,
      (SELECT json_build_object('name', w.name, 'phone', w.phone, 'phone_public', w.phone_public) FROM grid_workers w
        WHERE w.grid_code = g.code AND w.role IN ('full_time', 'part_time') ORDER BY ${WORKER_ORDER} LIMIT 1) AS worker,
      (SELECT o.name FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
        WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group') ORDER BY o.code LIMIT 1) AS org
    FROM grids g LEFT JOIN regions c ON c.code = g.community_code WHERE g.code = ${code}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    code: row.code,
    name: row.name,
    community: row.community_name === null ? null : { code: row.community_code, name: row.community_name },
    worker: publicWorker(row.worker),
    partyOrg: row.org === null ? null : { name: row.org },
  };
}

const point = (lon: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

/** The grid holding the point (first by code on a shared edge), by GiST + exact test in PostGIS. */
export async function locateGridInDb(db: Kysely<DB>, lon: number, lat: number): Promise<GridInfo | null> {
  const { rows } = await sql<{
    code: string;
    name: string;
    community_code: string;
    community_name: string | null;
    worker: WorkerRow | null;
    org: string | null;
  }>`
    WITH hit AS (SELECT g.code, g.name, g.community_code FROM grids g WHERE ST_Intersects(g.geom, ${point(lon, lat)}) ORDER BY g.code LIMIT 1)
    SELECT hit.code, hit.name, hit.community_code, c.name AS community_name,
      (SELECT json_build_object('name', w.name, 'phone', w.phone, 'phone_public', w.phone_public) FROM grid_workers w
        WHERE w.grid_code = hit.code AND w.role IN ('full_time', 'part_time') ORDER BY ${WORKER_ORDER} LIMIT 1) AS worker,
      (SELECT o.name FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
        WHERE og.grid_code = hit.code AND o.kind IN ('branch', 'group') ORDER BY o.code LIMIT 1) AS org
    FROM hit LEFT JOIN regions c ON c.code = hit.community_code`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    code: row.code,
    name: row.name,
    community: row.community_name === null ? null : { code: row.community_code, name: row.community_name },
    worker: publicWorker(row.worker),
    partyOrg: row.org === null ? null : { name: row.org },
  };
}

/**
 * The k geodesically nearest stations: a KNN shortlist on the GiST index (planar, so a
 * generous one: 8k + 40), re-ranked by spheroidal geography distance.
 */
export async function nearestStationsInDb(
  db: Kysely<DB>,
  lon: number,
  lat: number,
  k: number,
  kinds: StationKind[] | undefined,
): Promise<{ station: StationRecord; distanceM: number }[]> {
  const kindFilter = kinds ? sql`AND s.kind = ANY(${kinds}::text[])` : sql``;
  const { rows } = await sql<StationRecord & { distance_m: number }>`
    SELECT t.*, ST_Distance(t.geom::geography, ${point(lon, lat)}::geography)::float8 AS distance_m FROM (
      SELECT ${STATION_COLUMNS}, s.geom FROM stations s WHERE true ${kindFilter}
      ORDER BY s.geom <-> ${point(lon, lat)} LIMIT ${8 * k + 40}) t
    ORDER BY distance_m, t.code LIMIT ${k}`.execute(db);
  return rows.map(
    ({ distance_m, geom: _geom, ...station }: StationRecord & { distance_m: number; geom?: unknown }) => ({
      station,
      distanceM: distance_m,
    }),
  );
}

export async function stationByCodeInDb(db: Kysely<DB>, code: string): Promise<StationRecord | null> {
  const { rows } = await sql<StationRecord>`SELECT ${STATION_COLUMNS} FROM stations s WHERE s.code = ${code}`.execute(
    db,
  );
  return rows[0] ?? null;
}

/** A grid's outline with its name and community only: nothing the public may not see. */
export async function gridOutlineInDb(db: Kysely<DB>, code: string): Promise<PublicGridOutline | null> {
  const row = await db
    .selectFrom('grids as g')
    .innerJoin('regions as c', 'c.code', 'g.community_code')
    .select(['g.code', 'g.name', 'g.community_code', 'c.name as community_name'])
    .select((eb) => stAsGeoJSON<MultiPolygon>(eb.ref('g.geom')).as('geometry'))
    .where('g.code', '=', code)
    .executeTakeFirst();
  if (!row) return null;
  const { geometry, ...properties } = row;
  return { type: 'Feature', geometry, properties };
}
