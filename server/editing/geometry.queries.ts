/**
 * The geometry of editing, done by PostGIS (ST_Split, ST_Union, ST_Snap, ST_CoveredBy) with
 * the project gridSize on every overlay (DESIGN.md trap 1). Geometry goes in and out as hex
 * EWKB so coordinates are exact. GEOS returns overlay shells clockwise: every outline written
 * is forced counter-clockwise, as RFC 7946 readers expect, and rounded to the stored grid
 * (db/precision.ts, ADR 0011): this file is the write edge of every grid outline.
 */
import { sql, type Kysely } from 'kysely';
import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import { isNegligibleOutside, type OutsidePart } from '../db/precision.ts';
import { outsidePart, stOnGrid } from '../db/precision.queries.ts';
import { badRequest, HttpError } from '../http/errors.ts';
import { invalidGeometry } from '../http/geojson.ts';

const fromHex = (hex: string) => sql`ST_GeomFromEWKB(decode(${hex}, 'hex'))`;

export interface Part {
  ewkb: string;
  geometry: MultiPolygon;
  areaM2: number;
  /** Households of the buildings whose point on surface falls in the part. */
  buildingHouseholds: number;
  buildings: number;
}

/** The pieces of a grid cut by a line (two or more, else a 400). */
export async function splitByLine(
  db: Kysely<DB>,
  gridEwkb: string,
  line: LineString | MultiLineString,
): Promise<Part[]> {
  const { rows } = await sql<Part>`
    WITH parts AS (
      SELECT ST_ForcePolygonCCW(ST_Multi(${stOnGrid(sql`(ST_Dump(ST_CollectionExtract(
               ST_Split(${fromHex(gridEwkb)}, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(line)}), 4326)), 3))).geom`)})) AS g
    )
    SELECT encode(ST_AsEWKB(p.g), 'hex') AS ewkb, ST_AsGeoJSON(p.g, 7)::json AS geometry,
           ST_Area(p.g::geography)::float8 AS "areaM2", b.households AS "buildingHouseholds", b.buildings
    FROM parts p CROSS JOIN LATERAL (
      SELECT count(*)::int AS buildings, coalesce(sum(bd.households), 0)::int AS households FROM buildings bd
      WHERE bd.geom && p.g AND ST_Intersects(p.g, ST_PointOnSurface(bd.geom))) b
    ORDER BY ST_XMin(p.g), ST_YMin(p.g)`.execute(db);
  if (rows.length < 2)
    throw badRequest('line', 'line: the line does not cut the grid into two or more parts (draw it right across)');
  return rows;
}

/** The union of adjacent grids as one piece (a 400 when they do not touch along an edge). */
export async function mergeOutlines(
  db: Kysely<DB>,
  ewkbs: readonly string[],
): Promise<{ ewkb: string; parts: number }> {
  const { rows } = await sql<{ ewkb: string; parts: number }>`
    WITH u AS (
      -- A split leaves cut points on the outline, computed 1e-11° off the original edge;
      -- dropping points within 1e-9° (0.1 mm) of a straight line puts back the exact
      -- original vertices, so split-then-merge returns the outline it started from.
      SELECT ST_ForcePolygonCCW(ST_Multi(${stOnGrid(sql`ST_SimplifyPreserveTopology(ST_Union(ST_GeomFromEWKB(decode(h, 'hex')), ${GRID_SIZE}::float8), 1e-9)`)})) AS g
      FROM unnest(${ewkbs}::text[]) AS h)
    SELECT encode(ST_AsEWKB(g), 'hex') AS ewkb, ST_NumGeometries(g)::int AS parts FROM u`.execute(db);
  const row = rows[0]!;
  if (row.parts !== 1) throw badRequest('codes', 'codes: the grids are not adjacent (their union is not one piece)');
  return row;
}

