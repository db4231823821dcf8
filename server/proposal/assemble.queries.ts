/**
 * Regions → grid outlines (issue 19, ADR 0020). A region's outline is the union of its faces
 * at the project gridSize (DESIGN.md trap 1), rounded to the stored grid by stOnGrid (ADR
 * 0011) and forced to a MultiPolygon. Faces share their noded edges exactly, so outlines of
 * neighbouring regions share theirs and the proposal tiles the area divided by construction.
 * Grids that stay (unchanged in rebalance, commercial ones) come back as today's geometry,
 * untouched. The faces travel back as hex WKB rather than living in a temporary table, so the
 * query needs no pinned connection on either driver.
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE, textArray } from '../db/postgis.queries.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { gridRowsOf } from '../validation/grid-source.queries.ts';

export interface AssembleInput {
  community: string;
  source: GridSource;
  /** Faces as WKB with the index of the outline each belongs to (built from faces). */
  faces: readonly { wkb: Uint8Array; outline: number }[];
  /** Outlines kept as today's grid: outline index → grid code. */
  kept: readonly { outline: number; code: string }[];
}

export interface AssembledOutline {
  outline: number;
  geometry: MultiPolygon;
  areaM2: number;
  perimeterM: number;
}

export interface Assembled {
  outlines: AssembledOutline[];
  /** Polygon buildings of the community two or more outlines hold more than CUT_MIN_M2 m² of. */
  buildingsCut: number;
  /** The community's outline on the stored grid (stOnGrid), or null when there was nothing to assemble. */
  community: MultiPolygon | null;
}

/**
 * A building counts as cut when two outlines each hold more than this much of it (m²): an
 * outline snapped to the 1e-10° grid runs up to 7e-11° inside a full-precision footprint, and
 * the interior test alone would call that sliver of a neighbour a cut.
 */
const CUT_MIN_M2 = 0.01;

const hex = (wkb: Uint8Array) => Buffer.from(wkb.buffer, wkb.byteOffset, wkb.byteLength).toString('hex');

export async function assembleOutlines(db: Kysely<DB>, input: AssembleInput): Promise<Assembled> {
  const { rows } = await sql<{
    outline: number;
    geometry: string;
    areaM2: number;
    perimeterM: number;
    cut: number;
    community: string;
  }>`
    WITH f AS (
      SELECT ST_GeomFromWKB(decode(t.h, 'hex'), 4326) AS g, t.o::int AS o
      FROM unnest(${textArray(input.faces.map((f) => hex(f.wkb)))}, ${textArray(input.faces.map((f) => String(f.outline)))}) AS t(h, o)
    ),
    built AS (
      SELECT f.o, ST_Multi(${stOnGrid(sql`ST_Union(f.g, ${GRID_SIZE}::float8)`)}) AS g FROM f GROUP BY f.o
    ),
    k AS (
      SELECT t.c AS code, t.o::int AS o
      FROM unnest(${textArray(input.kept.map((k) => k.code))}, ${textArray(input.kept.map((k) => String(k.outline)))}) AS t(c, o)
    ),
    o AS MATERIALIZED (
      SELECT built.o, built.g FROM built
      UNION ALL
      SELECT k.o, s.geom FROM k JOIN ${gridRowsOf(input.source)} s ON s.code = k.code
    ),
    cm AS (SELECT ST_AsGeoJSON(${stOnGrid(sql`r.geom`)}, 10) AS g FROM regions r WHERE r.code = ${input.community}),
    -- Outline by outline (ST_Intersects then prepares each outline once), the buildings touching
    -- two or more; of those, the ones two outlines each hold a real part of.
    hits AS (
      SELECT b.id FROM o JOIN buildings b ON b.geom && o.g AND ST_Intersects(o.g, b.geom)
      WHERE b.community_code = ${input.community} AND GeometryType(b.geom) = 'POLYGON'
    ),
    cut AS (
      SELECT count(*)::int AS n FROM (SELECT h.id FROM hits h GROUP BY h.id HAVING count(*) > 1) m
      JOIN buildings b ON b.id = m.id
      WHERE (SELECT count(*) FROM o WHERE o.g && b.geom
               AND ST_Area(ST_Intersection(b.geom, o.g, ${GRID_SIZE}::float8)::geography) > ${CUT_MIN_M2}::float8) > 1
    )
    SELECT o.o AS outline, ST_AsGeoJSON(o.g, 10) AS geometry, ST_Area(o.g::geography)::float8 AS "areaM2",
           ST_Perimeter(o.g::geography)::float8 AS "perimeterM", cut.n AS cut, cm.g AS community
    FROM o, cut, cm ORDER BY o.o`.execute(db);
  return {
    outlines: rows.map((r) => ({
      outline: r.outline,
      geometry: JSON.parse(r.geometry) as MultiPolygon,
      areaM2: r.areaM2,
      perimeterM: r.perimeterM,
    })),
    buildingsCut: rows[0]?.cut ?? 0,
    community: rows[0] ? (JSON.parse(rows[0].community) as MultiPolygon) : null,
  };
}
