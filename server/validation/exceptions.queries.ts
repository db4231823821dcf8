/**
 * Allowed gaps (允许的缝隙, ADR 0013): a gap an admin marked as intended (a river, a rail
 * yard) is listed apart and is not an error, for the report, the draft check and publish
 * alike. A gap is allowed when an active exception of its community names its stable id or
 * holds its point (so a gap drawn by hand as an area, or one whose id moved by a
 * millimetre, stays allowed). Removing an exception keeps its row: who, when and why.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { TilingException } from '../../common/contracts/repairs.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import { isGapProblem } from '../../common/rules/problem-types.ts';

/** The id an exception keeps for a gap: a sliver's id without its prefix. */
export const baseProblemId = (id: string) => id.replace(/^sliver:/, '');

/** Problems split into those that count and the gaps an active exception allows. */
export async function splitAllowed(
  db: Kysely<DB>,
  problems: readonly ProblemFeature[],
): Promise<{ kept: ProblemFeature[]; allowed: ProblemFeature[] }> {
  const gaps = problems.filter(isGapProblem);
  if (gaps.length === 0) return { kept: [...problems], allowed: [] };
  const { rows } = await sql<{ i: number }>`
    SELECT t.i::int AS i
    FROM unnest(${gaps.map((p) => baseProblemId(p.properties.id))}::text[], ${gaps.map((p) => p.properties.community_code)}::text[],
                ${gaps.map((p) => p.properties.point[0])}::float8[], ${gaps.map((p) => p.properties.point[1])}::float8[])
         WITH ORDINALITY AS t (id, community, x, y, i)
    WHERE EXISTS (SELECT 1 FROM tiling_exceptions e
                  WHERE e.community_code = t.community AND e.removed_at IS NULL
                    AND (e.problem_id = t.id OR ST_Intersects(e.geom, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326))))`.execute(
    db,
  );
  const allowedIds = new Set(rows.map((r) => gaps[r.i - 1]!.properties.id));
  return {
    kept: problems.filter((p) => !allowedIds.has(p.properties.id)),
    allowed: problems.filter((p) => allowedIds.has(p.properties.id)),
  };
}

const columns = sql`e.id, e.community_code, e.problem_id, ST_AsGeoJSON(e.geom, 9)::json AS geometry, e.area_m2::float8 AS "areaM2", e.reason,
  cu.username AS created_by, e.created_at::text AS created_at, ru.username AS removed_by, e.removed_at::text AS removed_at, e.removal_reason`;

/** Record an exception: the gap's area (GeoJSON, made valid and put on the stored grid), its community, why. */
export async function insertException(
  db: Kysely<DB>,
  input: { community: string; problemId: string | null; geometry: object; reason: string; userId: number },
): Promise<TilingException> {
  const geom = stOnGrid(
    sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(input.geometry)}), 4326)), 3))`,
  );
  const { rows } = await sql<{ id: number }>`
    WITH g AS (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(${geom}), 3)) AS g)
    INSERT INTO tiling_exceptions (community_code, problem_id, geom, area_m2, reason, created_by)
    SELECT ${input.community}, ${input.problemId}, g.g, ST_Area(g.g::geography), ${input.reason}, ${input.userId} FROM g
    RETURNING id`.execute(db);
  return (await getException(db, rows[0]!.id))!;
}

export async function getException(db: Kysely<DB>, id: number): Promise<TilingException | undefined> {
  const { rows } = await sql<TilingException>`
    SELECT ${columns} FROM tiling_exceptions e JOIN users cu ON cu.id = e.created_by LEFT JOIN users ru ON ru.id = e.removed_by
    WHERE e.id = ${id}`.execute(db);
  return rows[0];
}

/** Mark an exception removed (the row stays as the log); false when it was not active. */
export async function markRemoved(db: Kysely<DB>, id: number, userId: number, reason: string | null): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`
    UPDATE tiling_exceptions SET removed_by = ${userId}, removed_at = now(), removal_reason = ${reason}
    WHERE id = ${id} AND removed_at IS NULL RETURNING id`.execute(db);
  return rows.length > 0;
}

/** Exceptions of the communities under a region code (or all), active and removed, newest first. */
export async function listExceptions(db: Kysely<DB>, region?: string): Promise<TilingException[]> {
  const { rows } = await sql<TilingException>`
    SELECT ${columns} FROM tiling_exceptions e JOIN users cu ON cu.id = e.created_by LEFT JOIN users ru ON ru.id = e.removed_by
    WHERE ${region ? sql`e.community_code IN ${subtreeCodes(region)}` : sql`true`}
    ORDER BY e.id DESC LIMIT 1000`.execute(db);
  return rows;
}

/** The community holding a point of `geometry` (its point on surface), if any. */
export async function communityOf(db: Kysely<DB>, geometry: object): Promise<string | undefined> {
  const { rows } = await sql<{ code: string }>`
    SELECT code FROM regions WHERE level = 'community'
      AND ST_Intersects(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)))
    ORDER BY code LIMIT 1`.execute(db);
  return rows[0]?.code;
}

/** A region's level (undefined: no such region). */
export async function regionLevel(db: Kysely<DB>, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ level: string }>`SELECT level FROM regions WHERE code = ${code}`.execute(db);
  return rows[0]?.level;
}
