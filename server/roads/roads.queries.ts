/** The road layer: import (replace a region's roads), list as GeoJSON, load as a graph. */
import { sql, type Kysely } from 'kysely';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stAsGeoJSON, stMakeEnvelope } from '../db/postgis.queries.ts';
import type { RoadGraph } from '../geo/road-network.ts';
import { buildRoadGraphFlat } from '../geo/road-graph.ts';
import { readLineWkbRun } from '../geo/read-line-wkb.ts';
import { metresPerDegree } from '../geo/local-metric.ts';
import { badRequest } from '../http/errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { ROAD_KINDS, type RoadProperties, type RoadsReplaced } from '../../common/contracts/roads.ts';

export { ROAD_KINDS, type RoadProperties };
export type RoadKind = (typeof ROAD_KINDS)[number];

/** One line to store (a MultiLineString arrives as several). */
export interface RoadInput {
  code: string | null;
  name: string | null;
  kind: RoadKind;
  coordinates: [number, number][];
}

export type RoadsImportResult = RoadsReplaced;

const BATCH = 200;

/** Replace every road of a region by `roads`, in one transaction: all or nothing. */
export async function replaceRoads(
  db: Kysely<DB>,
  region: string,
  roads: readonly RoadInput[],
  options: { node?: boolean } = {},
): Promise<RoadsImportResult> {
  try {
    return await inTransaction(db, async (trx) => {
      const removed = await trx.deleteFrom('roads').where('region_code', '=', region).executeTakeFirst();
      for (let k = 0; k < roads.length; k += BATCH) {
        const batch = roads.slice(k, k + BATCH).map((r) => ({
          code: r.code,
          name: r.name,
          kind: r.kind,
          region_code: region,
          geom: sql<string>`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'LineString', coordinates: r.coordinates })}), 4326)`,
        }));
        await trx.insertInto('roads').values(batch).execute();
      }
      if (options.node && roads.length > 0) await nodeRegionRoads(trx, region);
      const total = await trx
        .selectFrom('roads')
        .select([
          sql<number>`coalesce(sum(ST_Length(geom::geography)), 0)::float8`.as('m'),
          sql<number>`count(*)::int`.as('n'),
        ])
        .where('region_code', '=', region)
        .executeTakeFirstOrThrow();
      return {
        region,
        removed: Number(removed.numDeletedRows),
        stored: total.n,
        noded: options.node ?? false,
        lengthM: Math.round(total.m * 10) / 10,
      };
    });
  } catch (error) {
    // The geometry CHECK (valid, non-empty) is the last line of defence behind zod.
    if ((error as { code?: string }).code === '23514')
      throw badRequest('features', `features: a line is not valid geometry (${(error as Error).message})`);
    throw error;
  }
}

/**
 * Split a region's roads where they cross (ST_Node), so that the walking graph joins them:
 * each piece keeps the code, name and kind of the line it came from (found at its midpoint).
 * Noding is not an overlay, so no gridSize is involved; crossings get a new shared vertex.
 */
async function nodeRegionRoads(db: Kysely<DB>, region: string): Promise<void> {
  await sql`
    WITH src AS (DELETE FROM roads WHERE region_code = ${region} RETURNING id, code, name, kind, geom),
    pieces AS (SELECT (ST_Dump(ST_Node(ST_Collect(geom)))).geom AS g FROM src)
    INSERT INTO roads (code, name, kind, region_code, geom)
    SELECT s.code, s.name, coalesce(s.kind, 'road'), ${region}, p.g
    FROM pieces p
    LEFT JOIN LATERAL (
      SELECT code, name, kind FROM src
      WHERE ST_DWithin(src.geom, ST_LineInterpolatePoint(p.g, 0.5), 1e-9)
      ORDER BY id LIMIT 1
    ) s ON true
    WHERE ST_Length(p.g) > 0`.execute(db);
}

