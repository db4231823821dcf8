/**
 * The SQL each OGC collection (ogc.collections.ts) reads: its table aliased `t`, key, geometry,
 * bbox filter and extent, and the properties that are more than a column. Fixed expressions,
 * never built from request input.
 */
import { sql, type RawBuilder } from 'kysely';
import { GRID_SIZE } from '../db/postgis.queries.ts';

/** A column of the collection's alias `t`. */
export const column = (name: string): RawBuilder<unknown> => sql.ref(`t.${name}`);

/** The corners of the extent that `query` (one row, column `e`: a box2d) finds. */
const extentOf = (query: RawBuilder<unknown>) =>
  sql`SELECT ST_XMin(e)::float8 AS x0, ST_YMin(e)::float8 AS y0, ST_XMax(e)::float8 AS x1, ST_YMax(e)::float8 AS y1 FROM (${query}) x`;

/** A table with a text `code` and a GiST-indexed `geom` in EPSG:4326. */
export function tableSource(table: 'grids' | 'stations' | 'regions' | 'buildings') {
  return {
    from: sql`${sql.table(table)} t`,
    key: sql<string>`t.code`,
    geometry: sql`t.geom`,
    intersects: (env: RawBuilder<unknown>) => sql<boolean>`ST_Intersects(t.geom, ${env})`,
    extent: extentOf(sql`SELECT ST_Extent(geom) AS e FROM ${sql.table(table)}`),
  };
}

/** The organisations' outline: the union of the grids each is built on, fixed-precision (DESIGN.md trap 1). */
const orgOutline = sql`(SELECT ST_Multi(ST_CollectionExtract(ST_Union(g.geom, ${sql.lit(GRID_SIZE)}::float8), 3))
  FROM org_grids og JOIN grids g ON g.code = og.grid_code WHERE og.org_code = t.code)`;

/** Party organisations, placed by the grids they are built on. */
export const partyOrgSource = {
  from: sql`party_orgs t`,
  key: sql<string>`t.code`,
  geometry: orgOutline,
  intersects: (
    env: RawBuilder<unknown>,
  ) => sql<boolean>`EXISTS (SELECT 1 FROM org_grids og JOIN grids g ON g.code = og.grid_code
                                              WHERE og.org_code = t.code AND ST_Intersects(g.geom, ${env}))`,
  extent: extentOf(
    sql`SELECT ST_Extent(g.geom) AS e FROM grids g WHERE EXISTS (SELECT 1 FROM org_grids og WHERE og.grid_code = g.code)`,
  ),
  // Organisations created on no grid move no epoch.
  version: sql`SELECT max(id) FROM party_orgs`,
};

/** A grid's party organisations, by code. */
export const gridPartyOrgs = sql`coalesce((SELECT array_agg(og.org_code ORDER BY og.org_code) FROM org_grids og WHERE og.grid_code = t.code), '{}')`;

/** An organisation's grids, by code. */
export const orgGridCodes = sql`coalesce((SELECT array_agg(og.grid_code ORDER BY og.grid_code) FROM org_grids og WHERE og.org_code = t.code), '{}')`;

/** The editor's entity tag of a grid ("code.vN", etags.ts). */
export const gridEtag = sql<string>`'"' || t.code || '.v' || t.version || '"'`;

/**
 * Cases by ticket, placed at their point (none when the case came with an address only). The
 * select list of the collection names only impersonal columns; `temporal` is the report time.
 */
export const casesSource = {
  from: sql`cases t`,
  key: sql<string>`t.ticket`,
  geometry: sql`t.geom`,
  intersects: (env: RawBuilder<unknown>) => sql<boolean>`ST_Intersects(t.geom, ${env})`,
  extent: extentOf(sql`SELECT ST_Extent(geom) AS e FROM cases`),
  // Cases move no epoch; a new case is a new id.
  version: sql`SELECT max(id) FROM cases`,
  temporal: sql`t.reported_at`,
};

/** A timestamp column as RFC 3339 text in UTC (the same on both drivers, and readable in HTML). */
export const isoTime = (name: string): RawBuilder<unknown> =>
  sql`to_char(${sql.ref(`t.${name}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export const caseCategoryName = sql`(SELECT cc.name FROM case_categories cc WHERE cc.code = t.category)`;

/** Open and past its due time now (the staff queues' 超期). */
export const caseOverdue = sql`(t.closed_at IS NULL AND t.due_at IS NOT NULL AND t.due_at < now())`;
