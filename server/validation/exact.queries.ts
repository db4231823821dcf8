/**
 * The exact overlay, run only on communities whose edges did not cancel (server/geo/match-edges).
 * Every overlay passes the project gridSize (DESIGN.md trap 1) and the pair filter is written
 * `a.id - b.id < 0` so PostgreSQL 15 cannot fold it into the index scan (trap 4). The grids
 * are read through a GridSource: the published map, or a draft's view of it.
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.ts';
import type { MeasuredArea } from './problems.ts';
import { trueWidthM } from '../geo/true-width.ts';
import { gridsOf, PUBLISHED, type GridSource } from './grid-source.ts';
import { CONTAINMENT_TOLERANCE_M } from '../db/precision.ts';

/**
 * How near a grid's outline must run to a gap's edge to border it: 1e-9° (0.1 mm, ten times
 * the overlay gridSize). The gap comes out of an overlay snapped to the 1e-10° gridSize, so
 * with full-precision coordinates (reprojected from Gauss–Krüger) its edges lie up to ~7e-11°
 * off the grids' own edges and an exact test ('****1****') finds no grid at all.
 */
const BORDER_TOLERANCE_DEG = 1e-9;
/** ... along at least 1e-8° (1 mm) of the gap's outline: a grid touching a corner does not border it. */
const BORDER_MIN_LENGTH_DEG = 1e-8;

/**
 * A piece thinner than the precision model's tolerance (1 mm, server/db/precision.ts) is
 * rounding, not a sliver: a vertex digitised on its neighbour's edge in Gauss–Krüger metres
 * lies up to ~0.6 mm off that edge in lon/lat (a straight line in the projection is curved in
 * lon/lat), and the overlay cuts a lens that thin. 4·A/P bounds the true width of a convex
 * piece from above (A ≥ r·P/2), so it settles the thin ones without the width search, which
 * costs length/width steps.
 */
export function isRoundingPiece(areaM2: number, perimeterM: number, widthM: () => number): boolean {
  if (perimeterM <= 0 || (4 * areaM2) / perimeterM < CONTAINMENT_TOLERANCE_M) return true;
  return widthM() < CONTAINMENT_TOLERANCE_M;
}

interface AreaRow {
  community: string;
  grids: string[];
  geometry: Geometry;
  area: number;
  perimeter: number;
  lon: number;
  lat: number;
  buildings: number;
  households: number;
  share?: number | null;
  communities?: string[];
}

/** Buildings (by their point on surface, as everywhere in Wangge) inside `geom`. */
const buildingsIn = (geom: string) =>
  sql.raw(`(SELECT count(*)::int AS buildings, coalesce(sum(bd.households), 0)::int AS households
     FROM buildings bd WHERE bd.geom && ${geom} AND ST_Intersects(${geom}, ST_PointOnSurface(bd.geom)))`);

// 9 decimals (0.1 mm): the true width of a 0.3 m sliver is measured from these vertices.
const measured = (geom: string) =>
  sql.raw(`ST_AsGeoJSON(${geom}, 9)::json AS geometry,
     ST_Area(${geom}::geography)::float8 AS area,
     ST_Perimeter(${geom}::geography)::float8 AS perimeter`);

function toMeasured(kind: MeasuredArea['kind'], rows: AreaRow[]): MeasuredArea[] {
  const measured: MeasuredArea[] = [];
  for (const r of rows) {
    let width: number | undefined;
    const widthM = () => (width ??= r.geometry.type === 'Polygon' || r.geometry.type === 'MultiPolygon' ? trueWidthM(r.geometry) : 0);
    // An empty overlap (interiors meeting in a point of the exact test) is kept: it is reported.
    if (r.area > 0 && isRoundingPiece(r.area, r.perimeter, widthM)) continue;
    measured.push(measure(kind, r, r.area > 0 ? widthM() : 0));
  }
  return measured;
}

function measure(kind: MeasuredArea['kind'], r: AreaRow, widthM: number): MeasuredArea {
  return {
    kind,
    community: r.community,
    grids: r.grids,
    geometry: r.geometry,
    areaM2: r.area,
    perimeterM: r.perimeter,
    widthM,
    point: [r.lon, r.lat],
    buildings: r.buildings,
    households: r.households,
    ...(r.share != null ? { share: r.share } : {}),
    ...(r.communities ? { communities: r.communities } : {}),
  };
}

