/**
 * Trace the outline of a set of lattice cells as a GeoJSON MultiPolygon.
 *
 * Each 4-connected component becomes one polygon. Boundary edges are the cell edges
 * (counter-clockwise per cell, so the inside is on the left) not shared with another cell
 * of the component; they are chained into rings taking the rightmost turn at every vertex.
 * At a pinch vertex of one component
 *
 *     ┌───┬───┐
 *     │ h │ X │      the X cells touch at the corner and are joined elsewhere, so h is
 *     ├───●───┤      a hole (or a cell outside, at the other diagonal)
 *     │ X │ h │
 *     └───┴───┘
 *
 * the rightmost turn crosses from one X cell to the other, so the outside cells are kept
 * apart: the shell and the hole each pass the vertex once (a hole touching its shell at a
 * point, valid per OGC / ST_IsValid) instead of one ring touching itself (invalid). Two
 * components touching only at a corner become two polygons of the MultiPolygon. Shells come
 * out counter-clockwise and holes clockwise (RFC 7946). Coordinates are the lattice's
 * shared, pre-rounded vertices, so neighbouring polygons match exactly.
 */
import type { MultiPolygon, Position } from 'geojson';
import { cellXY, vertexId, vertexPosition, type Lattice } from './lattice.ts';

// Directions in counter-clockwise order, so (d + 3) % 4 is a right turn.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/** 4-connected components of a cell set, each sorted, in order of their smallest cell. */
export function components(l: Lattice, cells: Iterable<number>): number[][] {
  const set = new Set(cells);
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const start of [...set].sort((a, b) => a - b)) {
    if (seen.has(start)) continue;
    const component = [start];
    seen.add(start);
    for (let k = 0; k < component.length; k++) {
      const [i, j] = cellXY(l, component[k] as number);
      for (let d = 0; d < 4; d++) {
        const ni = i + (DX[d] as number);
        const nj = j + (DY[d] as number);
        if (ni < 0 || nj < 0 || ni >= l.nx || nj >= l.ny) continue;
        const n = nj * l.nx + ni;
        if (set.has(n) && !seen.has(n)) {
          seen.add(n);
          component.push(n);
        }
      }
    }
    out.push(component.sort((a, b) => a - b));
  }
  return out;
}

/** Rings of one component in vertex ids (closed: first id repeated last), shell first. */
export function traceComponentRings(l: Lattice, component: readonly number[]): number[][] {
  const set = new Set(component);
  // outgoing[vertex] = directions of boundary edges leaving it (at most 2, at a pinch).
  const outgoing = new Map<number, number[]>();
  for (const cell of component) {
    const [i, j] = cellXY(l, cell);
    // Edge d of a cell starts at corner d (SW, SE, NE, NW) and runs in direction d.
    const corners: [number, number][] = [
      [i, j],
      [i + 1, j],
      [i + 1, j + 1],
      [i, j + 1],
    ];
    const across = [cell - l.nx, cell + 1, cell + l.nx, cell - 1];
    const atEdge = [j === 0, i === l.nx - 1, j === l.ny - 1, i === 0];
    for (let d = 0; d < 4; d++) {
      if (!atEdge[d] && set.has(across[d] as number)) continue;
      const [ci, cj] = corners[d] as [number, number];
      const v = vertexId(l, ci, cj);
      const list = outgoing.get(v);
      if (list) list.push(d);
      else outgoing.set(v, [d]);
    }
  }
  const rings: number[][] = [];
  for (const start of [...outgoing.keys()].sort((a, b) => a - b)) {
    while ((outgoing.get(start)?.length ?? 0) > 0) {
      const first = outgoing.get(start) as number[];
      const d0 = first.shift() as number;
      const ring = [start];
      let v = start;
      let d = d0;
      for (;;) {
        v = vertexId(l, (v % (l.nx + 1)) + (DX[d] as number), Math.floor(v / (l.nx + 1)) + (DY[d] as number));
        ring.push(v);
        const next = outgoing.get(v) ?? [];
        const options = v === start ? [...next, d0] : next;
        const turn = [(d + 3) % 4, d, (d + 1) % 4].find((t) => options.includes(t));
        if (turn === undefined) throw new Error('open boundary while tracing cells');
        if (v === start && turn === d0) break;
        next.splice(next.indexOf(turn), 1);
        d = turn;
      }
      rings.push(ring);
    }
  }
  // The shell is the one ring with positive (counter-clockwise) area in lattice space.
  rings.sort((a, b) => latticeArea(l, b) - latticeArea(l, a));
  return rings;
}

function latticeArea(l: Lattice, ring: readonly number[]): number {
  let twice = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    const p = ring[k] as number;
    const q = ring[k + 1] as number;
    const [px, py] = [p % (l.nx + 1), Math.floor(p / (l.nx + 1))];
    const [qx, qy] = [q % (l.nx + 1), Math.floor(q / (l.nx + 1))];
    twice += px * qy - qx * py;
  }
  return twice / 2;
}

/** The outline of a cell set as a MultiPolygon of the lattice's vertex coordinates. */
export function traceCells(l: Lattice, cells: Iterable<number>): MultiPolygon {
  const polygons: Position[][][] = components(l, cells).map((component) =>
    traceComponentRings(l, component).map((ring) => ring.map((v) => vertexPosition(l, v))),
  );
  return { type: 'MultiPolygon', coordinates: polygons };
}
