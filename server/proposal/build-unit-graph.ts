/**
 * Faces of a polygonized community (units.queries.ts) → the UnitGraph (unit-graph.ts). Pure.
 *
 * Faces one building polygon spans are glued into one unit (union-find), so no boundary of a
 * proposal can cut a building; with `gridsFixed` (rebalance) only faces of the same today's
 * grid are glued, so every unit lies in one grid and an unchanged grid is its units exactly.
 * Faces of one polygonize share their noded edges vertex for vertex, so shared boundaries are
 * found by matching segments exactly. Lengths in metres by the local metric at each segment
 * (server/geo/local-metric.ts); areas come from PostGIS geography.
 */
import { localDistanceM, metresPerDegree } from '../geo/local-metric.ts';
import { ringSetFromWkb } from '../geo/read-wkb.ts';
import { VertexTable } from '../geo/vertex-table.ts';
import { nearLines } from '../geo/near-lines.ts';
import type { FlatRing } from '../geo/match-edges.ts';
import type { RoadClass, Unit, UnitEdge, UnitGraph } from './unit-graph.ts';
import type { FaceAttributes } from './face-attributes.ts';

/** A face and what it holds (face-attributes.ts). */
export interface FaceInput extends FaceAttributes {
  wkb: Uint8Array;
  /** The face's rings read from wkb (flat lon, lat, …), when already read. */
  rings?: FlatRing[];
}

/** What a shared boundary may run along: the community's roads and its compounds' outlines. */
export interface AlongInput {
  /** Roads by id ascending; coords flat lon, lat, lon, lat, … */
  roads: readonly { id: number; class: RoadClass; coords: FlatRing }[];
  /** Rings of the compounds' outlines. */
  compoundRings: readonly FlatRing[];
}

export interface BuiltGraph {
  graph: UnitGraph;
  /** Unit id of each face (same order as the faces given). */
  faceUnit: Int32Array;
}

