/**
 * Imports of regions (admin only: districts, streets, communities, written top down so a
 * file may bring a parent and its children) and of a region's roads (replaced as a whole
 * through server/roads replaceRoads, unless the file holds exactly the roads stored).
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry, LineString } from 'geojson';
import type { DB } from '../db/schema.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { forbidden } from '../auth/permissions.ts';
import { replaceRoads, streetOfRegion, type RoadInput, type RoadKind } from '../roads/roads.queries.ts';
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
import { regionInfo, sameGeometry, storedByCode, validityReasons } from './import-layers.queries.ts';

type Trx = Kysely<DB>;
const LEVELS = ['district', 'street', 'community'] as const;
const PARENT_LEVEL = { district: null, street: 'district', community: 'street' } as const;

export async function importRegions(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  if (ctx.user.role !== 'admin') throw forbidden('Only an admin imports regions');
  const out = emptyOutcome();
  const reasons = await validityReasons(
    trx,
    rows.map((r) => r.geometry),
  );
  const polygonal = rows.filter((r, i) => {
    const code = r.values.code as string;
    if (r.geometry?.type !== 'Polygon' && r.geometry?.type !== 'MultiPolygon') {
      return !out.invalid.push(
        invalid(
          r,
          'geometry',
          `geometry: a region is a Polygon or MultiPolygon, got ${r.geometry?.type ?? 'none'}`,
          code,
        ),
      );
    }
    if (reasons[i])
      return !out.invalid.push(
        invalid(r, 'geometry', `geometry: invalid (${reasons[i]}); it is never repaired silently`, code),
      );
    return true;
  });
  const stored = await storedByCode<{ name: string; level: string; parent_code: string | null }>(
    trx,
    'regions',
    ['name', 'level', 'parent_code'],
    polygonal.map((r) => ({ code: r.values.code as string, geometry: r.geometry })),
  );
  const ordered = [...polygonal].sort(
    (a, b) => LEVELS.indexOf(a.values.level as never) - LEVELS.indexOf(b.values.level as never) || a.index - b.index,
  );
  for (const row of ordered) {
    const code = row.values.code as string;
    const level = row.values.level as (typeof LEVELS)[number];
    const parentCode = (row.values.parent_code as string | null) ?? null;
    const want = PARENT_LEVEL[level];
    const parent = parentCode ? (await regionInfo(trx, [parentCode])).get(parentCode) : undefined;
    if (want === null && parentCode) {
      out.invalid.push(invalid(row, 'parent_code', 'parent_code: a district has no parent region here', code));
      continue;
    }
    if (want !== null && parent?.level !== want) {
      out.invalid.push(
        invalid(
          row,
          'parent_code',
          `parent_code: a ${level} needs a ${want} as parent${parentCode ? `; ${parentCode} is ${parent ? `a ${parent.level}` : 'not a region'}` : ''}`,
          code,
        ),
      );
      continue;
    }
    const before = stored.get(code);
    const geom = sql<string>`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(row.geometry)}), 4326))`;
    if (before) {
      const changed = changedFields(row.values, before, ['name', 'level', 'parent_code']);
      const moved = !sameGeometry(before.distance);
      if (changed.length === 0 && !moved) {
        out.unchanged++;
        continue;
      }
      out.update++;
      const set: Record<string, unknown> = Object.fromEntries(changed.map((f) => [f, row.values[f] ?? null]));
      if (moved) set.geom = geom;
      await trx.updateTable('regions').set(set).where('code', '=', code).execute();
    } else {
      out.create++;
      await trx
        .insertInto('regions')
        .values({ code, name: row.values.name as string, level, parent_code: parentCode, geom })
        .execute();
    }
  }
  return out;
}

/** The lines of a LineString or MultiLineString feature. */
const linesOf = (g: Geometry | null): LineString['coordinates'][] =>
  g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];

export async function importRoads(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  const out = emptyOutcome();
  if (!ctx.region)
    throw badRequest(
      'region',
      'region is required for roads: the 12-digit code of the region whose roads the file replaces',
    );
  const found = await streetOfRegion(trx, ctx.region);
  if (!found) throw notFound('Region', ctx.region);
  if (rows[0]) requireFeatureStreet(ctx.user, rows[0], undefined, found.street);
  const roads: RoadInput[] = [];
  for (const row of rows) {
    const lines = linesOf(row.geometry);
    if (lines.length === 0 || lines.some((l) => l.length < 2)) {
      out.invalid.push(
        invalid(
          row,
          'geometry',
          `geometry: a road is a LineString or MultiLineString, got ${row.geometry?.type ?? 'none'}`,
          row.values.code as string | undefined,
        ),
      );
      continue;
    }
    for (const coordinates of lines) {
      roads.push({
        code: (row.values.code as string | null) ?? null,
        name: (row.values.name as string | null) ?? null,
        kind: (row.values.kind as RoadKind | null) ?? 'road',
        coordinates: coordinates.map((p) => [p[0]!, p[1]!] as [number, number]),
      });
    }
  }
  if (await sameRoads(trx, ctx.region, roads)) {
    out.unchanged = rows.length;
    return out;
  }
  const {
    rows: [stored],
  } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM roads WHERE region_code = ${ctx.region}`.execute(trx);
  if (stored!.n > 0)
    out.warnings.push(`The ${stored!.n} roads stored for region ${ctx.region} are replaced by the file's`);
  out.create = rows.length - out.invalid.length;
  if (out.invalid.length === 0) await replaceRoads(trx, ctx.region, roads);
  return out;
}

/** Whether the region's stored roads are the file's: same count, and each line matched by code, name, kind and geometry (1 cm). */
async function sameRoads(trx: Trx, region: string, roads: readonly RoadInput[]): Promise<boolean> {
  const { rows } = await sql<{ unmatched: number; stored: number }>`
    WITH f AS (SELECT * FROM unnest(${roads.map((r) => r.code)}::text[], ${roads.map((r) => r.name)}::text[], ${roads.map((r) => r.kind)}::text[],
                                    ${roads.map((r) => JSON.stringify({ type: 'LineString', coordinates: r.coordinates }))}::text[]) AS f(code, name, kind, g))
    SELECT (SELECT count(*)::int FROM f WHERE NOT EXISTS (
              SELECT 1 FROM roads r WHERE r.region_code = ${region} AND r.code IS NOT DISTINCT FROM f.code AND r.name IS NOT DISTINCT FROM f.name
                AND r.kind = f.kind AND ST_HausdorffDistance(r.geom, ST_SetSRID(ST_GeomFromGeoJSON(f.g), 4326)) <= ${SAME_GEOMETRY_DEGREES}::float8)) AS unmatched,
           (SELECT count(*)::int FROM roads WHERE region_code = ${region}) AS stored`.execute(trx);
  return rows[0]!.unmatched === 0 && rows[0]!.stored === roads.length;
}
