/**
 * The jittered lattice every polygon of a district is cut from. Cells are quads over shared
 * vertices whose coordinates are rounded once, so any two polygons traced from the lattice
 * share exactly the same vertex coordinates along their common boundary (exact tiling).
 *
 *   vertex (i, j+1) ── (i+1, j+1)
 *        │    cell (i, j)   │        cell id = j * nx + i
 *   vertex (i, j)  ──── (i+1, j)     vertex id = j * (nx + 1) + i
 */
import type { Position } from 'geojson';
import type { Rng } from './prng.ts';

export interface Lattice {
  nx: number;
  ny: number;
  cellSize: number;
  /** Rounded longitude/latitude of each vertex. */
  lon: Float64Array;
  lat: Float64Array;
  /** Cells inside the district (one 4-connected set), ascending ids. */
  cells: number[];
  inside: Uint8Array;
  metresPerDegreeLon: number;
  metresPerDegreeLat: number;
}

export interface LatticeOptions {
  centre: [number, number];
  nx: number;
  ny: number;
  /** Cell edge in metres. */
  cellSize: number;
  /** Vertex jitter as a share of the cell size (keep below 0.25 so cells stay convex). */
  jitter?: number;
}

export const round7 = (value: number): number => Math.round(value * 1e7) / 1e7;

export const vertexId = (l: Pick<Lattice, 'nx'>, i: number, j: number): number => j * (l.nx + 1) + i;
export const cellXY = (l: Pick<Lattice, 'nx'>, cell: number): [number, number] => [
  cell % l.nx,
  Math.floor(cell / l.nx),
];

/** The 4-neighbours of a cell that lie inside the district. */
export function neighbours(l: Lattice, cell: number): number[] {
  const [i, j] = cellXY(l, cell);
  const out: number[] = [];
  if (i > 0 && l.inside[cell - 1]) out.push(cell - 1);
  if (i < l.nx - 1 && l.inside[cell + 1]) out.push(cell + 1);
  if (j > 0 && l.inside[cell - l.nx]) out.push(cell - l.nx);
  if (j < l.ny - 1 && l.inside[cell + l.nx]) out.push(cell + l.nx);
  return out;
}

export function vertexPosition(l: Lattice, vertex: number): Position {
  return [l.lon[vertex] as number, l.lat[vertex] as number];
}

/**
 * A point inside a cell by bilinear interpolation of its corners, (u, v) in [0, 1]².
 * Cells are convex, so the image of a parameter rectangle stays inside the cell.
 */
export function cellPoint(l: Lattice, cell: number, u: number, v: number): Position {
  const [i, j] = cellXY(l, cell);
  const a = vertexId(l, i, j);
  const b = a + 1;
  const d = vertexId(l, i, j + 1);
  const c = d + 1;
  const at = (arr: Float64Array, k: number) => arr[k] as number;
  const mix = (arr: Float64Array) =>
    (1 - u) * (1 - v) * at(arr, a) + u * (1 - v) * at(arr, b) + u * v * at(arr, c) + (1 - u) * v * at(arr, d);
  return [round7(mix(l.lon)), round7(mix(l.lat))];
}

/** Build the lattice and mask it to an irregular ellipse (the urban area). */
export function buildLattice(options: LatticeOptions, rng: Rng): Lattice {
  const { nx, ny, cellSize, centre } = options;
  const jitter = options.jitter ?? 0.18;
  const metresPerDegreeLat = 111_132.954 - 559.822 * Math.cos((2 * centre[1] * Math.PI) / 180);
  const metresPerDegreeLon = (Math.PI / 180) * 6_378_137 * Math.cos((centre[1] * Math.PI) / 180);
  const lon = new Float64Array((nx + 1) * (ny + 1));
  const lat = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const x = (i - nx / 2 + rng.float(-jitter, jitter)) * cellSize;
      const y = (j - ny / 2 + rng.float(-jitter, jitter)) * cellSize;
      const k = vertexId({ nx }, i, j);
      lon[k] = round7(centre[0] + x / metresPerDegreeLon);
      lat[k] = round7(centre[1] + y / metresPerDegreeLat);
    }
  }
  // An ellipse whose radius wobbles slowly with the angle: a town, not a circle.
  const phase = [rng.float(0, 2 * Math.PI), rng.float(0, 2 * Math.PI)];
  const inside = insideOutline(
    nx,
    ny,
    (theta) =>
      1 + 0.07 * Math.sin(3 * theta + (phase[0] as number)) + 0.04 * Math.sin(5 * theta + (phase[1] as number)),
  );
  const lattice: Lattice = { nx, ny, cellSize, lon, lat, cells: [], inside, metresPerDegreeLon, metresPerDegreeLat };
  keepLargestComponent(lattice);
  return lattice;
}

/**
 * The cells of an nx × ny lattice whose centre lies inside a star-shaped outline around its
 * middle: `radius(theta)` is the outline's distance at that angle, 1 being the lattice's edge.
 */
export function insideOutline(nx: number, ny: number, radius: (theta: number) => number): Uint8Array {
  const inside = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const dx = (i + 0.5 - nx / 2) / (nx / 2);
      const dy = (j + 0.5 - ny / 2) / (ny / 2);
      if (Math.hypot(dx, dy) <= radius(Math.atan2(dy, dx)) * 0.97) inside[j * nx + i] = 1;
    }
  }
  return inside;
}

/** The flood fill needs one 4-connected district: drop stray cells at the rim. */
export function keepLargestComponent(l: Lattice): void {
  const seen = new Uint8Array(l.inside.length);
  let best: number[] = [];
  for (let start = 0; start < l.inside.length; start++) {
    if (!l.inside[start] || seen[start]) continue;
    const component: number[] = [start];
    seen[start] = 1;
    for (let k = 0; k < component.length; k++) {
      for (const n of neighbours(l, component[k] as number)) {
        if (!seen[n]) {
          seen[n] = 1;
          component.push(n);
        }
      }
    }
    if (component.length > best.length) best = component;
  }
  l.inside.fill(0);
  for (const cell of best) l.inside[cell] = 1;
  l.cells = best.sort((a, b) => a - b);
}

/** Planar area of a cell in m² (shoelace over its four corners, local metres). */
export function cellAreaM2(l: Lattice, cell: number): number {
  const [i, j] = cellXY(l, cell);
  const ids = [vertexId(l, i, j), vertexId(l, i + 1, j), vertexId(l, i + 1, j + 1), vertexId(l, i, j + 1)];
  let twice = 0;
  for (let k = 0; k < 4; k++) {
    const p = ids[k] as number;
    const q = ids[(k + 1) % 4] as number;
    twice += (l.lon[p] as number) * (l.lat[q] as number) - (l.lon[q] as number) * (l.lat[p] as number);
  }
  return (twice / 2) * l.metresPerDegreeLon * l.metresPerDegreeLat;
}