const CLASS_RANK: Record<RoadClass, number> = { arterial: 0, secondary: 1, local: 2, service: 3 };

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/** Which faces form one unit: glued across the buildings they share. */
function glue(faces: readonly FaceInput[], gridsFixed: boolean): Int32Array {
  const parent = Int32Array.from(faces.keys());
  const firstFace = new Map<string, number>();
  faces.forEach((face, i) => {
    for (const building of face.spans) {
      // In rebalance a building cut by today's grids stays cut: glue only within one grid.
      const key = gridsFixed ? `${building}|${face.current ?? ''}` : String(building);
      const first = firstFace.get(key);
      if (first === undefined) firstFace.set(key, i);
      else {
        const [a, b] = [find(parent, first), find(parent, i)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  // Unit ids in order of each unit's first face: deterministic for a given face order.
  const unitOf = new Map<number, number>();
  const faceUnit = new Int32Array(faces.length);
  faces.forEach((_, i) => {
    const root = find(parent, i);
    let u = unitOf.get(root);
    if (u === undefined) unitOf.set(root, (u = unitOf.size));
    faceUnit[i] = u;
  });
  return faceUnit;
}

/**
 * How near a boundary segment's midpoint must lie to a road or compound outline to run along
 * it (0.1 mm): the faces are noded at 1e-10°, so a segment along a road is within 1e-10° of it.
 */
export const ALONG_DEG = 1e-9;

interface Tag {
  roads: number[];
  rank: number;
  alongCompound: boolean;
}

/** Tags a boundary segment by the roads and compound outlines its midpoint lies along. */
function segmentTagger(along: AlongInput): (ax: number, ay: number, bx: number, by: number) => Tag {
  const roads = nearLines(along.roads, ALONG_DEG);
  const outlines = nearLines(
    along.compoundRings.map((coords) => ({ coords })),
    ALONG_DEG,
  );
  return (ax, ay, bx, by) => {
    const x = (ax + bx) / 2;
    const y = (ay + by) / 2;
    let rank = 9;
    const ids = roads.near(x, y).map((k) => {
      const road = along.roads[k]!;
      rank = Math.min(rank, CLASS_RANK[road.class] ?? CLASS_RANK.local);
      return road.id;
    });
    return { roads: ids, rank, alongCompound: outlines.near(x, y).length > 0 };
  };
}

export function buildUnitGraph(
  community: string,
  faces: readonly FaceInput[],
  along: AlongInput,
  options: { gridsFixed: boolean },
): BuiltGraph {
  const faceUnit = glue(faces, options.gridsFixed);
  const unitCount = faceUnit.reduce((m, u) => Math.max(m, u + 1), 0);
  const lon0 = faces[0]?.lon ?? 0;
  const lat0 = faces[0]?.lat ?? 0;
  const [mx, my] = metresPerDegree(lat0);

  const units: Unit[] = Array.from({ length: unitCount }, (_, id) => ({
    id,
    households: 0,
    buildings: 0,
    areaM2: 0,
    perimeterM: 0,
    x: 0,
    y: 0,
    compound: null,
    current: null,
  }));
  const largest = new Float64Array(unitCount).fill(-1);
  faces.forEach((face, i) => {
    const unit = units[faceUnit[i]!]!;
    unit.households += face.households;
    unit.buildings += face.buildings;
    unit.areaM2 += face.areaM2;
    unit.x += (face.lon - lon0) * mx * face.areaM2;
    unit.y += (face.lat - lat0) * my * face.areaM2;
    if (face.areaM2 > largest[unit.id]!) {
      largest[unit.id] = face.areaM2;
      unit.compound = face.compound;
      unit.current = face.current;
    }
  });
  for (const unit of units) {
    if (unit.areaM2 > 0) {
      unit.x /= unit.areaM2;
      unit.y /= unit.areaM2;
    }
  }

  // Vertices by exact coordinates (faces of one polygonize share them bit for bit), then each
  // segment seen once waits in `open` for the face on its other side.
  const tagOf = segmentTagger(along);
  const ringsOf = faces.map((face, f) => face.rings ?? ringSetFromWkb(String(f), face.wkb).rings);
  let total = 0;
  for (const rings of ringsOf) for (const ring of rings) total += ring.length / 2;
  const vertices = new VertexTable(total);
  const idsOf = ringsOf.map((rings) =>
    rings.map((ring) => {
      const ids = new Int32Array(ring.length / 2);
      for (let i = 0; i < ids.length; i++) ids[i] = vertices.id(ring[2 * i]!, ring[2 * i + 1]!);
      return ids;
    }),
  );
  const { lon, lat } = vertices;
  const V = vertices.size;
  const open = new Map<number, number>();
  const edges = new Map<number, UnitEdge & { roadSet: Set<number>; rank: number }>();
  idsOf.forEach((rings, f) => {
    for (const ids of rings) {
      for (let i = 0; i + 1 < ids.length; i++) {
        const [p, q] = [ids[i]!, ids[i + 1]!];
        if (p === q) continue;
        const key = p < q ? p * V + q : q * V + p;
        const other = open.get(key);
        if (other === undefined) {
          open.set(key, f);
          continue;
        }
        open.delete(key);
        const [ua, ub] = [faceUnit[other]!, faceUnit[f]!];
        if (ua === ub) continue;
        const [ax, ay, bx, by] = [lon[p]!, lat[p]!, lon[q]!, lat[q]!];
        const length = localDistanceM(ax, ay, bx, by);
        units[ua]!.perimeterM += length;
        units[ub]!.perimeterM += length;
        const [a, b] = ua < ub ? [ua, ub] : [ub, ua];
        const id = a * unitCount + b;
        let edge = edges.get(id);
        if (!edge) {
          edge = { a, b, lengthM: 0, roadM: 0, compoundM: 0, roads: [], roadClass: null, roadSet: new Set(), rank: 9 };
          edges.set(id, edge);
        }
        edge.lengthM += length;
        const tag = tagOf(ax, ay, bx, by);
        if (tag.roads.length > 0) {
          edge.roadM += length;
          for (const road of tag.roads) edge.roadSet.add(road);
          if (tag.rank < edge.rank) edge.rank = tag.rank;
        }
        if (tag.alongCompound) edge.compoundM += length;
      }
    }
  });
  for (const [key, f] of open) {
    const p = Math.floor(key / V);
    const q = key - p * V;
    units[faceUnit[f]!]!.perimeterM += localDistanceM(lon[p]!, lat[p]!, lon[q]!, lat[q]!);
  }

  const classes = Object.keys(CLASS_RANK) as RoadClass[];
  const edgeList: UnitEdge[] = [...edges.values()]
    .sort((p, q) => p.a - q.a || p.b - q.b)
    .map(({ a, b, lengthM, roadM, compoundM, roadSet, rank }) => ({
      a,
      b,
      lengthM,
      roadM,
      compoundM,
      roads: [...roadSet].sort((x, y) => x - y),
      roadClass: roadSet.size > 0 ? classes[rank]! : null,
    }));
  return { graph: { community, units, edges: edgeList }, faceUnit };
}
