/**
 * The rows party coverage is computed from: the region tree, per-community grid counts,
 * the problem grids, and the grids (with their shared edges) of every grid-level
 * organisation touching the region. Each is one query, whatever the number of grids.
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { PartyOrgKind, RegionLevel } from '../../common/domain.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';

/** Only branches and groups are "built on" grids (党支部 / 党小组). */
export const GRID_LEVEL_KINDS = ['branch', 'group'] as const;

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
}

export async function regionSubtree(db: Kysely<DB>, code: string): Promise<RegionRow[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', 'in', subtreeCodes(code))
    .orderBy('code')
    .execute() as Promise<RegionRow[]>;
}

export interface CommunityCounts {
  community_code: string;
  grids: number;
  covered: number;
  claimed_twice: number;
  households: number;
  households_covered: number;
}

/** How many grid-level organisations claim each grid, as a lateral count on org_grids' grid index. */
const claims = sql`LATERAL (
    SELECT count(*)::int AS n, coalesce(array_agg(og.org_code ORDER BY og.org_code), '{}') AS orgs
    FROM org_grids og JOIN party_orgs o ON o.code = og.org_code
    WHERE og.grid_code = g.code AND o.kind IN ('branch', 'group')) c`;

export async function communityCounts(db: Kysely<DB>, region: string): Promise<CommunityCounts[]> {
  const { rows } = await sql<CommunityCounts>`
    SELECT g.community_code,
           count(*)::int AS grids,
           (count(*) FILTER (WHERE c.n >= 1))::int AS covered,
           (count(*) FILTER (WHERE c.n >= 2))::int AS claimed_twice,
           coalesce(sum(g.households), 0)::int AS households,
           coalesce(sum(g.households) FILTER (WHERE c.n >= 1), 0)::int AS households_covered
    FROM grids g CROSS JOIN ${claims}
    WHERE g.community_code IN ${subtreeCodes(region)}
    GROUP BY g.community_code`.execute(db);
  return rows;
}

export interface ProblemGridRow {
  code: string;
  name: string;
  community_code: string;
  households: number;
  party_orgs: string[];
  geometry: MultiPolygon;
}

/** Grids with no grid-level organisation or with two or more. */
export async function problemGrids(db: Kysely<DB>, region: string): Promise<ProblemGridRow[]> {
  const { rows } = await sql<ProblemGridRow>`
    SELECT g.code, g.name, g.community_code, g.households, c.orgs AS party_orgs,
           ST_AsGeoJSON(g.geom, 7)::json AS geometry
    FROM grids g CROSS JOIN ${claims}
    WHERE g.community_code IN ${subtreeCodes(region)} AND c.n <> 1
    ORDER BY g.code`.execute(db);
  return rows;
}

export interface OrgGridRow {
  org_code: string;
  name: string;
  kind: PartyOrgKind;
  org_community: string;
  grid_code: string;
  grid_community: string;
}

/**
 * Every grid of every grid-level organisation that belongs to a community of the region
 * or holds a grid in it (its grids outside the region too, so pieces are counted whole).
 */
export async function orgGrids(db: Kysely<DB>, region: string): Promise<OrgGridRow[]> {
  const { rows } = await sql<OrgGridRow>`
    WITH orgs AS (
      SELECT o.code FROM party_orgs o
      WHERE o.kind IN ('branch', 'group') AND o.community_code IN ${subtreeCodes(region)}
      UNION
      SELECT og.org_code FROM org_grids og JOIN grids g ON g.code = og.grid_code
      JOIN party_orgs o ON o.code = og.org_code
      WHERE o.kind IN ('branch', 'group') AND g.community_code IN ${subtreeCodes(region)})
    SELECT o.code AS org_code, o.name, o.kind, o.community_code AS org_community,
           og.grid_code, g.community_code AS grid_community
    FROM orgs JOIN party_orgs o ON o.code = orgs.code
    JOIN org_grids og ON og.org_code = o.code JOIN grids g ON g.code = og.grid_code
    ORDER BY o.code, og.grid_code`.execute(db);
  return rows;
}

/**
 * Pairs of grids of one organisation that share an edge: boundaries meeting in a line
 * (DE-9IM boundary/boundary dimension 1) or interiors overlapping. Touching at a corner
 * only is not sharing an edge. ST_Relate is a predicate, not an overlay, so trap 1's
 * gridSize does not apply here.
 */
export async function sharedEdges(db: Kysely<DB>, orgCodes: string[]): Promise<{ a: string; b: string }[]> {
  if (orgCodes.length === 0) return [];
  const { rows } = await sql<{ a: string; b: string }>`
    SELECT DISTINCT x.grid_code AS a, y.grid_code AS b
    FROM org_grids x
    JOIN org_grids y ON y.org_code = x.org_code AND y.grid_code > x.grid_code
    JOIN grids gx ON gx.code = x.grid_code
    JOIN grids gy ON gy.code = y.grid_code
    WHERE x.org_code = ANY(${orgCodes}::text[])
      AND gx.geom && gy.geom
      AND (ST_Relate(gx.geom, gy.geom, '****1****') OR ST_Relate(gx.geom, gy.geom, '2********'))`.execute(db);
  return rows;
}
