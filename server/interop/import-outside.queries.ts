/**
 * How far an imported outline reaches outside its community, as the precision model measures
 * it (server/db/precision.ts): before the write for a strict import, after it for an import
 * as it is.
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { OutsidePart } from '../db/precision.ts';
import { outsidePart, stOnGrid } from '../db/precision.queries.ts';

const communityOutline = (community: string) => sql`(SELECT geom FROM regions WHERE code = ${community})`;

/**
 * What of a file's outline (rounded to the stored grid) lies outside the community; null when
 * the outline is invalid and cannot be differenced.
 */
export async function outlineOutsideCommunity(
  db: Kysely<DB>,
  geometry: Geometry | null,
  community: string,
): Promise<OutsidePart | null> {
  const geom = stOnGrid(sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`);
  const {
    rows: [valid],
  } = await sql<{ ok: boolean }>`SELECT ST_IsValid(${geom}) AS ok`.execute(db);
  if (!valid?.ok) return null;
  return outsidePart(db, geom, communityOutline(community));
}

/** What of a published grid lies outside the community. */
export async function gridOutsideCommunity(db: Kysely<DB>, code: string, community: string): Promise<OutsidePart> {
  return outsidePart(db, sql`(SELECT geom FROM grids WHERE code = ${code})`, communityOutline(community));
}
