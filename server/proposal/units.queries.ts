/**
 * The faces a community is cut into for a grid proposal (issue 19, ADR 0020), in one
 * set-based query per community: linework = community outline ∪ roads ∪ compound outlines ∪
 * commercial grid outlines ∪ today's grid outlines (rebalance only) ∪ Voronoi edges between
 * building sites ∪ the outlines of buildings those lines cross, noded at the project gridSize (DESIGN.md trap 1) and polygonized. Faces
 * whose point on surface lies in the community and in no commercial grid are the area being
 * divided. build-unit-graph.ts glues them into units, finds the edges and tags the ones that
 * run along roads and compound outlines, in TS.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { gridRowsOf } from '../validation/grid-source.queries.ts';

/** A face of the area being divided, in id order (by its box, then its point on surface). */
export interface FaceRow {
  kind: 'face';
  id: number;
  wkb: Uint8Array;
  /** Point on surface. */
  x: number;
  y: number;
}

/** A building of the community: its point on surface, and its outline if it is a polygon. */
export interface BuildingRow {
  kind: 'building';
  id: number;
  households: number;
  x: number;
  y: number;
  wkb: Uint8Array | null;
}

/** A grid of the community as the source sees it. */
export interface GridRow {
  kind: 'grid';
  code: string;
  grid_kind: 'residential' | 'commercial' | 'mixed';
  wkb: Uint8Array;
}

/** A road that meets the community (its class defaulted as the road layer does). */
export interface RoadRow {
  kind: 'road';
  id: number;
  wkb: Uint8Array;
  class: string;
}

/** A compound (小区) of the community, whose outline a boundary may run along. */
export interface CompoundRow {
  kind: 'compound';
  code: string;
  wkb: Uint8Array;
}

export interface FacesAndContext {
  faces: FaceRow[];
  buildings: BuildingRow[];
  grids: GridRow[];
  roads: RoadRow[];
  compounds: CompoundRow[];
}

export interface CommunityGridRow {
  code: string;
  name: string;
  kind: 'residential' | 'commercial' | 'mixed';
  areaM2: number;
  /** Households and buildings whose point on surface lies in the grid. */
  households: number;
  buildings: number;
}

/**
 * Faces of the area being divided, and what face-attributes.ts and build-unit-graph.ts need
 * to describe them in Node: the community's buildings, grids, roads and compounds. Which
 * building, grid or compound holds which face is a point-in-polygon question per face; asked
 * here as lateral lookups and geography areas it took most of the query's time, and the
 * same for which boundaries run along roads.
 */
