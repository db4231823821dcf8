/**
 * The base map's tile (issue 17): water and green, roads by class with their names, compound
 * outlines, and label points for streets, communities, compounds and grids, read from the
 * district's own tables so the map needs no internet. Geometry goes through the same
 * clip/simplify/snap as the feature layers (tiles.queries.ts); tile-encode.ts writes the bytes.
 *
 * Roads are merged per tile by name and class (ST_LineMerge): the road table holds one row per
 * edge between crossings (a 100 m piece), too short for MapLibre to fit a name along; merged,
 * a street is one line and its name is placed along it. Labels are points (the centre of the
 * largest inscribed circle), not polygons, so a grid cut by a tile edge is named once.
 * Households are read only for signed-in readers: an anonymous tile never holds them.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import {
  BASE_ZOOMS,
  COMPOUNDS_MINZOOM,
  LABEL_KINDS,
  LABEL_ZOOMS,
  ROAD_CLASSES,
  ROAD_CLASS_MINZOOM,
  type BaseLayer,
  type LabelKind,
} from '../../common/tiles.ts';
import type { TileAddress } from '../geo/tile-math.ts';
import type { TileFeature } from './tile-encode.ts';
import { envelope, features, tileGeometry, type Row } from './tiles.queries.ts';

export interface BaseTileOptions {
  /** Grid labels carry households for signed-in readers only. */
  signedIn: boolean;
}

/** A class for every road: the stored one, else local for a road and service for a path or footway. */
const ROAD_CLASS = sql`coalesce(r.class, CASE WHEN r.kind = 'road' THEN 'local' ELSE 'service' END)`;

/** Label point of a polygon: inside it, and as far from its edges as it can be. */
const labelPoint = (geom: string) => sql`(ST_MaximumInscribedCircle(${sql.ref(geom)})).center`;

/** The source layers of one base tile; empty layers are left out of the tile by the encoder. */
export async function baseTileLayers(
  db: Kysely<DB>,
  tile: TileAddress,
  options: BaseTileOptions,
): Promise<Record<BaseLayer, TileFeature[]>> {
  const empty = { landcover: [], roads: [], compounds: [], labels: [] };
  if (tile.z < BASE_ZOOMS.minzoom || tile.z > BASE_ZOOMS.maxzoom) return empty;
  const env = envelope(tile);
  const geometry = (expr: RawBuilder<unknown>) => tileGeometry(expr, tile, 'tile');

  const landcover = sql<Row & { kind: string; name: string | null }>`
    SELECT l.id, l.kind, l.name, ${geometry(sql.ref('l.geom'))} AS geometry
    FROM landcover l WHERE l.geom && ${env}`.execute(db);

  const classes = ROAD_CLASSES.filter((c) => tile.z >= ROAD_CLASS_MINZOOM[c]);
  const roads = sql<Row & { name: string | null; kind: string; class: string }>`
    SELECT min(r.id) AS id, r.name, r.kind, ${ROAD_CLASS} AS class,
      ${geometry(sql`ST_LineMerge(ST_Collect(r.geom))`)} AS geometry
    FROM roads r
    WHERE r.geom && ${env} AND ${ROAD_CLASS} IN (${sql.join(classes)})
    GROUP BY r.name, r.kind, ${ROAD_CLASS}`.execute(db);

  const compounds =
    tile.z >= COMPOUNDS_MINZOOM
      ? sql<Row & { code: string; name: string }>`
          SELECT row_number() OVER (ORDER BY c.code)::int AS id, c.code, c.name, ${geometry(sql.ref('c.geom'))} AS geometry
          FROM compounds c WHERE c.geom && ${env}`.execute(db)
      : Promise.resolve({ rows: [] });

  const labels = labelRows(db, tile, options);

  const [l, r, c, p] = await Promise.all([landcover, roads, compounds, labels]);
  return {
    landcover: features(l.rows, (row) => ({ kind: row.kind, ...(row.name ? { name: row.name } : {}) })),
    roads: features(r.rows, (row) => ({ class: row.class, kind: row.kind, ...(row.name ? { name: row.name } : {}) })),
    compounds: features(c.rows, (row) => ({ code: row.code, name: row.name })),
    labels: features(p.rows, (row) => ({
      kind: row.kind,
      code: row.code,
      name: row.name,
      ...(options.signedIn && row.households !== null ? { households: row.households } : {}),
    })),
  };
}

interface LabelRow extends Row {
  kind: LabelKind;
  code: string;
  name: string;
  households: number | null;
}

async function labelRows(db: Kysely<DB>, tile: TileAddress, { signedIn }: BaseTileOptions) {
  const env = envelope(tile);
  const kinds = LABEL_KINDS.filter((k) => tile.z >= LABEL_ZOOMS[k].minzoom && tile.z <= LABEL_ZOOMS[k].maxzoom);
  if (kinds.length === 0) return { rows: [] as LabelRow[] };
  const parts: Record<LabelKind, RawBuilder<unknown>> = {
    street: sql`SELECT 'street' AS kind, r.code, r.name, NULL::int AS households, ${labelPoint('r.geom')} AS pt
      FROM regions r WHERE r.level = 'street' AND r.geom && ${env}`,
    community: sql`SELECT 'community' AS kind, r.code, r.name, NULL::int AS households, ${labelPoint('r.geom')} AS pt
      FROM regions r WHERE r.level = 'community' AND r.geom && ${env}`,
    compound: sql`SELECT 'compound' AS kind, c.code, c.name, NULL::int AS households, ${labelPoint('c.geom')} AS pt
      FROM compounds c WHERE c.geom && ${env}`,
    // Households are not even read for an anonymous tile.
    grid: sql`SELECT 'grid' AS kind, g.code, g.name, ${signedIn ? sql`g.households` : sql`NULL::int`} AS households,
        ${labelPoint('g.geom')} AS pt
      FROM grids g WHERE g.geom && ${env}`,
  };
  return sql<LabelRow>`
    WITH p AS (${sql.join(
      kinds.map((k) => parts[k]),
      sql` UNION ALL `,
    )})
    SELECT row_number() OVER (ORDER BY p.kind, p.code)::int AS id, p.kind, p.code, p.name, p.households,
      ${tileGeometry(sql.ref('p.pt'), tile, 'tile')} AS geometry
    FROM p WHERE p.pt && ${env}`.execute(db);
}

/**
 * What the base tiles are drawn from, as a cache key: roads and landcover have no epochs (a road
 * upload replaces rows, so new ids), the rest is in the public version the caller adds.
 */
export async function baseDataVersion(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    SELECT (SELECT count(*)::text || '.' || coalesce(max(id), 0)::text FROM roads) || '/' ||
           (SELECT count(*)::text || '.' || coalesce(max(id), 0)::text FROM landcover) AS v`.execute(db);
  return rows[0]!.v;
}

/** The base map's extent (the regions') and its size (roads, water and green, compounds). */
export async function baseExtent(
  db: Kysely<DB>,
): Promise<{ bounds: [number, number, number, number] | null; count: number }> {
  const { rows } = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null; count: number }>`
    SELECT ST_XMin(x)::float8 AS w, ST_YMin(x)::float8 AS s, ST_XMax(x)::float8 AS e, ST_YMax(x)::float8 AS n,
      ((SELECT count(*) FROM roads) + (SELECT count(*) FROM landcover) + (SELECT count(*) FROM compounds))::int AS count
    FROM (SELECT ST_Extent(geom) AS x FROM regions) t`.execute(db);
  const r = rows[0]!;
  return { bounds: r.w === null ? null : [r.w, r.s!, r.e!, r.n!], count: r.count };
}
