/**
 * The administrative chain as cell sets: district → streets → communities → grids, and
 * compounds of 1–3 cells inside a grid. Each level is a flood fill of its parent's cells,
 * so every child lies inside its parent and the children tile it.
 */
import { partitionCells } from './flood-fill.ts';
import { neighbours, type Lattice } from './lattice.ts';
import { communityNames, compoundNames } from './names.ts';
import type { Rng } from './prng.ts';

export interface GridPlan {
  code: string;
  name: string;
  communityCode: string;
  cells: number[];
}

export interface CompoundPlan {
  code: string;
  name: string;
  communityCode: string;
  gridCode: string;
  cells: number[];
}

export interface CommunityPlan {
  code: string;
  name: string;
  streetCode: string;
  cells: number[];
  grids: GridPlan[];
  compounds: CompoundPlan[];
}

export interface StreetPlan {
  code: string;
  name: string;
  cells: number[];
  communities: CommunityPlan[];
}

export interface HierarchyOptions {
  districtCode: string;
  streets: readonly { seq: string; name: string }[];
  communities: number;
  grids: number;
  compounds: number;
}

/** Split `total` over weights by largest remainder, giving each at least `min`. */
export function allocate(total: number, weights: readonly number[], min = 1): number[] {
  const spare = total - min * weights.length;
  if (spare < 0) throw new Error(`cannot give ${weights.length} parts at least ${min} of ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (spare * w) / sum);
  const out = exact.map((x) => Math.floor(x));
  const order = exact.map((x, k) => [x - Math.floor(x), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let left = spare - out.reduce((a, b) => a + b, 0);
  for (const [, k] of order) {
    if (left-- <= 0) break;
    out[k] = (out[k] as number) + 1;
  }
  return out.map((n) => n + min);
}

export function planHierarchy(l: Lattice, options: HierarchyOptions, rng: Rng): StreetPlan[] {
  const streetCells = partitionCells(l, l.cells, options.streets.length, rng.fork('streets'));
  const communityCounts = allocate(
    options.communities,
    streetCells.map((c) => c.length),
    1,
  );
  const names = communityNames(rng.fork('community-names'));
  const streets: StreetPlan[] = options.streets.map((street, s) => {
    const code = `${options.districtCode}${street.seq}000`;
    const parts = partitionCells(
      l,
      streetCells[s] as number[],
      communityCounts[s] as number,
      rng.fork(`communities-${code}`),
    );
    return {
      code,
      name: street.name,
      cells: streetCells[s] as number[],
      communities: parts.map((cells, c) => ({
        code: `${options.districtCode}${street.seq}${String(c + 1).padStart(3, '0')}`,
        name: `${names.next()}社区`,
        streetCode: code,
        cells,
        grids: [],
        compounds: [],
      })),
    };
  });
  const communities = streets.flatMap((s) => s.communities);
  // Small grids need room for buildings: at least two cells per grid where possible.
  const gridCounts = allocate(
    options.grids,
    communities.map((c) => c.cells.length),
    1,
  );
  communities.forEach((community, c) => {
    const count = Math.min(gridCounts[c] as number, community.cells.length);
    const parts = partitionCells(l, community.cells, count, rng.fork(`grids-${community.code}`));
    community.grids = parts.map((cells, g) => ({
      code: `${community.code}${String(g + 1).padStart(3, '0')}`,
      name: `第${g + 1}网格`,
      communityCode: community.code,
      cells,
    }));
  });
  placeCompounds(l, communities, options.compounds, rng.fork('compounds'));
  return streets;
}

/** Compounds of 1–3 connected cells, each inside one grid, spread over the communities. */
function placeCompounds(l: Lattice, communities: CommunityPlan[], total: number, rng: Rng): void {
  const counts = allocate(
    total,
    communities.map((c) => c.grids.length),
    1,
  );
  const names = compoundNames(rng.fork('names'));
  const used = new Set<number>();
  communities.forEach((community, c) => {
    const grids = rng.shuffle([...community.grids]);
    for (let k = 0; k < (counts[c] as number); k++) {
      const grid = grids[k % grids.length] as GridPlan;
      const inGrid = new Set(grid.cells);
      const free = grid.cells.filter((cell) => !used.has(cell));
      if (free.length === 0) continue;
      const cells = [rng.pick(free)];
      const size = rng.pick([1, 2, 2, 3]);
      while (cells.length < size) {
        const options = cells
          .flatMap((cell) => neighbours(l, cell))
          .filter((n) => inGrid.has(n) && !used.has(n) && !cells.includes(n));
        if (options.length === 0) break;
        cells.push(rng.pick(options.sort((a, b) => a - b)));
      }
      cells.forEach((cell) => used.add(cell));
      community.compounds.push({
        code: `${community.code}X${String(community.compounds.length + 1).padStart(2, '0')}`,
        name: names.next(),
        communityCode: community.code,
        gridCode: grid.code,
        cells: cells.sort((a, b) => a - b),
      });
    }
  });
}
