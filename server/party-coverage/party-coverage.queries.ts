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

/**
 * The queries below take the region's communities as one array parameter rather than a
 * recursive subquery each: the planner then sees how few they are, and a street of a
 * 100,000-grid city stays an index look-up.
 */
export async function communityCounts(db: Kysely<DB>, communities: string[]): Promise<CommunityCounts[]> {
  const { rows } = await sql<CommunityCounts>`
    SELECT g.community_code,
           count(*)::int AS grids,
           (count(*) FILTER (WHERE c.n >= 1))::int AS covered,
           (count(*) FILTER (WHERE c.n >= 2))::int AS claimed_twice,
           coalesce(sum(g.households), 0)::int AS households,
           coalesce(sum(g.households) FILTER (WHERE c.n >= 1), 0)::int AS households_covered
    FROM grids g CROSS JOIN ${claims}
    WHERE g.community_code = ANY(${communities}::text[])
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
export async function problemGrids(db: Kysely<DB>, communities: string[]): Promise<ProblemGridRow[]> {
  const { rows } = await sql<ProblemGridRow>`
    SELECT g.code, g.name, g.community_code, g.households, c.orgs AS party_orgs,
           ST_AsGeoJSON(g.geom, 7)::json AS geometry
    FROM grids g CROSS JOIN ${claims}
    WHERE g.community_code = ANY(${communities}::text[]) AND c.n <> 1
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
export async function orgGrids(db: Kysely<DB>, communities: string[]): Promise<OrgGridRow[]> {
  const { rows } = await sql<OrgGridRow>`
    WITH orgs AS (
      SELECT o.code FROM party_orgs o
      WHERE o.kind IN ('branch', 'group') AND o.community_code = ANY(${communities}::text[])
      UNION
      SELECT og.org_code FROM org_grids og JOIN grids g ON g.code = og.grid_code
      JOIN party_orgs o ON o.code = og.org_code
      WHERE o.kind IN ('branch', 'group') AND g.community_code = ANY(${communities}::text[]))
    SELECT o.code AS org_code, o.name, o.kind, o.community_code AS org_community,
           og.grid_code, g.community_code AS grid_community
    FROM orgs JOIN party_orgs o ON o.code = orgs.code
    JOIN org_grids og ON og.org_code = o.code JOIN grids g ON g.code = og.grid_code
    ORDER BY o.code, og.grid_code`.execute(db);
  return rows;
}

/**
 * Which of the candidate pairs (grids of one organisation) share an edge: boundaries
 * meeting in a line (DE-9IM boundary/boundary dimension 1) or interiors overlapping.
 * Touching at a corner only is not sharing an edge. ST_Relate is a predicate, not an
 * overlay, so trap 1's gridSize does not apply. The pairs come from the caller, so each
 * is two look-ups by grid code whatever the size of the city.
 */
export async function sharedEdges(
  db: Kysely<DB>,
  pairs: readonly (readonly [string, string])[],
): Promise<{ a: string; b: string }[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<{ a: string; b: string }>`
    SELECT p.a, p.b
    FROM unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) AS p(a, b)
    JOIN grids ga ON ga.code = p.a
    JOIN grids gb ON gb.code = p.b
    WHERE ga.geom && gb.geom
      AND (ST_Relate(ga.geom, gb.geom, '****1****') OR ST_Relate(ga.geom, gb.geom, '2********'))`.execute(db);
  return rows;
}
