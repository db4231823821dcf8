/**
 * The items of a collection, read with PostGIS (as pg_featureserv does: bbox as
 * `ST_Intersects(geom, ST_MakeEnvelope(…, 4326))`, GeoJSON from ST_AsGeoJSON), with the
 * collection table's fixed expressions and the request's values as parameters.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Feature, Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stMakeEnvelope } from '../db/postgis.queries.ts';
import type { BBox } from '../http/params.ts';
import type { OgcCollection } from './ogc.collections.ts';
import type { Cursor } from './ogc.cursor.ts';

export interface ItemsQuery {
  bbox?: BBox;
  /** Both ends included; an absent end is open. Only collections with a `temporal` are filtered. */
  datetime?: { start?: string; end?: string };
  limit: number;
  /** Rows skipped (old links only; new next links carry a cursor). */
  offset: number;
  cursor?: Cursor;
  /** Property filters, each `expr = value` (text columns only). */
  filters: readonly [string, string][];
}

export type OgcFeature = Feature<Geometry | null, Record<string, unknown>> & { id: string };

/** Whether the reader is signed in: anonymous readers get private properties as null. */
export interface Reader {
  signedIn: boolean;
}

const etagExpr = (c: OgcCollection) => c.etag ?? sql<string>`'"' || md5(t::text) || '"'`;

function selectList(c: OgcCollection, reader: Reader): RawBuilder<unknown> {
  const columns = c.properties.map(
    (p) => sql`${p.private && !reader.signedIn ? sql`NULL` : p.expr} AS ${sql.id(p.name)}`,
  );
  return sql.join([
    sql`${c.key} AS "__id"`,
    sql`ST_AsGeoJSON(${c.geometry}, 7)::json AS "__geometry"`,
    sql`${etagExpr(c)} AS "__etag"`,
    ...columns,
  ]);
}

function whereClause(c: OgcCollection, q: Pick<ItemsQuery, 'bbox' | 'datetime' | 'filters'>): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (q.bbox) conditions.push(c.intersects(stMakeEnvelope(q.bbox)));
  if (c.temporal && q.datetime?.start) conditions.push(sql`${c.temporal} >= ${q.datetime.start}::timestamptz`);
  if (c.temporal && q.datetime?.end) conditions.push(sql`${c.temporal} <= ${q.datetime.end}::timestamptz`);
  for (const [name, value] of q.filters) {
    const property = c.properties.find((p) => p.name === name)!;
    conditions.push(sql`${property.expr} = ${value}`);
  }
  return sql.join(conditions, sql` AND `);
}

type Row = { __id: string; __geometry: Geometry | null; __etag: string } & Record<string, unknown>;

function toFeature({ __id, __geometry, __etag: _etag, ...properties }: Row): OgcFeature {
  return { type: 'Feature', id: __id, geometry: __geometry, properties };
}

/** One page of items in key order; whether pages come after it and before it. */
export interface ItemsPage {
  features: OgcFeature[];
  hasNext: boolean;
  hasPrev: boolean;
}

/**
 * One page of items in key order. With a cursor, a keyset read (`key > cursor ORDER BY key
 * LIMIT n + 1` on the key's unique index): the same cost at any depth. `offset` is still read
 * for old links; its cost grows with the offset, and its next link is a cursor.
 */
export async function listItems(db: Kysely<DB>, c: OgcCollection, q: ItemsQuery, reader: Reader): Promise<ItemsPage> {
  const where = whereClause(c, q);
  const select = sql`SELECT ${selectList(c, reader)} FROM ${c.from}`;
  const take = q.limit + 1;
  if (q.cursor?.direction === 'before') {
    const { rows } = await sql<Row>`${select} WHERE ${where} AND ${c.key} < ${q.cursor.key}
                                    ORDER BY ${c.key} DESC LIMIT ${take}`.execute(db);
    const page = rows.slice(0, q.limit).reverse();
    return { features: page.map(toFeature), hasNext: true, hasPrev: rows.length > q.limit };
  }
  const { rows } = q.cursor
    ? await sql<Row>`${select} WHERE ${where} AND ${c.key} > ${q.cursor.key}
                     ORDER BY ${c.key} LIMIT ${take}`.execute(db)
    : await sql<Row>`${select} WHERE ${where} ORDER BY ${c.key} LIMIT ${take} OFFSET ${q.offset}`.execute(db);
  return {
    features: rows.slice(0, q.limit).map(toFeature),
    hasNext: rows.length > q.limit,
    hasPrev: q.cursor !== undefined || q.offset > 0,
  };
}

/** Whether a query filters the collection (a bbox, a datetime or a property filter). */
export const isFiltered = (q: Pick<ItemsQuery, 'bbox' | 'datetime' | 'filters'>): boolean =>
  q.bbox !== undefined || q.datetime !== undefined || q.filters.length > 0;

/**
 * How many items a filtered query matches, counted up to `cap`: the count when it is at most
 * `cap`, undefined past it (the read stops at cap + 1 rows, so its cost is bounded).
 */
export async function countMatchedUpTo(
  db: Kysely<DB>,
  c: OgcCollection,
  q: Pick<ItemsQuery, 'bbox' | 'datetime' | 'filters'>,
  cap: number,
): Promise<number | undefined> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM
    (SELECT 1 FROM ${c.from} WHERE ${whereClause(c, q)} LIMIT ${cap + 1}) x`.execute(db);
  const n = rows[0]!.n;
  return n <= cap ? n : undefined;
}

/** Every item of the collection, counted (one scan: run once per data version, ogc.stats.ts). */
export async function countAll(db: Kysely<DB>, c: OgcCollection): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${c.from}`.execute(db);
  return rows[0]!.n;
}

/** One item by its key, with its entity tag. */
export async function getItem(
  db: Kysely<DB>,
  c: OgcCollection,
  id: string,
  reader: Reader,
): Promise<{ feature: OgcFeature; etag: string } | undefined> {
  const { rows } = await sql<Row>`SELECT ${selectList(c, reader)} FROM ${c.from} WHERE ${c.key} = ${id}`.execute(db);
  const row = rows[0];
  return row ? { feature: toFeature(row), etag: row.__etag } : undefined;
}

/** The current entity tag of an item (undefined: no such item), for If-Match. */
export async function currentEtag(
  db: Kysely<DB>,
  c: OgcCollection,
  id: string,
  lock = false,
): Promise<string | undefined> {
  const { rows } = await sql<{ etag: string }>`SELECT ${etagExpr(c)} AS etag FROM ${c.from} WHERE ${c.key} = ${id}
                                                ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
  return rows[0]?.etag;
}

/** The collection's bbox in CRS84 (null when it is empty). */
export async function collectionExtent(db: Kysely<DB>, c: OgcCollection): Promise<BBox | null> {
  const { rows } = await sql<{ x0: number | null; y0: number; x1: number; y1: number }>`${c.extent}`.execute(db);
  const r = rows[0];
  return r && r.x0 !== null ? [r.x0, r.y0, r.x1, r.y1] : null;
}

/** A collection's own change signal (OgcCollection.version) as text; '' when it reads null. */
export async function collectionSignal(db: Kysely<DB>, version: RawBuilder<unknown>): Promise<string> {
  const { rows } = await sql<{ v: string | null }>`SELECT (${version})::text AS v`.execute(db);
  return rows[0]?.v ?? '';
}