/** Households of the buildings whose point on surface falls inside. */
export async function householdsFromBuildings(db: Kysely<DB>, ewkb: string): Promise<number> {
  const { rows } = await sql<{ households: number }>`
    SELECT coalesce(sum(bd.households), 0)::int AS households FROM buildings bd
    WHERE bd.geom && ${fromHex(ewkb)} AND ST_Intersects(${fromHex(ewkb)}, ST_PointOnSurface(bd.geom))`.execute(db);
  return rows[0]!.households;
}

export interface Candidate {
  ewkb: string;
  valid: boolean;
  reason: string | null;
  /** Inside the street within the precision model's tolerance (db/precision.ts). */
  insideStreet: boolean;
  /** What lies outside the street (0, 0 when nothing does). */
  outside: OutsidePart;
}

/**
 * An outline outside its street: a 422 naming the street and how far it reaches, for every
 * role (403 is only for who you are, never for where a geometry lies).
 */
export function outsideStreet(street: string, outside?: OutsidePart): HttpError {
  const how =
    outside && outside.areaM2 > 0
      ? ` by up to ${outside.reachM.toFixed(3)} m (${outside.areaM2.toFixed(2)} m² outside)`
      : '';
  return new HttpError(
    422,
    'outside_street',
    `geometry: the outline goes outside street ${street}${how}`,
    'geometry',
    outside ? { outside } : undefined,
  );
}

/**
 * A drawn outline as stored geometry: validity (an invalid one is a 400 naming the point;
 * never silently repaired), and whether it lies inside the street. With `snapTo` (a
 * community) it is snapped to the community's grids and outline within `snapM` metres and
 * clipped to the community.
 */
