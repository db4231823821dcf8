/**
 * The geometry of a repair, done by PostGIS on the draft's view of the grids (grid-source.ts)
 * with the project gridSize on every overlay (DESIGN.md trap 1); outlines leave through
 * stOnGrid (db/precision.ts) like every other written outline.
 *
 * The piece is recomputed exactly from the grids (a problem's GeoJSON carries 9 decimals,
 * not the stored doubles): a gap is the community minus the grids around it, the part that
 * holds the problem's point; an overlap is the intersection of its two grids.
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import { draftSource } from '../validation/grid-source.ts';
import { gridsOf } from '../validation/grid-source.queries.ts';
import type { RepairCandidate, RepairKind } from './repair-plan.ts';

const fromHex = (hex: string) => sql`ST_GeomFromEWKB(decode(${hex}, 'hex'))`;

/** The exact piece (hex EWKB) of a gap or overlap in the draft, or null when it is gone. */
export async function exactPiece(
  db: Kysely<DB>,
  draftId: number,
  problem: { kind: RepairKind; community: string; grids: readonly string[]; geometry: Geometry },
): Promise<string | null> {
  const source = gridsOf(draftSource(draftId));
  if (problem.kind === 'overlap') {
    const [a, b] = problem.grids;
    const { rows } = await sql<{ ewkb: string | null }>`
      WITH p AS (SELECT ST_CollectionExtract(ST_Intersection(a.geom, b.geom, ${GRID_SIZE}::float8), 3) AS g
                 FROM ${source} a, ${source} b WHERE a.code = ${a!} AND b.code = ${b!})
      SELECT CASE WHEN ST_IsEmpty(g) THEN NULL ELSE encode(ST_AsEWKB(g), 'hex') END AS ewkb FROM p`.execute(db);
    return rows[0]?.ewkb ?? null;
  }
  const approx = sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(problem.geometry)}), 4326)`;
  const { rows } = await sql<{ ewkb: string }>`
    WITH a AS (SELECT ${approx} AS g),
    near AS (SELECT ST_Union(g.geom, ${GRID_SIZE}::float8) AS u FROM ${source} g, a
             WHERE g.community_code = ${problem.community} AND g.geom && ST_Expand(a.g, 1e-6)),
    pieces AS (
      SELECT (ST_Dump(ST_CollectionExtract(CASE WHEN near.u IS NULL THEN c.geom
                                                ELSE ST_Difference(c.geom, near.u, ${GRID_SIZE}::float8) END, 3))).geom AS g
      FROM regions c, near WHERE c.code = ${problem.community})
    SELECT encode(ST_AsEWKB(p.g), 'hex') AS ewkb FROM pieces p, a
    WHERE ST_Intersects(p.g, ST_PointOnSurface(a.g))
    ORDER BY ST_Area(p.g) DESC LIMIT 1`.execute(db);
  return rows[0]?.ewkb ?? null;
}

/**
 * Grids of the draft around a piece, each with the length of the piece's outline it shares
 * (with what is left of the grid outside the piece) and whether it covers part of the piece.
 */
export async function repairCandidates(
  db: Kysely<DB>,
  draftId: number,
  piece: string,
): Promise<(RepairCandidate & { community: string })[]> {
  const { rows } = await sql<RepairCandidate & { community: string }>`
    WITH p AS (SELECT ${fromHex(piece)} AS g)
    SELECT g.code, g.community_code AS community,
           coalesce(ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(p.g),
             ST_Difference(g.geom, p.g, ${GRID_SIZE}::float8), ${GRID_SIZE}::float8), 2)::geography), 0)::float8 AS "sharedM",
           ST_Relate(g.geom, p.g, '2********') AS overlapping
    FROM ${gridsOf(draftSource(draftId))} g, p
    WHERE g.geom && ST_Expand(p.g, 1e-7)
    ORDER BY g.code`.execute(db);
  return rows;
}

export interface RepairedOutline {
  ewkb: string;
  parts: number;
  empty: boolean;
}

/** The target with the piece added: counter-clockwise, on the stored grid. */
export async function withPiece(db: Kysely<DB>, target: string, piece: string): Promise<RepairedOutline> {
  return outline(db, sql`ST_Union(${fromHex(target)}, ${fromHex(piece)}, ${GRID_SIZE}::float8)`);
}

/**
 * A grid that shared the piece, less the target: subtracting the target's own outline (not
 * the piece) puts the target's exact vertices on the new boundary, so the edges match.
 */
export async function withoutTarget(db: Kysely<DB>, grid: string, target: string): Promise<RepairedOutline> {
  return outline(db, sql`ST_Difference(${fromHex(grid)}, ${fromHex(target)}, ${GRID_SIZE}::float8)`);
}

async function outline(db: Kysely<DB>, expr: ReturnType<typeof sql>): Promise<RepairedOutline> {
  const { rows } = await sql<RepairedOutline>`
    WITH s AS (SELECT ST_ForcePolygonCCW(ST_Multi(ST_RemoveRepeatedPoints(${stOnGrid(sql`ST_CollectionExtract(${expr}, 3)`)}))) AS g)
    SELECT encode(ST_AsEWKB(g), 'hex') AS ewkb, ST_NumGeometries(g)::int AS parts, ST_IsEmpty(g) AS empty FROM s`.execute(
    db,
  );
  return rows[0]!;
}

/** Parts of a stored outline. */
export async function partsOf(db: Kysely<DB>, ewkb: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT ST_NumGeometries(${fromHex(ewkb)})::int AS n`.execute(db);
  return rows[0]!.n;
}

/** Which of the points ([lon, lat]) lie in a region: a polygon (GeoJSON) or a region code's subtree. */
export async function pointsInRegion(
  db: Kysely<DB>,
  points: readonly [number, number][],
  region: Geometry | string,
): Promise<boolean[]> {
  if (points.length === 0) return [];
  const within =
    typeof region === 'string'
      ? sql`(SELECT geom FROM regions WHERE code = ${region})`
      : sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(region)}), 4326)`;
  const { rows } = await sql<{ i: number; inside: boolean }>`
    SELECT t.i::int AS i, coalesce(ST_Intersects(${within}, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326)), false) AS inside
    FROM unnest(${points.map((p) => p[0])}::float8[], ${points.map((p) => p[1])}::float8[]) WITH ORDINALITY AS t (x, y, i)
    ORDER BY t.i`.execute(db);
  return rows.map((r) => r.inside);
}
