/**
 * Small cell-set shapes for tests: pinches and holes that a district may contain, as ASCII
 * (`#` = in the set, row 0 on top), and a plain lattice to trace them on.
 */
import type { Lattice } from './lattice.ts';

/** An unjittered lattice of 1/1000° cells, every cell inside. */
export function plainLattice(nx: number, ny: number): Lattice {
  const lon = new Float64Array((nx + 1) * (ny + 1));
  const lat = new Float64Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      lon[j * (nx + 1) + i] = Math.round((116.6 + i / 1000) * 1e7) / 1e7;
      lat[j * (nx + 1) + i] = Math.round((39.5 + j / 1000) * 1e7) / 1e7;
    }
  }
  const cells = Array.from({ length: nx * ny }, (_, k) => k);
  return {
    nx,
    ny,
    cellSize: 86,
    lon,
    lat,
    cells,
    inside: new Uint8Array(nx * ny).fill(1),
    metresPerDegreeLon: 85_900,
    metresPerDegreeLat: 111_000,
  };
}

/** Cells of an ASCII picture on a lattice as tall as the picture (top row = highest j). */
export function cellsFromPicture(picture: string): { lattice: Lattice; cells: number[] } {
  const rows = picture
    .trim()
    .split('\n')
    .map((r) => r.trim());
  const nx = Math.max(...rows.map((r) => r.length));
  const ny = rows.length;
  const cells: number[] = [];
  rows.forEach((row, r) => [...row].forEach((ch, i) => ch === '#' && cells.push((ny - 1 - r) * nx + i)));
  return { lattice: plainLattice(nx, ny), cells };
}

/** Shapes with the number of polygons and of holes each must trace to. */
export const TRACE_FIXTURES: { name: string; picture: string; polygons: number; holes: number }[] = [
  { name: 'square', picture: '##\n##', polygons: 1, holes: 0 },
  { name: 'diagonal pinch: two polygons touching at a point', picture: '#.\n.#', polygons: 2, holes: 0 },
  { name: 'ring with a hole', picture: '###\n#.#\n###', polygons: 1, holes: 1 },
  { name: 'hole touching the shell at one vertex', picture: '.##\n#.#\n###', polygons: 1, holes: 1 },
  { name: 'two holes touching each other at a vertex', picture: '####\n#.##\n##.#\n####', polygons: 1, holes: 2 },
  { name: 'U closed by a diagonal', picture: '##.\n#.#\n###', polygons: 1, holes: 1 },
  { name: 'staircase of pinches', picture: '#..\n.#.\n..#', polygons: 3, holes: 0 },
];
