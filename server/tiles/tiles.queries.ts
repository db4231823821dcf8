/**
 * The features of one tile, already in tile units, from either driver with one SQL path.
 * PostGIS does the geometry work ST_AsMVTGeom would do (transform to 3857, affine map to
 * 0..4096 with y down, clip to the tile plus a 64-unit buffer, simplify by about a pixel below
 * z14, snap to whole units, which also drops rings that collapse); tile-encode.ts fixes the
 * winding and writes the protobuf. `geom && envelope` uses the GiST index, as Martin and
 * pg_tileserv do.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { GridKind } from '../../common/domain.ts';
import { boundsFor, householdBand, type HouseholdBoundsSetting } from '../../common/rules/household-band.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { omitPrivate } from '../../common/rules/public-fields.ts';
import { TILE_ZOOMS, type TileLayer } from '../../common/tiles.ts';
import {
  TILE_BUFFER,
  TILE_EXTENT,
  simplifyTolerance,
  tileAffine,
  tileBounds4326,
  type TileAddress,
} from '../geo/tile-math.ts';
import type { TileFeature } from './tile-encode.ts';

export interface TileQueryOptions {
  /** Signed-in readers get grids' households and band; anonymous readers never do. */
  signedIn: boolean;
  /** The household bounds the bands follow (read from settings when not given). */
  householdBounds?: HouseholdBoundsSetting;
  /**
   * 'tile' (served): clipped, simplified below z14, snapped. 'naive' (benchmark anchor only):
   * whole features at full resolution, only mapped to tile units.
   */
  mode?: 'tile' | 'naive';
}

/** A geometry column mapped to tile units, clipped, simplified and snapped as served. */
export function tileGeometry(geom: RawBuilder<unknown>, tile: TileAddress, mode: 'tile' | 'naive'): RawBuilder<string> {
  const { a, e, xoff, yoff } = tileAffine(tile);
  const mapped = sql`ST_Affine(ST_Transform(${geom}, 3857), ${a}::float8, 0, 0, ${e}::float8, ${xoff}::float8, ${yoff}::float8)`;
  if (mode === 'naive') return sql<string>`ST_AsGeoJSON(${mapped}, 0)`;
  const lo = -TILE_BUFFER;
  const hi = TILE_EXTENT + TILE_BUFFER;
  const clipped = sql`ST_ClipByBox2D(${mapped}, ST_MakeEnvelope(${lo}::float8, ${lo}::float8, ${hi}::float8, ${hi}::float8)::box2d)`;
  const tolerance = simplifyTolerance(tile.z);
  const simplified = tolerance > 0 ? sql`ST_Simplify(${clipped}, ${tolerance}::float8, true)` : clipped;
  return sql<string>`ST_AsGeoJSON(ST_SnapToGrid(${simplified}, 1), 0)`;
}

export function envelope(tile: TileAddress): RawBuilder<unknown> {
  const [w, s, e, n] = tileBounds4326(tile, TILE_BUFFER);
  return sql`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
}

/** Grid names and community codes are in grid tiles from this zoom on. */
export const GRID_NAMES_MINZOOM = 12;

export interface Row {
  id: number;
  geometry: string | null;
}

/**
 * Rows to features, by id so a tile's bytes do not depend on the scan order. Sorted here, not
 * with ORDER BY: that led PostgreSQL 15 to walk the primary key and filter (350 ms vs 80 ms).
 */
export function features<R extends Row>(rows: R[], properties: (row: R) => TileFeature['properties']): TileFeature[] {
  rows.sort((a, b) => a.id - b.id);
  const out: TileFeature[] = [];
  for (const row of rows) {
    if (!row.geometry) continue;
    out.push({ id: row.id, properties: properties(row), geometry: JSON.parse(row.geometry) as Geometry });
  }
  return out;
}

/** The features of one layer in one tile; [] outside the layer's zooms. */
export async function tileFeatures(
  db: Kysely<DB>,
  layer: TileLayer,
  tile: TileAddress,
  options: TileQueryOptions,
): Promise<TileFeature[]> {
  const { minzoom, maxzoom } = TILE_ZOOMS[layer];
  if (tile.z < minzoom || tile.z > maxzoom) return [];
  const mode = options.mode ?? 'tile';
  const geometry = (column: string) => tileGeometry(sql.ref(column), tile, mode);
  if (layer === 'grids') {
    // coverage: grid-level party organisations built on the grid, 0, 1 or 2 for "two or more"
    // (the map's 党组织覆盖 colouring; public, as party_orgs is in /api/grids).
    const { rows } = await sql<
      Row & { code: string; name: string; community_code: string; kind: GridKind; households: number; coverage: number }
    >`
      SELECT g.id, g.code, g.name, g.community_code, g.kind, g.households,
        (SELECT least(count(*), 2)::int FROM org_grids og WHERE og.grid_code = g.code) AS coverage,
        ${geometry('g.geom')} AS geometry
      FROM grids g WHERE g.geom && ${envelope(tile)}`.execute(db);
    // Below z12 a tile holds thousands of grids: names and community codes (unique strings)
    // would be most of its bytes, and nobody reads them at that scale.
    const named = tile.z >= GRID_NAMES_MINZOOM;
    const setting = options.signedIn ? (options.householdBounds ?? (await householdBoundsSetting(db))) : {};
    const audience = options.signedIn ? 'staff' : 'public';
    return features(rows, (r) =>
      omitPrivate(audience, {
        code: r.code,
        ...(named ? { name: r.name, community_code: r.community_code } : {}),
        kind: r.kind,
        coverage: r.coverage,
        households: r.households,
        // The band is computed for staff only (the public's bounds are not loaded).
        band: options.signedIn ? householdBand(r.kind, r.households, boundsFor(setting, r.code)) : null,
      }),
    );
  }
  if (layer === 'buildings') {
    const { rows } = await sql<Row & { code: string }>`
      SELECT b.id, b.code, ${geometry('b.geom')} AS geometry
      FROM buildings b WHERE b.geom && ${envelope(tile)}`.execute(db);
    return features(rows, (r) => ({ code: r.code }));
  }
  const { rows } = await sql<Row & { code: string; name: string; kind: string }>`
    SELECT s.id, s.code, s.name, s.kind, ${geometry('s.geom')} AS geometry
    FROM stations s WHERE s.geom && ${envelope(tile)}`.execute(db);
  return features(rows, (r) => ({ code: r.code, name: r.name, kind: r.kind }));
}

/** A layer's extent and size, for its TileJSON. */
export async function layerExtent(
  db: Kysely<DB>,
  layer: TileLayer,
): Promise<{ bounds: [number, number, number, number] | null; count: number }> {
  const { rows } = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null; count: number }>`
    SELECT ST_XMin(x)::float8 AS w, ST_YMin(x)::float8 AS s, ST_XMax(x)::float8 AS e, ST_YMax(x)::float8 AS n, c AS count
    FROM (SELECT ST_Extent(geom) AS x, count(*)::int AS c FROM ${sql.table(layer)}) t`.execute(db);
  const r = rows[0]!;
  return { bounds: r.w === null ? null : [r.w, r.s!, r.e!, r.n!], count: r.count };
}