/**
 * Pairs of grids whose interiors intersect, with at least one grid in `suspects` (grids that
 * own a residual edge). The other grid is looked for only around the suspect's community's
 * residual window: an overlap is bounded by residual edges, so it meets that window. A pair
 * of two suspects of one community is measured once (`a.id - b.id < 0`, trap 4); a pair
 * across two communities from both sides, and the report keeps one by its id.
 */
export async function findOverlaps(db: Kysely<DB>, suspects: string[], windows: GapWindow[], source: GridSource = PUBLISHED): Promise<MeasuredArea[]> {
  if (suspects.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH ${windowTable(windows)},
    s AS (SELECT g.id, g.code, g.community_code, g.geom, win.env FROM ${gridsOf(source)} g JOIN win ON win.code = g.community_code
          WHERE g.code = ANY(${suspects}::text[])),
    pairs AS (
      SELECT a.code AS a_code, b.code AS b_code, a.community_code, b.community_code AS b_community, a.geom AS ag, b.geom AS bg,
             ST_Multi(ST_CollectionExtract(ST_Intersection(a.geom, b.geom, ${GRID_SIZE}::float8), 3)) AS g
      FROM s a
      JOIN ${gridsOf(source)} b ON b.geom && a.geom AND b.geom && a.env AND b.id <> a.id
      LEFT JOIN s sb ON sb.id = b.id
      WHERE (sb.id IS NULL OR sb.community_code <> a.community_code OR a.id - b.id < 0)
        AND ST_Relate(a.geom, b.geom, '2********')
    )
    SELECT p.community_code AS community, ARRAY[p.a_code, p.b_code] AS grids,
           ARRAY[p.community_code, p.b_community] AS communities,
           ${measured('p.g')},
           ST_X(pt)::float8 AS lon, ST_Y(pt)::float8 AS lat, bl.buildings, bl.households
    FROM pairs p
    CROSS JOIN LATERAL (SELECT CASE WHEN ST_IsEmpty(p.g) THEN ST_ClosestPoint(p.ag, ST_Boundary(p.bg))
                                    ELSE ST_PointOnSurface(p.g) END AS pt) q
    CROSS JOIN LATERAL ${buildingsIn('p.g')} bl`.execute(db);
  return toMeasured('overlap', rows);
}

/** `win (code, env)`: each broken community's residual window, slightly expanded. */
function windowTable(windows: GapWindow[]) {
  const col = (i: number) => windows.map((w) => w.bbox[i]!);
  return sql`win AS (
      SELECT w.code, ST_Expand(ST_MakeEnvelope(w.x0, w.y0, w.x1, w.y1, 4326), 1e-7) AS env
      FROM unnest(${windows.map((w) => w.community)}::text[], ${col(0)}::float8[], ${col(1)}::float8[],
                  ${col(2)}::float8[], ${col(3)}::float8[]) AS w (code, x0, y0, x1, y1)
    )`;
}

export interface GapWindow {
  community: string;
  /** Where the community's residual edges are: every gap of it lies inside. */
  bbox: [number, number, number, number];
}

/**
 * Parts of each community covered by no grid of it, each part on its own. Only the grids
 * around the residual edges are unioned (a gap's outline is made of residual edges), so a
 * community of 3,000 grids costs the union of the few around the gap. The community itself
 * is NOT clipped to the window: a clip puts new, rounded vertices on the community's outline
 * that its grids do not share, and the difference then invents slivers 0–4 mm wide along
 * the outline (DESIGN.md trap 10). The whole outline minus the local union leaves the real
 * gaps, which lie inside the window, and one piece reaching outside it (the part of the
 * community covered by grids further away), which is dropped.
 */
export async function findGaps(db: Kysely<DB>, windows: GapWindow[], source: GridSource = PUBLISHED): Promise<MeasuredArea[]> {
  if (windows.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH ${windowTable(windows)},
    u AS (
      SELECT c.code, c.geom AS cg, win.env, ST_Union(g.geom, ${GRID_SIZE}::float8) AS ug
      FROM win JOIN regions c ON c.code = win.code
      LEFT JOIN ${gridsOf(source)} g ON g.community_code = c.code AND g.geom && win.env
      GROUP BY c.code, c.geom, win.env
    ),
    d AS (
      SELECT u.code, u.env, (ST_Dump(ST_CollectionExtract(
               CASE WHEN u.ug IS NULL THEN u.cg ELSE ST_Difference(u.cg, u.ug, ${GRID_SIZE}::float8) END, 3))).geom AS g
      FROM u
    )
    SELECT d.code AS community,
           coalesce((SELECT array_agg(n.code ORDER BY n.code) FROM ${gridsOf(source)} n
                     WHERE n.community_code = d.code AND n.geom && ST_Expand(d.g, ${BORDER_TOLERANCE_DEG}::float8)
                       AND (SELECT coalesce(sum(ST_Length(s.geom)), 0) FROM ST_DumpSegments(d.g) s
                            WHERE ST_DWithin(ST_Boundary(n.geom), ST_LineInterpolatePoint(s.geom, 0.5), ${BORDER_TOLERANCE_DEG}::float8))
                           > ${BORDER_MIN_LENGTH_DEG}::float8), '{}') AS grids,
           ${measured('d.g')},
           ST_X(ST_PointOnSurface(d.g))::float8 AS lon, ST_Y(ST_PointOnSurface(d.g))::float8 AS lat,
           bl.buildings, bl.households
    FROM d CROSS JOIN LATERAL ${buildingsIn('d.g')} bl
    WHERE NOT ST_IsEmpty(d.g) AND d.g @ d.env`.execute(db);
  return toMeasured('gap', rows);
}

/** Grids with area outside their own community (only grids owning residual edges can). */
export async function findOutside(db: Kysely<DB>, suspects: string[], source: GridSource = PUBLISHED): Promise<MeasuredArea[]> {
  if (suspects.length === 0) return [];
  const { rows } = await sql<AreaRow>`
    WITH o AS (
      SELECT g.code, g.community_code, g.geom AS gg,
             ST_Multi(ST_CollectionExtract(ST_Difference(g.geom, c.geom, ${GRID_SIZE}::float8), 3)) AS g
      FROM ${gridsOf(source)} g JOIN regions c ON c.code = g.community_code
      WHERE g.code = ANY(${suspects}::text[]) AND NOT ST_Covers(c.geom, g.geom)
    )
    SELECT o.community_code AS community, ARRAY[o.code] AS grids, ${measured('o.g')},
           ST_X(ST_PointOnSurface(o.g))::float8 AS lon, ST_Y(ST_PointOnSurface(o.g))::float8 AS lat,
           bl.buildings, bl.households,
           (ST_Area(o.g::geography) / nullif(ST_Area(o.gg::geography), 0))::float8 AS share
    FROM o CROSS JOIN LATERAL ${buildingsIn('o.g')} bl
    WHERE NOT ST_IsEmpty(o.g)`.execute(db);
  return toMeasured('outside', rows);
}

export interface InvalidRow {
  grid: string;
  community: string;
  reason: string;
  lon: number;
  lat: number;
}

/**
 * Grids PostGIS finds invalid, with the reason and where. The schema's CHECK keeps invalid
 * geometry out of the table, so on stored data this finds something only if the two GEOS
 * versions (trap 7) disagree about a geometry; it runs on the suspect communities only.
 */
export async function findInvalid(db: Kysely<DB>, communities: string[], source: GridSource = PUBLISHED): Promise<InvalidRow[]> {
  if (communities.length === 0) return [];
  const { rows } = await sql<InvalidRow>`
    SELECT g.code AS grid, g.community_code AS community, d.reason,
           ST_X(d.location)::float8 AS lon, ST_Y(d.location)::float8 AS lat
    FROM ${gridsOf(source)} g CROSS JOIN LATERAL ST_IsValidDetail(g.geom) d
    WHERE g.community_code = ANY(${communities}::text[]) AND NOT d.valid`.execute(db);
  return rows;
}

export interface GridShapeRow {
  grid: string;
  community: string;
  geometry: Geometry;
  area: number;
  lon: number;
  lat: number;
  parts: number;
}

/** Outline, area and point of the given grids (for multipart problems). */
export async function gridShapes(db: Kysely<DB>, codes: string[], source: GridSource = PUBLISHED): Promise<GridShapeRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<GridShapeRow>`
    SELECT g.code AS grid, g.community_code AS community, ST_AsGeoJSON(g.geom, 7)::json AS geometry,
           ST_Area(g.geom::geography)::float8 AS area, ST_NumGeometries(g.geom)::int AS parts,
           ST_X(ST_PointOnSurface(g.geom))::float8 AS lon, ST_Y(ST_PointOnSurface(g.geom))::float8 AS lat
    FROM ${gridsOf(source)} g WHERE g.code = ANY(${codes}::text[])`.execute(db);
  return rows;
}