export async function readFaces(
  db: Kysely<DB>,
  community: string,
  source: GridSource,
  withTodaysGrids: boolean,
): Promise<FacesAndContext> {
  const { rows } = await sql<FaceRow | BuildingRow | GridRow | RoadRow | CompoundRow>`
    WITH c AS (SELECT r.geom FROM regions r WHERE r.code = ${community}),
    g AS (SELECT s.code, s.kind, s.geom FROM ${gridRowsOf(source)} s WHERE s.community_code = ${community}),
    cp AS (SELECT k.code, k.geom, ST_Boundary(k.geom) AS outline FROM compounds k WHERE k.community_code = ${community}),
    rd AS (
      SELECT r.id, coalesce(r.class, CASE WHEN r.kind = 'road' THEN 'local' ELSE 'service' END) AS class, r.geom
      FROM roads r, c WHERE r.geom && c.geom AND ST_Intersects(r.geom, c.geom)
    ),
    site AS (
      SELECT b.id, b.households, b.geom, ST_PointOnSurface(b.geom) AS pt FROM buildings b WHERE b.community_code = ${community}
    ),
    vor AS (
      SELECT ST_VoronoiLines(ST_Collect(site.pt), 0, ST_Expand(c.geom, 0.001)) AS g
      FROM site, c GROUP BY c.geom HAVING count(*) > 1
    ),
    lines AS (
      SELECT ST_Boundary(c.geom) AS g FROM c
      UNION ALL SELECT ST_Boundary(g.geom) FROM g WHERE g.kind = 'commercial' OR ${withTodaysGrids}::boolean
      UNION ALL SELECT cp.outline FROM cp
      UNION ALL SELECT rd.geom FROM rd
      UNION ALL SELECT vor.g FROM vor
    ),
    -- One MultiLineString (not a collection), so ST_Intersects prepares it once for all buildings;
    -- cut to the community's box (and 1e-6° more), as faces outside it are dropped anyway:
    -- the roads' and Voronoi edges' runs outside it were half of the noding.
    everything AS (
      SELECT ST_CollectionExtract(ST_ClipByBox2D(ST_CollectionExtract(ST_Collect(lines.g), 2), ST_Expand(box2d(c.geom), 1e-6)), 2) AS g
      FROM lines, c GROUP BY c.geom
    ),
    -- A building a line crosses brings its outline: its pieces are glued into one unit and the
    -- rest of the faces around it stay free (otherwise a neighbour's whole cell would be glued to it).
    crossed AS (
      SELECT ST_Boundary(b.geom) AS g FROM buildings b, everything e
      WHERE b.community_code = ${community} AND GeometryType(b.geom) = 'POLYGON' AND ST_Intersects(e.g, b.geom)
    ),
    noded AS MATERIALIZED (
      SELECT ST_UnaryUnion(ST_Collect(x.g), ${GRID_SIZE}::float8) AS g
      FROM (SELECT e.g FROM everything e UNION ALL SELECT crossed.g FROM crossed) x
    ),
    poly AS (SELECT (ST_Dump(ST_Polygonize(noded.g))).geom AS f FROM noded),
    kept AS (
      SELECT p.f, ST_PointOnSurface(p.f) AS pos FROM poly p, c
      WHERE ST_Intersects(c.geom, ST_PointOnSurface(p.f))
        AND NOT EXISTS (SELECT 1 FROM g WHERE g.kind = 'commercial' AND ST_Intersects(g.geom, ST_PointOnSurface(p.f)))
    ),
    face AS (
      SELECT row_number() OVER (ORDER BY ST_XMin(k.f), ST_YMin(k.f), ST_XMax(k.f), ST_YMax(k.f), ST_X(k.pos), ST_Y(k.pos))::int AS id,
             k.f, k.pos
      FROM kept k
    )
    SELECT 'face' AS kind, f.id, NULL::text AS code, ST_AsBinary(f.f) AS wkb, ST_X(f.pos)::float8 AS x, ST_Y(f.pos)::float8 AS y,
           NULL::int AS households, NULL::text AS class, NULL::text AS grid_kind
    FROM face f
    UNION ALL
    SELECT 'building', s.id::int, NULL, CASE WHEN GeometryType(s.geom) = 'POLYGON' THEN ST_AsBinary(s.geom) END,
           ST_X(s.pt)::float8, ST_Y(s.pt)::float8, s.households::int, NULL, NULL
    FROM site s
    UNION ALL
    SELECT 'grid', NULL, g.code, ST_AsBinary(g.geom), NULL, NULL, NULL, NULL, g.kind FROM g
    UNION ALL
    SELECT 'road', rd.id::int, NULL, ST_AsBinary(rd.geom), NULL, NULL, NULL, rd.class, NULL FROM rd
    UNION ALL
    SELECT 'compound', NULL, cp.code, ST_AsBinary(cp.geom), NULL, NULL, NULL, NULL, NULL FROM cp`.execute(db);
  const out: FacesAndContext = { faces: [], buildings: [], grids: [], roads: [], compounds: [] };
  for (const row of rows) {
    if (row.kind === 'face') out.faces.push(row);
    else if (row.kind === 'building') out.buildings.push(row);
    else if (row.kind === 'grid') out.grids.push(row);
    else if (row.kind === 'road') out.roads.push(row);
    else out.compounds.push(row);
  }
  out.faces.sort((a, b) => a.id - b.id);
  out.buildings.sort((a, b) => a.id - b.id);
  out.grids.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  out.roads.sort((a, b) => a.id - b.id);
  out.compounds.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}
/** Today's grids of a community as `source` sees them, with what their buildings hold. */
export async function readCommunityGrids(
  db: Kysely<DB>,
  community: string,
  source: GridSource,
): Promise<CommunityGridRow[]> {
  const { rows } = await sql<CommunityGridRow>`
    SELECT g.code, g.name, g.kind, ST_Area(g.geom::geography)::float8 AS "areaM2",
           coalesce(h.households, 0)::int AS households, coalesce(h.buildings, 0)::int AS buildings
    FROM ${gridRowsOf(source)} g
    LEFT JOIN LATERAL (
      SELECT sum(b.households) AS households, count(*) AS buildings FROM buildings b
      WHERE b.community_code = g.community_code AND b.geom && g.geom AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom))
    ) h ON true
    WHERE g.community_code = ${community}
    ORDER BY g.code`.execute(db);
  return rows;
}

/** The communities a proposal divides: the one given, or every community of the street, with names. */
export async function scopeCommunities(
  db: Kysely<DB>,
  scope: { level: 'community' | 'street'; code: string },
): Promise<{ scopeName: string | null; communities: { code: string; name: string }[] }> {
  const { rows } = await sql<{ code: string; name: string; level: string }>`
    SELECT code, name, level FROM regions
    WHERE code = ${scope.code} OR (${scope.level === 'street'}::boolean AND parent_code = ${scope.code} AND level = 'community')
    ORDER BY code`.execute(db);
  const self = rows.find((r) => r.code === scope.code && r.level === scope.level);
  const communities =
    scope.level === 'community'
      ? rows.filter((r) => r.code === scope.code && r.level === 'community')
      : rows.filter((r) => r.level === 'community');
  return { scopeName: self?.name ?? null, communities: communities.map(({ code, name }) => ({ code, name })) };
}
