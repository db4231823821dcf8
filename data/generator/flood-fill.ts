/**
 * Split a 4-connected set of cells into k 4-connected parts of roughly equal size:
 * centroidal seeds, then balanced multi-source growth (the part furthest below its
 * target grows next, taking the frontier cell nearest its seed, with a little noise so
 * borders are not straight).
 */
import { cellXY, neighbours, type Lattice } from './lattice.ts';
import type { Rng } from './prng.ts';

export function partitionCells(l: Lattice, cells: readonly number[], k: number, rng: Rng): number[][] {
  if (k < 1 || k > cells.length) throw new Error(`cannot split ${cells.length} cells into ${k} parts`);
  const member = new Set(cells);
  const seeds = placeSeeds(l, cells, k, rng);
  const owner = new Map<number, number>();
  const parts: number[][] = seeds.map(() => []);
  const frontiers: Set<number>[] = seeds.map(() => new Set<number>());
  const centre = seeds.map((s) => cellXY(l, s));
  const target = cells.length / k;

  const claim = (part: number, cell: number) => {
    owner.set(cell, part);
    (parts[part] as number[]).push(cell);
    for (const n of neighbours(l, cell)) if (member.has(n) && !owner.has(n)) (frontiers[part] as Set<number>).add(n);
  };
  seeds.forEach((seed, part) => claim(part, seed));

  let left = cells.length - k;
  while (left > 0) {
    let grow = -1;
    let bestFill = Infinity;
    for (let p = 0; p < k; p++) {
      const frontier = frontiers[p] as Set<number>;
      for (const cell of frontier) if (owner.has(cell)) frontier.delete(cell);
      if (frontier.size === 0) continue;
      const fill = (parts[p] as number[]).length / target;
      if (fill < bestFill) {
        bestFill = fill;
        grow = p;
      }
    }
    if (grow < 0) throw new Error('flood fill stalled: the cell set is not 4-connected');
    const [cx, cy] = centre[grow] as [number, number];
    let pick = -1;
    let pickCost = Infinity;
    for (const cell of [...(frontiers[grow] as Set<number>)].sort((a, b) => a - b)) {
      const [x, y] = cellXY(l, cell);
      const cost = Math.hypot(x - cx, y - cy) + rng.float(0, 1.2);
      if (cost < pickCost) {
        pickCost = cost;
        pick = cell;
      }
    }
    claim(grow, pick);
    left--;
  }
  return parts.map((part) => part.sort((a, b) => a - b));
}

/** Farthest-point seeds relaxed by a few Lloyd steps, snapped to distinct member cells. */
function placeSeeds(l: Lattice, cells: readonly number[], k: number, rng: Rng): number[] {
  const xy = cells.map((c) => cellXY(l, c));
  const nearestCell = (x: number, y: number, taken: Set<number>) => {
    let best = -1;
    let bestD = Infinity;
    xy.forEach(([cx, cy], idx) => {
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (d < bestD && !taken.has(idx)) {
        bestD = d;
        best = idx;
      }
    });
    return best;
  };
  const seeds: number[] = [rng.int(0, cells.length - 1)];
  const minD = xy.map(() => Infinity);
  while (seeds.length < k) {
    const [sx, sy] = xy[seeds[seeds.length - 1] as number] as [number, number];
    let far = -1;
    xy.forEach(([x, y], idx) => {
      minD[idx] = Math.min(minD[idx] as number, (x - sx) ** 2 + (y - sy) ** 2);
      if (far < 0 || (minD[idx] as number) > (minD[far] as number)) far = idx;
    });
    seeds.push(far);
  }
  let centres = seeds.map((s) => xy[s] as [number, number]);
  for (let step = 0; step < 4; step++) {
    const sum = centres.map(() => [0, 0, 0]);
    for (const [x, y] of xy) {
      let best = 0;
      let bestD = Infinity;
      centres.forEach(([cx, cy], s) => {
        const d = (cx - x) ** 2 + (cy - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = s;
        }
      });
      const acc = sum[best] as number[];
      acc[0] = (acc[0] as number) + x;
      acc[1] = (acc[1] as number) + y;
      acc[2] = (acc[2] as number) + 1;
    }
    centres = centres.map((c, s) => {
      const [sx, sy, n] = sum[s] as [number, number, number];
      return n > 0 ? [sx / n, sy / n] : c;
    });
  }
  const taken = new Set<number>();
  return centres.map(([x, y]) => {
    const idx = nearestCell(x, y, taken);
    taken.add(idx);
    return cells[idx] as number;
  });
}
