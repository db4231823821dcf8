/**
 * Settle the vertices a proposal adds on fixed boundaries (pure). Where a road or a Voronoi
 * edge crosses the community's outline or a grid that stays as it is, noding puts a vertex
 * on that boundary, rounded to the 1e-10° grid: up to 7e-11° to either side of it. On the
 * wrong side (outside the community, inside a kept grid) the rebuilt grid's inside meets its
 * neighbour's, and the tiling check reports an empty overlap wherever edge matching cannot
 * cancel the short piece (a piece under ~5 % of the edge it lies on). Such a vertex is moved
 * to the nearest 1e-10° lattice point on the right side; every outline sharing the vertex gets
 * the same move, so rebuilt grids stay matched to each other.
 *
 *   fixed edge ─────────x──────────      x: a vertex 5e-11° on the wrong side
 *                       │                   → moved 1e-10° back across the edge
 */
import type { MultiPolygon, Position } from 'geojson';
import { signedArea2 } from '../geo/rewind.ts';
import { segmentDistance2 } from '../geo/near-lines.ts';

/** How close to a fixed edge a vertex must be to lie on it: 1e-9° (0.1 mm), the tiling check's eps. */
const ON_EDGE = 1e-9;
const STEP = 1e-10;
const CELL = 1e-4;

/** Fixed rings: `inside` true for outlines a vertex must stay inside of (the community), false for ones it must stay out of (kept grids). */
export interface FixedOutline {
  geometry: MultiPolygon;
  inside: boolean;
}

interface Edge {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

const key = (x: number, y: number) => `${x},${y}`;
const on10 = (v: number) => Number(v.toFixed(10));

/** Directed edges with the allowed side on their left. */
function allowedEdges(fixed: readonly FixedOutline[]): { edges: Edge[]; vertices: Set<string> } {
  const edges: Edge[] = [];
  const vertices = new Set<string>();
  for (const f of fixed)
    for (const poly of f.geometry.coordinates)
      poly.forEach((ring, r) => {
        // Interior on the left: shells counter-clockwise, holes clockwise; a kept grid's inside is forbidden, so flip.
        const ccw = signedArea2(ring) > 0;
        const flip = (r === 0 ? !ccw : ccw) !== !f.inside;
        for (let i = 0; i + 1 < ring.length; i++) {
          const [p, q] = flip ? [ring[i + 1]!, ring[i]!] : [ring[i]!, ring[i + 1]!];
          edges.push({ ax: p[0]!, ay: p[1]!, bx: q[0]!, by: q[1]! });
          vertices.add(key(p[0]!, p[1]!));
        }
      });
  return { edges, vertices };
}

const segmentDistance = (x: number, y: number, e: Edge) => Math.sqrt(segmentDistance2(x, y, e.ax, e.ay, e.bx, e.by));

const cross = (x: number, y: number, e: Edge) => (e.bx - e.ax) * (y - e.ay) - (e.by - e.ay) * (x - e.ax);

class EdgeIndex {
  private cells = new Map<string, Edge[]>();
  constructor(edges: readonly Edge[]) {
    for (const e of edges) {
      const [x0, x1] = [Math.min(e.ax, e.bx) - ON_EDGE, Math.max(e.ax, e.bx) + ON_EDGE];
      const [y0, y1] = [Math.min(e.ay, e.by) - ON_EDGE, Math.max(e.ay, e.by) + ON_EDGE];
      for (let i = Math.floor(x0 / CELL); i <= Math.floor(x1 / CELL); i++)
        for (let j = Math.floor(y0 / CELL); j <= Math.floor(y1 / CELL); j++) {
          const k = `${i},${j}`;
          const list = this.cells.get(k);
          if (list) list.push(e);
          else this.cells.set(k, [e]);
        }
    }
  }
  near(x: number, y: number): Edge[] {
    const list = this.cells.get(`${Math.floor(x / CELL)},${Math.floor(y / CELL)}`) ?? [];
    return list.filter((e) => segmentDistance(x, y, e) < ON_EDGE);
  }
}

/** Candidate moves in rings of 1, 2, 3 lattice steps, in a fixed order. */
const MOVES: [number, number][] = [];
for (let r = 1; r <= 3; r++)
  for (let dx = -r; dx <= r; dx++)
    for (let dy = -r; dy <= r; dy++) if (Math.max(Math.abs(dx), Math.abs(dy)) === r) MOVES.push([dx, dy]);

/**
 * The outlines with every vertex that lies within 1e-9° of a fixed edge, on its wrong side,
 * moved; vertices of the fixed outlines themselves are left alone. Returns how many moved.
 */
export function settleVertices(outlines: MultiPolygon[], fixed: readonly FixedOutline[]): number {
  const { edges, vertices } = allowedEdges(fixed);
  const index = new EdgeIndex(edges);
  const moved = new Map<string, Position | null>();
  const settle = (x: number, y: number): Position | null => {
    const near = index.near(x, y);
    if (near.every((e) => cross(x, y, e) > 0)) return null;
    for (const [dx, dy] of MOVES) {
      const [nx, ny] = [on10(x + dx * STEP), on10(y + dy * STEP)];
      const around = [...near, ...index.near(nx, ny)];
      if (around.every((e) => segmentDistance(nx, ny, e) >= ON_EDGE || cross(nx, ny, e) > 0)) return [nx, ny];
    }
    return null;
  };
  let count = 0;
  for (const outline of outlines)
    for (const poly of outline.coordinates)
      for (const ring of poly)
        for (let i = 0; i < ring.length; i++) {
          const [x, y] = [ring[i]![0]!, ring[i]![1]!];
          const k = key(x, y);
          if (vertices.has(k)) continue;
          if (!moved.has(k)) moved.set(k, settle(x, y));
          const to = moved.get(k);
          if (to) {
            ring[i] = to;
            count++;
          }
        }
  return count;
}
