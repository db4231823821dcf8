/**
 * Imports of stations and buildings (upserts keyed by code, in the caller's transaction),
 * and the PostGIS look-ups every layer's import shares: which community a feature lies in,
 * which street a region belongs to, whether a geometry is valid, how far it is from the
 * stored one. Each look-up is one query over the whole file (unnest), not one per feature.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stGeomFromGeoJSON } from '../db/postgis.queries.ts';
import type { FieldValue } from './mapping.ts';
import {
  changedFields,
  emptyOutcome,
  invalid,
  requireFeatureStreet,
  SAME_GEOMETRY_DEGREES,
  type ApplyContext,
  type ImportRow,
  type LayerOutcome,
} from './import-plan.ts';

type Trx = Kysely<DB>;
const json = (g: Geometry | null) => (g ? JSON.stringify(g) : null);

/** Per row: the community containing its point on surface (null: none). */
export async function locateCommunities(
  trx: Trx,
  geometries: readonly (Geometry | null)[],
): Promise<(string | null)[]> {
  const { rows } = await sql<{ i: number; code: string | null }>`
    SELECT k.i::int AS i, (SELECT r.code FROM regions r WHERE r.level = 'community' AND r.geom && p.pt AND ST_Intersects(r.geom, p.pt)
                          ORDER BY r.code LIMIT 1) AS code
    FROM unnest(${geometries.map(json)}::text[]) WITH ORDINALITY AS k(g, i)
    CROSS JOIN LATERAL (SELECT ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(k.g), 4326)) AS pt) p
    WHERE k.g IS NOT NULL`.execute(trx);
  const out: (string | null)[] = geometries.map(() => null);
  for (const r of rows) out[r.i - 1] = r.code;
  return out;
}

export interface RegionInfo {
  level: 'district' | 'street' | 'community';
  parent_code: string | null;
  /** The street the region is in (itself for a street; null for a district). */
  street: string | null;
}