/** Roads crossing a bbox, as GeoJSON (longest first is not needed: by id). */
export async function listRoads(
  db: Kysely<DB>,
  filter: { bbox?: [number, number, number, number]; region?: string; limit: number },
): Promise<FeatureCollection<LineString, RoadProperties>> {
  let query = db
    .selectFrom('roads as r')
    .select(['r.id', 'r.code', 'r.name', 'r.kind', 'r.region_code'])
    .select((eb) => [
      stAsGeoJSON<LineString>(eb.ref('r.geom')).as('geometry'),
      sql<number>`round(ST_Length(r.geom::geography)::numeric, 1)::float8`.as('lengthM'),
    ])
    .orderBy('r.id')
    .limit(filter.limit);
  if (filter.bbox) query = query.where(sql<boolean>`r.geom && ${stMakeEnvelope(filter.bbox)}`);
  if (filter.region) query = query.where('r.region_code', '=', filter.region);
  const rows = await query.execute();
  const features = rows.map(({ geometry, ...properties }): Feature<LineString, RoadProperties> => ({
    type: 'Feature',
    properties,
    geometry,
  }));
  return { type: 'FeatureCollection', features };
}

/** Margin around the caller's bbox: a walk may leave the area and come back (3 min at 1.2 m/s + access). */
export const GRAPH_MARGIN_M = 400;

/**
 * Built graphs, per database, keyed by the bbox and the version of the roads in it (row
 * count and highest id: identity ids only grow, so any import touching the bbox changes it). A city's graph
 * takes seconds to build and ~120 MB; two are kept.
 */
const graphCache = new WeakMap<object, Map<string, RoadGraph | null>>();
const CACHED_GRAPHS = 2;

/** Forget the built graphs of a database (the bench times cold builds). */
export function clearRoadGraphCache(db: Kysely<DB>): void {
  graphCache.delete(db);
}

/**
 * The walking graph of the roads in and around a bbox ([minLon, minLat, maxLon, maxLat]),
 * grown by `marginM`; null when no road is loaded there (callers fall back to straight line).
 * The graph may be shared with other callers (cached): treat it as read-only.
 */
export async function loadRoadGraph(
  db: Kysely<DB>,
  bbox: [number, number, number, number],
  marginM = GRAPH_MARGIN_M,
): Promise<RoadGraph | null> {
  const [mx, my] = metresPerDegree(Math.max(Math.abs(bbox[1]), Math.abs(bbox[3])));
  const grown: [number, number, number, number] = [
    bbox[0] - marginM / mx,
    bbox[1] - marginM / my,
    bbox[2] + marginM / mx,
    bbox[3] + marginM / my,
  ];
  const version = await db
    .selectFrom('roads')
    .select([sql<number>`count(*)::int`.as('n'), sql<number>`coalesce(max(id), 0)::int`.as('top')])
    .where(sql<boolean>`geom && ${stMakeEnvelope(grown)}`)
    .executeTakeFirstOrThrow();
  const key = `${version.n}:${version.top}:${grown.join(',')}`;
  let cache = graphCache.get(db);
  if (!cache) graphCache.set(db, (cache = new Map()));
  if (cache.has(key)) return cache.get(key)!;
  // One bytea of concatenated WKB: a city's million lines in ~2 s instead of ~13 s of rows.
  const row = await db
    .selectFrom('roads')
    .select(sql<Uint8Array | null>`string_agg(ST_AsBinary(geom), ''::bytea)`.as('wkb'))
    .where(sql<boolean>`geom && ${stMakeEnvelope(grown)}`)
    .executeTakeFirst();
  const graph = !row?.wkb || row.wkb.byteLength === 0 ? null : buildRoadGraphFlat(readLineWkbRun(row.wkb));
  cache.set(key, graph);
  while (cache.size > CACHED_GRAPHS) cache.delete(cache.keys().next().value!);
  return graph;
}

/** The street a region belongs to (itself for a street; null for a district): who may import its roads. */
export async function streetOfRegion(
  db: Kysely<DB>,
  code: string,
): Promise<{ level: string; street: string | null } | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select(['r.level', 'r.code', 'r.parent_code'])
    .where('r.code', '=', code)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    level: row.level,
    street: row.level === 'street' ? row.code : row.level === 'community' ? row.parent_code : null,
  };
}

/** A cheap fingerprint of the roads table (tests prove a rejected import changed nothing). */
export async function roadsChecksum(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('roads')
    .select(
      sql<string>`md5(coalesce(string_agg(id::text || kind || region_code || ST_AsText(geom), ',' ORDER BY id), ''))`.as(
        'sum',
      ),
    )
    .executeTakeFirstOrThrow();
  return row.sum;
}
