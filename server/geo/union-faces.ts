/**
 * The union of faces that share their edges exactly, as the faces of one polygonize do
 * (a grid proposal's units, ADR 0020): an edge two faces of the set share lies inside the
 * union and cancels; the edges left are its boundary, traced into rings. No overlay and no
 * noding, so it costs a hash lookup per edge (PostGIS's ST_Union of the same faces took
 * most of a community's assembly time).
 *
 * Every face ring is oriented with the face on its left (shells counter-clockwise, holes
 * clockwise), so the boundary left has the union on its left too. Where the union touches
 * itself at a vertex, the ring leaving that vertex is the edge that bounds the same inside
 * corner as the edge arriving (the first one turning clockwise from the way back), so rings
 * of two parts meeting at a point are two polygons; a ring that still visits a vertex twice
 * (a piece of outside meeting the outline at a point) is cut there into a shell and a hole,
 * as OGC validity asks.
 * Counter-clockwise rings are shells; each clockwise ring is a hole of the smallest shell
 * around it.
 *
 *   ┌───┬───┐      two faces sharing the middle edge
 *   │ a │ b │  →   ┌───────┐  one ring (the shared edge cancelled)
 *   └───┴───┘      └───────┘
 *
 * Coordinates are kept exactly as given (no vertex is added, moved or dropped).
 */
import type { Position } from 'geojson';
import { signedArea2 as flatArea2, type FlatRing } from './match-edges.ts';
import { pointInRings } from './locate-in-rings.ts';
import { signedArea2 as ringArea2 } from './rewind.ts';
import { VertexTable } from './vertex-table.ts';

export interface UnionResult {
  /** MultiPolygon coordinates: shells counter-clockwise, holes clockwise (RFC 7946), each ring closed. */
  polygons: Position[][][];
  /** The boundary edges (each once, the union on their left): [ax, ay, bx, by] flat. */
  boundary: Float64Array;
}

const vkey = (x: number, y: number) => `${x},${y}`;

/**
 * Split a ring that visits a vertex twice into rings that do not: the sector rule leaves a
 * piece of outside that meets the outline at a point as a loop of the shell ("inverted
 * hole"); cut out, it turns the other way and becomes a hole.
 */
function simpleRings(ring: Position[]): Position[][] {
  const out: Position[][] = [];
  const stack: Position[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i]!;
    const k = vkey(p[0]!, p[1]!);
    const seen = at.get(k);
    if (seen === undefined) {
      at.set(k, stack.length);
      stack.push(p);
      continue;
    }
    const loop = stack.splice(seen + 1);
    for (const q of loop) at.delete(vkey(q[0]!, q[1]!));
    out.push([stack[seen]!, ...loop, p]);
  }
  out.push([...stack, stack[0]!]);
  return out.filter((r) => r.length >= 4);
}

/** Union of faces given as their rings (each face: shell first, then holes; flat, closed). */
export function unionFaces(faces: readonly (readonly FlatRing[])[]): UnionResult {
  // Vertices by exact coordinates, then directed edges (p → q, the face on the left) as
  // p·V + q; an edge whose reverse is already there cancels it.
  let total = 0;
  for (const rings of faces) for (const ring of rings) total += ring.length / 2;
  const vertices = new VertexTable(total);
  const oriented: Int32Array[] = [];
  for (const rings of faces) {
    for (const ring of rings) {
      if (ring.length < 8) continue;
      const ids = new Int32Array(ring.length / 2);
      for (let i = 0; i < ids.length; i++) ids[i] = vertices.id(ring[2 * i]!, ring[2 * i + 1]!);
      if (flatArea2(ring) > 0 !== (ring === rings[0])) ids.reverse();
      oriented.push(ids);
    }
  }
  const { lon, lat } = vertices;
  const V = vertices.size;
  const keys = new Set<number>();
  for (const ids of oriented)
    for (let i = 0; i + 1 < ids.length; i++) {
      const [p, q] = [ids[i]!, ids[i + 1]!];
      if (p === q) continue;
      if (!keys.delete(q * V + p)) keys.add(p * V + q);
    }

  // The boundary edges, and the ones leaving each vertex as linked lists.
  const from = new Int32Array(keys.size);
  const to = new Int32Array(keys.size);
  const head = new Int32Array(V).fill(-1);
  const link = new Int32Array(keys.size);
  let n = 0;
  for (const key of keys) {
    const p = Math.floor(key / V);
    from[n] = p;
    to[n] = key - p * V;
    link[n] = head[p]!;
    head[p] = n++;
  }
  const next = (e: number): number => {
    const v = to[e]!;
    const first = head[v]!;
    if (link[first]! < 0) return first;
    // The first edge clockwise from the way back (v → from) bounds the same inside corner.
    const back = Math.atan2(lat[from[e]!]! - lat[v]!, lon[from[e]!]! - lon[v]!);
    let best = -1;
    let bestTurn = Infinity;
    for (let c = first; c >= 0; c = link[c]!) {
      let turn = back - Math.atan2(lat[to[c]!]! - lat[v]!, lon[to[c]!]! - lon[v]!);
      while (turn <= 0) turn += 2 * Math.PI;
      while (turn > 2 * Math.PI) turn -= 2 * Math.PI;
      if (turn < bestTurn) [best, bestTurn] = [c, turn];
    }
    return best;
  };

  const used = new Uint8Array(n);
  const seen = new Int32Array(V).fill(-1);
  const shells: Position[][] = [];
  const holes: Position[][] = [];
  for (let start = 0; start < n; start++) {
    if (used[start]) continue;
    const ring: Position[] = [[lon[from[start]!]!, lat[from[start]!]!]];
    let repeats = false;
    for (let e = start; !used[e]; e = next(e)) {
      used[e] = 1;
      if (seen[to[e]!] === start) repeats = true;
      seen[to[e]!] = start;
      ring.push([lon[to[e]!]!, lat[to[e]!]!]);
    }
    const [first, last] = [ring[0]!, ring[ring.length - 1]!];
    if (first[0] !== last[0] || first[1] !== last[1])
      throw new Error('unionFaces: the faces do not share their edges exactly');
    for (const simple of repeats ? simpleRings(ring) : [ring]) (ringArea2(simple) > 0 ? shells : holes).push(simple);
  }

  const shellArea = shells.map((s) => ringArea2(s));
  const flatShells = holes.length > 0 ? shells.map((s) => s.flat() as number[]) : [];
  const polygons: Position[][][] = shells.map((s) => [s]);
  for (const hole of holes) {
    // The midpoint of a hole's edge lies on no shell's edge (the faces are noded), so the
    // boundary case of pointInRings never decides.
    const [x, y] = [(hole[0]![0]! + hole[1]![0]!) / 2, (hole[0]![1]! + hole[1]![1]!) / 2];
    let owner = -1;
    shells.forEach((_, i) => {
      if ((owner < 0 || shellArea[i]! < shellArea[owner]!) && pointInRings([flatShells[i]!], x, y)) owner = i;
    });
    if (owner < 0) throw new Error('unionFaces: a hole lies in no shell');
    polygons[owner]!.push(hole);
  }
  const boundary = new Float64Array(n * 4);
  for (let e = 0; e < n; e++) boundary.set([lon[from[e]!]!, lat[from[e]!]!, lon[to[e]!]!, lat[to[e]!]!], e * 4);
  return { polygons, boundary };
}