export async function candidateOutline(
  db: Kysely<DB>,
  geometry: Polygon | MultiPolygon,
  street: string,
  snap?: { community: string; metres: number; excludeCode?: string },
): Promise<Candidate> {
  // Rounded to the stored grid before anything else, so coordinates that differ from a
  // neighbour's only by reprojection noise (< 5e-11°) become that neighbour's exactly.
  const input = stOnGrid(sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`);
  await requireValid(db, geometry);
  const shaped = snap
    ? sql`(SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(
             ST_Snap(${input}, coalesce((SELECT ST_Collect(ST_Boundary(g.geom)) FROM grids g
                       WHERE g.community_code = ${snap.community} AND g.code IS DISTINCT FROM ${snap.excludeCode ?? null}
                         AND g.geom && ST_Expand(${input}, ${snap.metres / 111_000}::float8)), ST_Boundary(c.geom)),
                     ${snap.metres / 111_000}::float8),
             c.geom, ${GRID_SIZE}::float8), 3)) FROM regions c WHERE c.code = ${snap.community})`
    : input;
  // Stored as RFC 7946 has it (exterior rings counter-clockwise) and without repeated
  // vertices, however it was drawn: a clockwise ring from a desktop GIS is not an error.
  const { rows: shapedRows } = await sql<{
    ewkb: string;
    valid: boolean;
    empty: boolean;
    inside: boolean;
    touches: boolean;
  }>`
    WITH s AS (SELECT ST_ForcePolygonCCW(ST_RemoveRepeatedPoints(${stOnGrid(shaped)})) AS g)
    SELECT encode(ST_AsEWKB(s.g), 'hex') AS ewkb, ST_IsValid(s.g) AS valid, ST_IsEmpty(s.g) AS empty,
           ST_Intersects(${input}, st.geom) AS touches
    FROM s, (SELECT geom FROM regions WHERE code = ${street}) st`.execute(db);
  const r = shapedRows[0];
  if (!r?.touches)
    throw new HttpError(
      422,
      'outside_street',
      `geometry: the outline lies wholly outside street ${street}, the street of this draft`,
      'geometry',
    );
  const none = { areaM2: 0, reachM: 0 };
  if (r.empty)
    return {
      ewkb: '',
      valid: false,
      reason: 'The outline lies outside its community',
      insideStreet: false,
      outside: none,
    };
  if (!r.valid)
    return {
      ewkb: r.ewkb,
      valid: false,
      reason: 'Snapping made the outline invalid',
      insideStreet: false,
      outside: none,
    };
  const outside = await streetOutside(db, r.ewkb, street);
  return { ewkb: r.ewkb, valid: true, reason: null, insideStreet: isNegligibleOutside(outside), outside };
}

const streetOutside = (db: Kysely<DB>, ewkb: string, street: string) =>
  outsidePart(db, fromHex(ewkb), sql`(SELECT geom FROM regions WHERE code = ${street})`);

/**
 * A drawn outline as PostGIS judges it: an invalid one (a bow-tie, a hole outside its shell,
 * a ring of zero area) is a 400 with ST_IsValidDetail's reason and point. Overlay on invalid
 * input has no defined answer, and a silent repair would store what nobody drew.
 */
export async function requireValid(
  db: Kysely<DB>,
  geometry: Polygon | MultiPolygon,
  param = 'geometry',
): Promise<void> {
  const { rows } = await sql<{ valid: boolean; reason: string | null; x: number | null; y: number | null }>`
    SELECT d.valid, d.reason, ST_X(d.location)::float8 AS x, ST_Y(d.location)::float8 AS y
    FROM ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)) d`.execute(db);
  const r = rows[0]!;
  if (!r.valid) throw invalidGeometry(r.reason, r.x === null || r.y === null ? null : [r.x, r.y], param);
}

export async function geoJsonOf(db: Kysely<DB>, ewkb: string): Promise<MultiPolygon> {
  const { rows } = await sql<{ g: MultiPolygon }>`SELECT ST_AsGeoJSON(${fromHex(ewkb)}, 7)::json AS g`.execute(db);
  return rows[0]!.g;
}

/**
 * Move the boundary between two grids: `a` gets the drawn outline (snapped to the pair's
 * outer boundary and clipped to their union), `b` gets the rest of the union, so together
 * they cover exactly what they covered before.
 */
export async function movedBoundary(
  db: Kysely<DB>,
  aEwkb: string,
  bEwkb: string,
  drawn: Polygon | MultiPolygon,
  snapMetres: number,
): Promise<{ a: string; b: string; aParts: number; bParts: number }> {
  await requireValid(db, drawn);
  const tolerance = snapMetres / 111_000;
  const { rows } = await sql<{
    a: string | null;
    b: string | null;
    a_parts: number;
    b_parts: number;
    a_empty: boolean;
    b_empty: boolean;
  }>`
    WITH u AS (SELECT ST_Union(${fromHex(aEwkb)}, ${fromHex(bEwkb)}, ${GRID_SIZE}::float8) AS g),
    na AS (
      SELECT ST_ForcePolygonCCW(ST_Multi(${stOnGrid(sql`ST_CollectionExtract(ST_Intersection(
               ST_Snap(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(drawn)}), 4326), u.g, ${tolerance}::float8),
               u.g, ${GRID_SIZE}::float8), 3)`)})) AS g
      FROM u
    ),
    nb AS (SELECT ST_ForcePolygonCCW(ST_Multi(${stOnGrid(sql`ST_CollectionExtract(ST_Difference(u.g, na.g, ${GRID_SIZE}::float8), 3)`)})) AS g FROM u, na)
    SELECT encode(ST_AsEWKB(na.g), 'hex') AS a, encode(ST_AsEWKB(nb.g), 'hex') AS b,
           ST_NumGeometries(na.g)::int AS a_parts, ST_NumGeometries(nb.g)::int AS b_parts,
           ST_IsEmpty(na.g) AS a_empty, ST_IsEmpty(nb.g) AS b_empty
    FROM na, nb`.execute(db);
  const r = rows[0]!;
  if (r.a_empty || r.b_empty || !r.a || !r.b)
    throw badRequest('geometry', 'geometry: moving the boundary there would leave one of the two grids empty');
  return { a: r.a, b: r.b, aParts: r.a_parts, bParts: r.b_parts };
}
