/**
 * A layer of one region as WGS84 GeoJSON features whose property keys are the layer's field
 * names (server/interop/layers.ts), so that an export imports back onto the same rows.
 * Coordinates leave PostGIS with 9 decimals (0.1 mm), well inside the 1 cm an import treats
 * as unchanged. Grid workers and party organisations carry no geometry.
 *
 * Rows are read in batches by keyset (issue 20): each batch starts after the last row's sort
 * key, which is unique per layer, so a whole layer of 100,000 grids streams with memory flat
 * and no connection held between batches (the embedded driver has only one).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Feature, Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { InteropLayer } from '../../common/contracts/interop.ts';

const geometry = (column: string) => sql`ST_AsGeoJSON(${sql.ref(column)}, 9)::json`;

interface LayerQuery {
  table: string;
  /** The select list (the feature's properties, and `geometry`). */
  columns: RawBuilder<unknown>;
  /** The column a region prefix applies to. */
  scope: string;
  /** The sort key, unique and NOT NULL together: the order of the export and the keyset. */
  keys: readonly string[];
  /** The geometry column, if the layer has one. */
  geom?: string;
  /** What the column's type allows (all NOT NULL): only points, never points, or either (buildings). */
  geomKind?: 'point' | 'other' | 'mixed';
}

const QUERIES: Record<InteropLayer, LayerQuery> = {
  regions: {
    table: 'regions',
    columns: sql`code, name, level, parent_code, ${geometry('geom')} AS geometry`,
    scope: 'code',
    keys: ['code'],
    geom: 'geom',
    geomKind: 'other',
  },
  grids: {
    table: 'grids',
    columns: sql`code, name, kind, community_code, households, ${geometry('geom')} AS geometry`,
    scope: 'community_code',
    keys: ['code'],
    geom: 'geom',
    geomKind: 'other',
  },
  buildings: {
    table: 'buildings',
    columns: sql`code, name, community_code, compound_code, households, units, ${geometry('geom')} AS geometry`,
    scope: 'community_code',
    keys: ['code'],
    geom: 'geom',
    geomKind: 'mixed',
  },
  stations: {
    table: 'stations',
    columns: sql`code, name, kind, region_code, address, opening_hours, services, phone, ${geometry('geom')} AS geometry`,
    scope: 'region_code',
    keys: ['code'],
    geom: 'geom',
    geomKind: 'point',
  },
  party_orgs: {
    table: 'party_orgs',
    columns: sql`code, name, kind, parent_code, community_code, secretary_name, member_count`,
    scope: 'community_code',
    keys: ['community_code', 'code'],
  },
  grid_workers: {
    table: 'grid_workers',
    columns: sql`grid_code, name, role, phone, phone_public, building_code`,
    scope: 'grid_code',
    keys: ['grid_code', 'role', 'name', 'id'],
  },
  roads: {
    table: 'roads',
    columns: sql`code, name, kind, ${geometry('geom')} AS geometry`,
    scope: 'region_code',
    keys: ['id'],
    geom: 'geom',
    geomKind: 'other',
  },
};

export const EXPORT_BATCH = 1000;

const within = (column: string, prefix: string | undefined) =>
  prefix === undefined ? sql`true` : sql`left(${sql.ref(column)}, ${prefix.length}) = ${prefix}`;

type Row = Record<string, unknown>;

/**
 * The layer's rows in the region (all regions without one), as features, in batches of at
 * most `batch`: `(keys) > (last row's keys) ORDER BY keys LIMIT batch`.
 */
export async function* exportBatches(
  db: Kysely<DB>,
  layer: InteropLayer,
  prefix: string | undefined,
  batch = EXPORT_BATCH,
): AsyncGenerator<Feature[]> {
  const q = QUERIES[layer];
  const keyList = sql.join(q.keys.map((k) => sql.ref(k)));
  const keyColumns = sql.join(q.keys.map((k, i) => sql`${sql.ref(k)} AS ${sql.id(`__k${i}`)}`));
  let after: unknown[] | undefined;
  for (;;) {
    const past = after === undefined ? sql`true` : sql`(${keyList}) > (${sql.join(after)})`;
    const { rows } = await sql<Row>`SELECT ${q.columns}, ${keyColumns} FROM ${sql.table(q.table)}
      WHERE ${within(q.scope, prefix)} AND ${past} ORDER BY ${keyList} LIMIT ${batch}`.execute(db);
    if (rows.length === 0) return;
    const last = rows.at(-1)!;
    after = q.keys.map((_, i) => last[`__k${i}`]);
    yield rows.map((row) => {
      const { geometry: g, ...rest } = row;
      const properties = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('__k')));
      return { type: 'Feature', properties, geometry: (g as Geometry | undefined) ?? null } as Feature;
    });
    if (rows.length < batch) return;
  }
}

/** The layer's rows in the region (all regions without one), as features, all at once. */
export async function exportFeatures(
  db: Kysely<DB>,
  layer: InteropLayer,
  prefix: string | undefined,
): Promise<Feature[]> {
  const features: Feature[] = [];
  for await (const rows of exportBatches(db, layer, prefix)) features.push(...rows);
  return features;
}

/** Whether any exported row has a geometry, and whether all of them are points (the CSV's columns). */
export async function exportGeometryKinds(
  db: Kysely<DB>,
  layer: InteropLayer,
  prefix: string | undefined,
): Promise<{ any: boolean; pointsOnly: boolean }> {
  const q = QUERIES[layer];
  if (!q.geom) return { any: false, pointsOnly: true };
  // NOT NULL of one type: every exported row has one (an export of no rows has no columns at all).
  if (q.geomKind !== 'mixed') return { any: true, pointsOnly: q.geomKind === 'point' };
  const geom = sql.ref(q.geom);
  const { rows } = await sql<{ any: boolean | null; points: boolean | null }>`
    SELECT bool_or(${geom} IS NOT NULL) AS any, bool_and(${geom} IS NULL OR GeometryType(${geom}) = 'POINT') AS points
    FROM ${sql.table(q.table)} WHERE ${within(q.scope, prefix)}`.execute(db);
  return { any: rows[0]?.any === true, pointsOnly: rows[0]?.points !== false };
}
