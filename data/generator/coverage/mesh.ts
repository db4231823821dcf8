/**
 * The metric mesh a generated coverage is cut from: a jittered lattice in Gauss–Krüger metres
 * whose edges carry 0–3 extra "wiggle" vertices, so grids and communities have irregular,
 * many-vertexed outlines (not squares). Every point has an id; rings are lists of point ids,
 * so two polygons sharing an edge share the very same points, and reprojecting each point
 * once keeps the tiling exact in lon/lat too.
 *
 *   vertex (i, j+1) ─~─~─ (i+1, j+1)      ~ wiggle points, shared by both cells of an edge
 *        │    cell (i, j)      │           cell id = j * nx + i, vertex id = j * (nx + 1) + i
 *   vertex (i, j)  ─~──~─ (i+1, j)         (lattice vertices are point ids 0 … (nx+1)(ny+1)−1)
 */
import { insideOutline, keepLargestComponent, vertexId, type Lattice } from '../lattice.ts';
import { components, traceComponentRings } from '../trace-boundary.ts';
import type { Rng } from '../prng.ts';

export interface Mesh {
  lattice: Lattice;
  /** Point coordinates in metres, flat [x0, y0, x1, y1, …]; grown by defect injection. */
  xy: number[];
  /** Wiggle point ids of each lattice edge, ordered from its lower vertex id to its higher. */
  wiggles: Map<number, number[]>;
}

/** Point-id rings of a polygon (shell first), and polygons of a multipolygon. */
export type IdPolygon = number[][];
export type IdMultiPolygon = IdPolygon[];

export interface MeshOptions {
  nx: number;
  ny: number;
  cellSize: number;
  /** Lower-left corner of the lattice in metres (easting, northing). */
  origin: [number, number];
}

/** A jittered lattice masked to an irregular blob (concave bays included), with wiggled edges. */
export function buildMesh(options: MeshOptions, rng: Rng): Mesh {
  const { nx, ny, cellSize, origin } = options;
  const jitter = 0.18;
  const xy: number[] = [];
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      xy.push(
        origin[0] + (i + rng.float(-jitter, jitter)) * cellSize,
        origin[1] + (j + rng.float(-jitter, jitter)) * cellSize,
      );
    }
  }
  // A wobbly ellipse with two bays cut in: the district outline is concave.
  const phase = [rng.float(0, 2 * Math.PI), rng.float(0, 2 * Math.PI)];
  const bays = [0, 1].map(() => ({
    theta: rng.float(0, 2 * Math.PI),
    width: rng.float(0.25, 0.45),
    depth: rng.float(0.25, 0.4),
  }));
  const inside = insideOutline(nx, ny, (theta) => {
    let radius = 1 + 0.08 * Math.sin(3 * theta + phase[0]!) + 0.05 * Math.sin(7 * theta + phase[1]!);
    for (const bay of bays) {
      const off = Math.abs(Math.atan2(Math.sin(theta - bay.theta), Math.cos(theta - bay.theta)));
      if (off < bay.width) radius -= bay.depth * (1 - off / bay.width);
    }
    return radius;
  });
  const lattice: Lattice = {
    nx,
    ny,
    cellSize,
    lon: new Float64Array(0),
    lat: new Float64Array(0),
    cells: [],
    inside,
    metresPerDegreeLon: 1,
    metresPerDegreeLat: 1,
  };
  keepLargestComponent(lattice);

  // Wiggles: 0–3 points per edge, pushed sideways by up to 6 % of the cell; a third of the
  // edges stay straight, so long segments exist for long wedges.
  const wiggles = new Map<number, number[]>();
  const addEdge = (a: number, b: number) => {
    const key = edgeKey(lattice, a, b);
    if (wiggles.has(key)) return;
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const count = rng.pick([0, 0, 1, 2, 2, 3]);
    const ids: number[] = [];
    const [x1, y1, x2, y2] = [xy[lo * 2]!, xy[lo * 2 + 1]!, xy[hi * 2]!, xy[hi * 2 + 1]!];
    const len = Math.hypot(x2 - x1, y2 - y1);
    for (let k = 1; k <= count; k++) {
      const t = (k + rng.float(-0.2, 0.2)) / (count + 1);
      const side = rng.float(-0.06, 0.06) * cellSize;
      ids.push(xy.length / 2);
      xy.push(x1 + t * (x2 - x1) - ((y2 - y1) / len) * side, y1 + t * (y2 - y1) + ((x2 - x1) / len) * side);
    }
    wiggles.set(key, ids);
  };
  for (const cell of lattice.cells) {
    const i = cell % nx;
    const j = Math.floor(cell / nx);
    const [a, b, c, d] = [
      vertexId(lattice, i, j),
      vertexId(lattice, i + 1, j),
      vertexId(lattice, i + 1, j + 1),
      vertexId(lattice, i, j + 1),
    ];
    addEdge(a, b);
    addEdge(b, c);
    addEdge(c, d);
    addEdge(d, a);
  }
  return { lattice, xy, wiggles };
}

const edgeKey = (l: Lattice, a: number, b: number) => {
  const v = (l.nx + 1) * (l.ny + 1);
  return a < b ? a * v + b : b * v + a;
};

/** The outline of a set of cells as point-id rings, wiggle points included. */
export function traceMesh(mesh: Mesh, cells: Iterable<number>): IdMultiPolygon {
  const l = mesh.lattice;
  return components(l, cells).map((component) =>
    traceComponentRings(l, component).map((ring) => {
      const out: number[] = [ring[0]!];
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [ring[k]!, ring[k + 1]!];
        const w = mesh.wiggles.get(edgeKey(l, a, b)) ?? [];
        out.push(...(a < b ? w : [...w].reverse()), b);
      }
      return out;
    }),
  );
}

/** Add a point (metres) and return its id. */
export function addPoint(mesh: Mesh, x: number, y: number): number {
  mesh.xy.push(x, y);
  return mesh.xy.length / 2 - 1;
}

export const pointXY = (mesh: Mesh, id: number): [number, number] => [mesh.xy[id * 2]!, mesh.xy[id * 2 + 1]!];
