/** What station reach reads from PostGIS: the region, its buildings as points, the stations near it, the unreached areas. */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { RegionLevel } from '../../common/domain.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import { degreeBox, geodesicCircle } from '../geo/geodesic.ts';
import type { Disc } from '../geo/road-network.ts';

export interface RegionHead {
  code: string;
  name: string;
  level: RegionLevel;
  bbox: [number, number, number, number];
}

export async function regionHead(db: Kysely<DB>, code: string): Promise<RegionHead | undefined> {
  const row = await sql<{
    code: string;
    name: string;
    level: RegionLevel;
    x0: number;
    y0: number;
    x1: number;
    y1: number;
  }>`
    SELECT code, name, level, ST_XMin(geom)::float8 x0, ST_YMin(geom)::float8 y0, ST_XMax(geom)::float8 x1, ST_YMax(geom)::float8 y1
    FROM regions WHERE code = ${code}`.execute(db);
  const r = row.rows[0];
  return r && { code: r.code, name: r.name, level: r.level, bbox: [r.x0, r.y0, r.x1, r.y1] };
}

/** The communities in a region (the region itself when it is one), by code. */
export async function regionCommunities(db: Kysely<DB>, code: string): Promise<{ code: string; name: string }[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('level', '=', 'community')
    .where('code', 'in', subtreeCodes(code))
    .orderBy('code')
    .execute();
}

export async function regionGrids(
  db: Kysely<DB>,
  communities: string[],
): Promise<{ code: string; name: string; community_code: string }[]> {
  if (communities.length === 0) return [];
  return db
    .selectFrom('grids')
    .select(['code', 'name', 'community_code'])
    .where('community_code', 'in', communities)
    .orderBy('code')
    .execute();
}

export interface BuildingPoint {
  community_code: string;
  /** The grid of the region its point lies in (lowest code if two claim it); null in none. */
  grid_code: string | null;
  households: number;
  lon: number;
  lat: number;
}

/** Buildings of the communities as points: the point itself, or a point on a footprint's surface. */
export async function buildingPoints(db: Kysely<DB>, communities: string[]): Promise<BuildingPoint[]> {
  if (communities.length === 0) return [];
  const result = await sql<BuildingPoint>`
    SELECT b.community_code, g.code AS grid_code, b.households, ST_X(p.pt)::float8 AS lon, ST_Y(p.pt)::float8 AS lat
    FROM buildings b
    CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(b.geom) = 'POINT' THEN b.geom ELSE ST_PointOnSurface(b.geom) END AS pt) p
    LEFT JOIN LATERAL (
      SELECT g.code FROM grids g
      WHERE g.community_code = ANY(${communities}::text[]) AND ST_Intersects(g.geom, p.pt)
      ORDER BY g.code LIMIT 1
    ) g ON true
    WHERE b.community_code = ANY(${communities}::text[])
    ORDER BY b.code`.execute(db);
  return result.rows;
}

export interface StationPoint {
  code: string;
  name: string;
  kind: StationKind;
  lon: number;
  lat: number;
}

/**
 * Stations of the kinds within `reachM` (geodesic, via geography) of the region, so a
 * station just across the border counts: residents cross borders.
 */
export async function stationsNear(
  db: Kysely<DB>,
  region: RegionHead,
  kinds: StationKind[],
  reachM: number,
): Promise<StationPoint[]> {
  if (kinds.length === 0) return [];
  const poleward: [number, number] = [region.bbox[0], Math.max(Math.abs(region.bbox[1]), Math.abs(region.bbox[3]))];
  const [x0, y0] = degreeBox(poleward, reachM);
  const dx = poleward[0] - x0;
  const dy = poleward[1] - y0;
  const result = await sql<StationPoint>`
    SELECT s.code, s.name, s.kind, ST_X(s.geom)::float8 AS lon, ST_Y(s.geom)::float8 AS lat
    FROM stations s, regions r
    WHERE r.code = ${region.code}
      AND s.kind = ANY(${kinds}::text[])
      AND s.geom && ST_Expand(r.geom, ${dx}::float8, ${dy}::float8)
      -- Inside is distance 0: skip the geodesic distance to the whole outline for those.
      AND CASE WHEN ST_Intersects(r.geom, s.geom) THEN true ELSE ST_DWithin(s.geom::geography, r.geom::geography, ${reachM}::float8) END
    ORDER BY s.code`.execute(db);
  return result.rows;
}

