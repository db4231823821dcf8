/**
 * The attribute rules of the grid system, checked fresh on every run (they are cheap):
 * a residential grid holds 300–500 households (bounds per district, in settings), every
 * grid has a grid-level party organisation (a branch or a group) and a grid worker.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { boundsFor, type HouseholdBoundsSetting } from '../../common/rules/household-band.ts';
import type { Point } from 'geojson';

export interface AttributeRow {
  grid: string;
  community: string;
  kind: string;
  households: number;
  min: number;
  max: number;
  has_party: boolean;
  has_worker: boolean;
  point: Point;
}

/** Grids of the given communities that break at least one attribute rule. */
export async function findAttributeProblems(
  db: Kysely<DB>,
  communities: string[],
  setting: HouseholdBoundsSetting,
): Promise<AttributeRow[]> {
  if (communities.length === 0) return [];
  const def = boundsFor(setting, null);
  // The band test here only narrows the rows (a cheap prefilter, the same comparison as
  // bandOf); which rows are household problems is decided by householdBand in the engine.
  const { rows } = await sql<AttributeRow>`
    WITH a AS (
      SELECT g.code, g.community_code, g.kind, g.households, g.geom,
        coalesce((${JSON.stringify(setting)}::jsonb -> (left(g.code, 6) || '000000') ->> 'min')::int, ${def.min}::int) AS min,
        coalesce((${JSON.stringify(setting)}::jsonb -> (left(g.code, 6) || '000000') ->> 'max')::int, ${def.max}::int) AS max,
        EXISTS (SELECT 1 FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
                WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group')) AS has_party,
        EXISTS (SELECT 1 FROM grid_workers w
                WHERE w.grid_code = g.code AND w.role IN ('full_time', 'part_time')) AS has_worker
      FROM grids g WHERE g.community_code = ANY(${communities}::text[])
    )
    SELECT a.code AS grid, a.community_code AS community, a.kind, a.households, a.min, a.max, a.has_party, a.has_worker,
           ST_AsGeoJSON(ST_PointOnSurface(a.geom), 7)::json AS point
    FROM a
    WHERE (a.kind <> 'commercial' AND (a.households < a.min OR a.households > a.max))
       OR NOT a.has_party OR NOT a.has_worker`.execute(db);
  return rows;
}