export async function regionInfo(trx: Trx, codes: readonly string[]): Promise<Map<string, RegionInfo>> {
  if (codes.length === 0) return new Map();
  const rows = await trx
    .selectFrom('regions')
    .select(['code', 'level', 'parent_code'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(
    rows.map((r) => [
      r.code,
      {
        level: r.level,
        parent_code: r.parent_code,
        street: r.level === 'street' ? r.code : r.level === 'community' ? r.parent_code : null,
      },
    ]),
  );
}

/** Per row: null when the geometry is valid, else PostGIS's reason. */
export async function validityReasons(trx: Trx, geometries: readonly (Geometry | null)[]): Promise<(string | null)[]> {
  const { rows } = await sql<{ i: number; reason: string | null }>`
    SELECT k.i::int AS i, CASE WHEN d.valid THEN NULL ELSE coalesce(d.reason, 'invalid') END AS reason
    FROM unnest(${geometries.map(json)}::text[]) WITH ORDINALITY AS k(g, i)
    CROSS JOIN LATERAL ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON(k.g), 4326)) d
    WHERE k.g IS NOT NULL`.execute(trx);
  const out: (string | null)[] = geometries.map(() => null);
  for (const r of rows) out[r.i - 1] = r.reason;
  return out;
}

/** Stored rows of `table` by code, with the Hausdorff distance (degrees) to the file's geometry. */
export async function storedByCode<R>(
  trx: Trx,
  table: 'stations' | 'buildings' | 'regions' | 'grids',
  columns: readonly string[],
  rows: readonly { code: string; geometry: Geometry | null }[],
): Promise<Map<string, R & { distance: number | null }>> {
  if (rows.length === 0) return new Map();
  const cols = sql.join(columns.map((c) => sql.ref(`t.${c}`)));
  const { rows: found } = await sql<R & { code: string; distance: number | null }>`
    SELECT t.code, ${cols},
           CASE WHEN k.g IS NULL THEN NULL ELSE ST_HausdorffDistance(t.geom, ST_SetSRID(ST_GeomFromGeoJSON(k.g), 4326))::float8 END AS distance
    FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => json(r.geometry))}::text[]) AS k(code, g)
    JOIN ${sql.table(table)} t ON t.code = k.code`.execute(trx);
  return new Map(found.map((r) => [r.code, r]));
}

const sameGeometry = (distance: number | null) => distance !== null && distance <= SAME_GEOMETRY_DEGREES;

interface Placed {
  row: ImportRow;
  code: string;
  region: string;
}

/**
 * Where each feature belongs: its mapped region column, else the stored row's, else the
 * community its point lies in; a region that does not exist, or a feature in none, is invalid.
 * An editor is refused (403) a feature outside their street.
 */
async function place(
  trx: Trx,
  ctx: ApplyContext,
  rows: readonly ImportRow[],
  regionField: string,
  stored: Map<string, { region: string }>,
  out: LayerOutcome,
): Promise<Placed[]> {
  const located = await locateCommunities(
    trx,
    rows.map((r) => (r.values[regionField] ? null : r.geometry)),
  );
  const chosen = rows.map(
    (r, i) =>
      (r.values[regionField] as string | null) ?? stored.get(r.values.code as string)?.region ?? located[i] ?? null,
  );
  const info = await regionInfo(
    trx,
    chosen.filter((c): c is string => c !== null),
  );
  const placed: Placed[] = [];
  rows.forEach((row, i) => {
    const code = row.values.code as string;
    const region = chosen[i];
    if (!region)
      return out.invalid.push(
        invalid(row, 'geometry', 'the feature lies in no community; give its community in a column', code),
      );
    const found = info.get(region);
    if (!found)
      return out.invalid.push(invalid(row, regionField, `${regionField}: no region has code ${region}`, code));
    requireFeatureStreet(ctx.user, row, code, found.street);
    placed.push({ row, code, region });
  });
  return placed;
}

const STATION_FIELDS = ['name', 'kind', 'region_code', 'address', 'opening_hours', 'services', 'phone'] as const;

export async function importStations(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  const out = emptyOutcome();
  const points = rows.filter((r) => {
    if (r.geometry?.type === 'Point') return true;
    out.invalid.push(
      invalid(
        r,
        'geometry',
        `geometry: a station is a Point, got ${r.geometry?.type ?? 'none'}`,
        r.values.code as string,
      ),
    );
    return false;
  });
  const stored = await storedByCode<Record<string, unknown>>(
    trx,
    'stations',
    STATION_FIELDS,
    points.map((r) => ({ code: r.values.code as string, geometry: r.geometry })),
  );
  const regions = new Map([...stored].map(([code, s]) => [code, { region: s.region_code as string }]));
  for (const { row, code, region } of await place(trx, ctx, points, 'region_code', regions, out)) {
    const before = stored.get(code);
    const values: Record<string, FieldValue> = { ...row.values, region_code: region };
    const geom = stGeomFromGeoJSON(row.geometry!);
    if (before) {
      const set = updateOf(
        values,
        before,
        STATION_FIELDS,
        (f) => (f === 'phone' ? null : f === 'services' ? [] : ''),
        geom,
        out,
      );
      if (set) await trx.updateTable('stations').set(set).where('code', '=', code).execute();
    } else {
      out.create++;
      await trx
        .insertInto('stations')
        .values({
          code,
          name: values.name as string,
          kind: values.kind as never,
          region_code: region,
          address: (values.address as string) ?? '',
          opening_hours: (values.opening_hours as string) ?? '',
          services: (values.services as string[]) ?? [],
          phone: (values.phone as string) ?? null,
          geom,
        })
        .execute();
    }
  }
  return out;
}

const BUILDING_FIELDS = ['name', 'community_code', 'compound_code', 'households', 'units'] as const;

export async function importBuildings(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  const out = emptyOutcome();
  const reasons = await validityReasons(
    trx,
    rows.map((r) => r.geometry),
  );
  const shaped = rows.filter((r, i) => {
    const code = r.values.code as string;
    if (r.geometry?.type === 'MultiPolygon' && r.geometry.coordinates.length === 1)
      r.geometry = { type: 'Polygon', coordinates: r.geometry.coordinates[0]! };
    if (r.geometry?.type !== 'Polygon' && r.geometry?.type !== 'Point') {
      return !out.invalid.push(
        invalid(r, 'geometry', `geometry: a building is a Polygon or a Point, got ${r.geometry?.type ?? 'none'}`, code),
      );
    }
    if (reasons[i])
      return !out.invalid.push(
        invalid(r, 'geometry', `geometry: invalid (${reasons[i]}); it is never repaired silently`, code),
      );
    return true;
  });
  const stored = await storedByCode<Record<string, unknown>>(
    trx,
    'buildings',
    BUILDING_FIELDS,
    shaped.map((r) => ({ code: r.values.code as string, geometry: r.geometry })),
  );
  const regions = new Map([...stored].map(([code, s]) => [code, { region: s.community_code as string }]));
  const compounds = new Set((await trx.selectFrom('compounds').select('code').execute()).map((c) => c.code));
  for (const { row, code, region } of await place(trx, ctx, shaped, 'community_code', regions, out)) {
    const values: Record<string, FieldValue> = { ...row.values, community_code: region };
    if (values.compound_code && !compounds.has(values.compound_code as string)) {
      out.invalid.push(
        invalid(row, 'compound_code', `compound_code: no compound has code ${String(values.compound_code)}`, code),
      );
      continue;
    }
    const before = stored.get(code);
    const geom = stGeomFromGeoJSON(row.geometry!);
    if (before) {
      const set = updateOf(values, before, BUILDING_FIELDS, (f) => (f === 'compound_code' ? null : 0), geom, out);
      if (set) await trx.updateTable('buildings').set(set).where('code', '=', code).execute();
    } else {
      out.create++;
      await trx
        .insertInto('buildings')
        .values({
          code,
          name: values.name as string,
          community_code: region,
          compound_code: (values.compound_code as string) ?? null,
          households: (values.households as number) ?? 0,
          units: (values.units as number) ?? 1,
          geom,
        })
        .execute();
    }
  }
  return out;
}

/**
 * What a feature changes in its stored row: the changed fields (a missing value as `blank(f)`)
 * and the geometry when it moved. Null, counted as unchanged, when it changes nothing.
 */
function updateOf(
  values: Record<string, FieldValue>,
  before: Record<string, unknown> & { distance: number | null },
  fields: readonly string[],
  blank: (field: string) => unknown,
  geom: RawBuilder<string>,
  out: LayerOutcome,
): Record<string, unknown> | null {
  const changed = changedFields(values, before, fields);
  const moved = !sameGeometry(before.distance);
  if (changed.length === 0 && !moved) {
    out.unchanged++;
    return null;
  }
  out.update++;
  const set: Record<string, unknown> = Object.fromEntries(changed.map((f) => [f, values[f] ?? blank(f)]));
  if (moved) set.geom = geom;
  return set;
}

export { sameGeometry };