export interface UnreachedPart {
  community_code: string;
  geometry: Polygon | MultiPolygon;
  areaM2: number;
}

/** Parts smaller than this (m²) are overlay noise where buffers almost touch, not areas. */
const MIN_PART_M2 = 1;

/**
 * Each community minus the union of the discs (geodesic circles computed with GeographicLib,
 * 64 vertices: at most 0.3 m inside a 240 m circle), with the project gridSize for
 * every overlay (trap 1), split into polygons. Their households are counted in-process
 * (station-reach.ts) from the buildings the reach lists leave unreached.
 */
export async function unreachedParts(db: Kysely<DB>, communities: string[], discs: Disc[]): Promise<UnreachedPart[]> {
  if (communities.length === 0) return [];
  // The geography costs are estimated so high that PostgreSQL JIT-compiles the query: 1.4 s
  // of compiling for a 0.1 s overlay on a street. jit is off for this one transaction.
  const run = async (trx: Kysely<DB>) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return (await unreachedPartsSql(communities, discs).execute(trx)).rows;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export function unreachedPartsSql(communities: string[], discs: Disc[]) {
  const circles = JSON.stringify({
    type: 'MultiPolygon',
    // Network reach gives hundreds of small discs (≤ 100 m) a street, and their union is the
    // cost: 16 vertices keep them within 1.9 m (the households stay exact: counted from reach lists).
    coordinates: discs.map((d) => [geodesicCircle([d.lon, d.lat], d.radiusM, d.radiusM <= 100 ? 16 : 64)]),
  });
  return sql<UnreachedPart>`
    WITH disc AS MATERIALIZED (
      SELECT (ST_Dump(ST_SetSRID(ST_GeomFromGeoJSON(${circles}), 4326))).geom AS g
    ),
    -- One union for the region: GEOS clips it to each community's envelope in the difference.
    reached AS MATERIALIZED (
      SELECT ST_Union(g, ${GRID_SIZE}::float8) AS g FROM disc
    ),
    rest AS MATERIALIZED (
      SELECT c.code,
        CASE WHEN r.g IS NULL OR NOT (r.g && c.geom) THEN c.geom ELSE ST_Difference(c.geom, r.g, ${GRID_SIZE}::float8) END AS g
      FROM regions c CROSS JOIN reached r
      WHERE c.code = ANY(${communities}::text[])
    ),
    dumped AS (
      SELECT code, (ST_Dump(g)).geom AS g FROM rest WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)
    ),
    part AS MATERIALIZED (
      SELECT code, g, ST_Area(g::geography)::float8 AS area FROM dumped
    )
    SELECT part.code AS community_code, ST_AsGeoJSON(part.g, 7)::json AS geometry, part.area AS "areaM2"
    FROM part
    WHERE part.area >= ${MIN_PART_M2}
    ORDER BY part.code, ST_XMin(part.g), ST_YMin(part.g)`;
}

/** The grid each point lies in (lowest code if two claim it), or null. */
export async function gridsAt(
  db: Kysely<DB>,
  points: [number, number][],
): Promise<({ code: string; name: string } | null)[]> {
  if (points.length === 0) return [];
  const result = await sql<{ i: number; code: string | null; name: string | null }>`
    SELECT t.i::int AS i, g.code, g.name
    FROM unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[]) WITH ORDINALITY AS t(lon, lat, i)
    LEFT JOIN LATERAL (
      SELECT code, name FROM grids WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)) ORDER BY code LIMIT 1
    ) g ON true
    ORDER BY t.i`.execute(db);
  return result.rows.map((r) => (r.code === null ? null : { code: r.code, name: r.name ?? r.code }));
}

/** Which of the points lie inside the region (for a lattice of candidate sites). */
export async function pointsInRegion(db: Kysely<DB>, region: string, points: [number, number][]): Promise<boolean[]> {
  if (points.length === 0) return [];
  const result = await sql<{ inside: boolean }>`
    SELECT ST_Intersects(r.geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)) AS inside
    FROM unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[]) WITH ORDINALITY AS t(lon, lat, i), regions r
    WHERE r.code = ${region}
    ORDER BY t.i`.execute(db);
  return result.rows.map((r) => r.inside);
}
