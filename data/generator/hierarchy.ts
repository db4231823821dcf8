/**
 * The administrative chain, road first: the plan's blocks are grouped into streets and
 * communities (whole blocks, so their boundaries are roads); each community is cut into its
 * grids (whole blocks, blocks halved along a lane, or neighbouring blocks joined), their
 * number varying with the community's size and density (3–12 in the city, 2–5 in a
 * village); compounds (小区) of 1–4 cells lie inside one block and one grid. In the rural
 * town communities are villages (村) with large rural grids.
 */
import { partitionCells } from './flood-fill.ts';
import { cellNeighbours, type DistrictPlan } from './plan.ts';
import { communityNames, compoundNames, villageNames } from './names.ts';
import { partitionGraph, type GraphNode } from './partition.ts';
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
  /** A village (村) of a rural town. */
  rural: boolean;
  cells: number[];
  grids: GridPlan[];
  compounds: CompoundPlan[];
}

export interface StreetPlan {
  code: string;
  name: string;
  rural: boolean;
  cells: number[];
  communities: CommunityPlan[];
}

export interface HierarchyOptions {
  districtCode: string;
  streets: readonly { seq: string; name: string }[];
  communities: number;
  grids: number;
  compounds: number;
  /** Grid counts by size only, not denser towards the middle (communities of similar households). */
  evenDensity?: boolean;
}

/** A town (镇) or township (乡) rather than a street office. */
export const isRuralStreet = (name: string): boolean => /[镇乡]$/.test(name);

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

/** allocate, then no part above its own maximum: the excess goes to parts with room, by weight. */
export function allocateBounded(
  total: number,
  weights: readonly number[],
  min: number,
  max: readonly number[],
): number[] {
  const out = allocate(total, weights, min);
  for (;;) {
    const over = out.findIndex((n, k) => n > max[k]!);
    if (over < 0) return out;
    out[over]!--;
    let best = -1;
    out.forEach((n, k) => {
      if (n >= max[k]!) return;
      if (best < 0 || weights[k]! / (n + 1) > weights[best]! / (out[best]! + 1)) best = k;
    });
    if (best < 0) throw new Error(`cannot place ${total} within the maxima`);
    out[best]!++;
  }
}

export function planHierarchy(plan: DistrictPlan, options: HierarchyOptions, rng: Rng): StreetPlan[] {
  const l = plan.lattice;
  const nx = l.nx;
  const xy = (cell: number) => [cell % nx, Math.floor(cell / nx)] as const;
  const buildable = (cell: number) => plan.river[cell] === 0;
  const centroid = (cells: readonly number[]) => {
    let [sx, sy] = [0, 0];
    for (const c of cells) {
      const [x, y] = xy(c);
      sx += x;
      sy += y;
    }
    return [sx / cells.length, sy / cells.length] as const;
  };
  const nodes: GraphNode[] = plan.blocks.map((cells, b) => {
    const [x, y] = centroid(cells);
    const neighbours = new Set<number>();
    for (const c of cells)
      for (const n of cellNeighbours(l, c)) if (plan.blockOf[n] !== b) neighbours.add(plan.blockOf[n]!);
    return { weight: cells.length, x, y, neighbours: [...neighbours].sort((p, q) => p - q) };
  });
  /** North first, then west to east (rows of about four cells). */
  const reading = (a: readonly number[], b: readonly number[]) => {
    const [ax, ay] = centroid(a);
    const [bx, by] = centroid(b);
    return Math.round(-ay / 4) - Math.round(-by / 4) || ax - bx;
  };
  const cellsOf = (blocks: readonly number[]) => blocks.flatMap((b) => plan.blocks[b]!).sort((p, q) => p - q);

  // Streets: the town's blocks to the rural streets, the others to the street offices, west to east.
  const urbanDefs = options.streets.filter((s) => !isRuralStreet(s.name));
  const ruralDefs = options.streets.filter((s) => isRuralStreet(s.name));
  const allBlocks = plan.blocks.map((_, b) => b);
  const townBlocks = allBlocks.filter((b) => plan.town[plan.blocks[b]![0]!] === 1);
  const cityBlocks = allBlocks.filter((b) => plan.town[plan.blocks[b]![0]!] === 0);
  if (townBlocks.length > 0 && ruralDefs.length === 0)
    throw new Error('a rural town in the plan but no town among the streets');
  const byWest = (groups: number[][]) => groups.sort((a, b) => centroid(cellsOf(a))[0] - centroid(cellsOf(b))[0]);
  const streetBlocks = new Map<string, number[]>();
  const assign = (defs: typeof options.streets, blocks: number[], label: string) => {
    if (defs.length === 0) return;
    byWest(partitionGraph(nodes, blocks, defs.length, rng.fork(label))).forEach((g, k) =>
      streetBlocks.set(defs[k]!.seq, g),
    );
  };
  assign(urbanDefs, cityBlocks, 'streets');
  assign(ruralDefs, townBlocks, 'towns');

  const townCells = townBlocks.reduce((s, b) => s + plan.blocks[b]!.length, 0);
  const villages =
    ruralDefs.length === 0
      ? 0
      : Math.max(ruralDefs.length, Math.round((options.communities * townCells * 0.6) / l.cells.length));
  const cityCommunities = options.communities - villages;
  const streetDefs = options.streets.map((s) => ({ ...s, rural: isRuralStreet(s.name) }));
  const counts = new Map<string, number>();
  for (const rural of [false, true]) {
    const defs = streetDefs.filter((s) => s.rural === rural);
    if (defs.length === 0) continue;
    allocate(
      rural ? villages : cityCommunities,
      defs.map((s) => cellsOf(streetBlocks.get(s.seq)!).length),
      1,
    ).forEach((n, k) => counts.set(defs[k]!.seq, n));
  }
  const names = communityNames(rng.fork('community-names'));
  const villageName = villageNames(rng.fork('village-names'));
  const streets: StreetPlan[] = streetDefs.map((street) => {
    const code = `${options.districtCode}${street.seq}000`;
    const blocks = streetBlocks.get(street.seq)!;
    // A community is seeded on a block with land, never on a block wholly in the river: a
    // community of river alone had no grid and stopped the city (seed 20260, 130145002011).
    const groups = partitionGraph(nodes, blocks, counts.get(street.seq)!, rng.fork(`communities-${code}`), (b) =>
      plan.blocks[b]!.some(buildable),
    )
      .map(cellsOf)
      .sort(reading);
    return {
      code,
      name: street.name,
      rural: street.rural,
      cells: cellsOf(blocks),
      communities: groups.map((cells, c) => ({
        code: `${options.districtCode}${street.seq}${String(c + 1).padStart(3, '0')}`,
        name: street.rural ? `${villageName.next()}村` : `${names.next()}社区`,
        streetCode: code,
        rural: street.rural,
        cells,
        grids: [],
        compounds: [],
      })),
    };
  });
  const communities = streets.flatMap((s) => s.communities);

  // Grid counts: denser (more, smaller grids) towards the middle of the city.
  const grng = rng.fork('grid-counts');
  const cityCells = communities.filter((c) => !c.rural).flatMap((c) => c.cells);
  const [mx, my] = cityCells.length > 0 ? centroid(cityCells) : [0, 0];
  const spread = Math.max(1, ...cityCells.map((c) => Math.hypot(xy(c)[0] - mx, xy(c)[1] - my)));
  const villageGrids = communities.filter((c) => c.rural).length * 3;
  for (const rural of [false, true]) {
    const group = communities.filter((c) => c.rural === rural);
    if (group.length === 0) continue;
    const weights = group.map((c) => {
      const [cx, cy] = centroid(c.cells);
      const density = rural || options.evenDensity ? 1 : 1.6 - Math.hypot(cx - mx, cy - my) / spread;
      return c.cells.filter(buildable).length * density * grng.float(0.7, 1.3);
    });
    // At least one grid each: grids tile the community (a community with no grid is a gap).
    const maxima = group.map((c) =>
      Math.max(1, Math.min(rural ? 5 : 12, Math.floor(c.cells.filter(buildable).length / 2))),
    );
    allocateBounded(rural ? villageGrids : options.grids - villageGrids, weights, rural ? 2 : 3, maxima).forEach(
      (k, i) => {
        const community = group[i]!;
        community.grids = splitIntoGrids(plan, community, k).map((cells, g) => ({
          code: `${community.code}${String(g + 1).padStart(3, '0')}`,
          name: `第${g + 1}网格`,
          communityCode: community.code,
          cells,
        }));
      },
    );
  }
  placeCompounds(plan, communities, options.compounds, rng.fork('compounds'));
  return streets;

  /** A community's cells as k grids: its blocks, halved or joined until there are k. */
  function splitIntoGrids(p: DistrictPlan, community: CommunityPlan, k: number): number[][] {
    if (k < 1) throw new Error(`community ${community.code}: no grid for it (${k})`);
    const blockIds = [...new Set(community.cells.map((c) => p.blockOf[c]!))].sort((a, b) => a - b);
    let units = blockIds.map((b) => [...p.blocks[b]!]);
    // A block wholly in the river corridor joins a neighbour: every grid has somewhere to build.
    for (
      let wet = units.find((u) => !u.some(buildable));
      wet && units.length > 1;
      wet = units.find((u) => !u.some(buildable))
    ) {
      const inWet = new Set(wet);
      const into = units
        .filter((u) => u !== wet && u.some((c) => cellNeighbours(l, c).some((n) => inWet.has(n))))
        .sort((a, b) => a.length - b.length || a[0]! - b[0]!)[0];
      if (!into) break;
      units = [...units.filter((u) => u !== wet && u !== into), [...into, ...wet].sort((a, b) => a - b)];
    }
    const unsplittable = new Set<number[]>();
    while (units.length < k) {
      const candidates = units
        .filter((u) => !unsplittable.has(u) && u.filter(buildable).length >= 4)
        .sort((a, b) => b.filter(buildable).length - a.filter(buildable).length);
      const unit = candidates[0];
      if (!unit) {
        // No straight cut left (odd shapes at the rim): a flood-fill split of a unit with room.
        const parts = units
          .filter((u) => u.filter(buildable).length >= 2)
          .map((u) => ({ u, parts: partitionCells(l, u, 2, rng.fork(`split-${community.code}-${units.length}`)) }))
          .find(({ parts }) => parts.every((part) => part.some(buildable)));
        if (!parts) throw new Error(`community ${community.code}: cannot make ${k} grids`);
        units = [...units.filter((u) => u !== parts.u), ...parts.parts];
        continue;
      }
      const halves = halve(unit);
      if (!halves) {
        unsplittable.add(unit);
        continue;
      }
      units = [...units.filter((u) => u !== unit), ...halves];
    }
    while (units.length > k) {
      units.sort((a, b) => a.length - b.length || a[0]! - b[0]!);
      const small = units[0]!;
      const inSmall = new Set(small);
      const touching = units
        .slice(1)
        .filter((u) => u.some((c) => cellNeighbours(l, c).some((n) => inSmall.has(n))))
        .sort((a, b) => a.length - b.length || a[0]! - b[0]!);
      const into = touching[0];
      if (!into) throw new Error(`community ${community.code}: a grid touches no other`);
      units = [...units.filter((u) => u !== small && u !== into), [...into, ...small].sort((a, b) => a - b)];
    }
    return units.map((u) => [...u].sort((a, b) => a - b)).sort(reading);
  }

  /** Cut a unit in two along a lattice line (a lane), balancing buildable cells; null if it cannot be. */
  function halve(unit: readonly number[]): [number[], number[]] | null {
    const xs = unit.map((c) => xy(c)[0]);
    const ys = unit.map((c) => xy(c)[1]);
    const span = [Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
    let best: { score: number; parts: [number[], number[]] } | null = null;
    for (const axis of [0, 1]) {
      const coords = axis === 0 ? xs : ys;
      for (let cut = Math.min(...coords) + 1; cut <= Math.max(...coords); cut++) {
        const a = unit.filter((c) => xy(c)[axis]! < cut);
        const b = unit.filter((c) => xy(c)[axis]! >= cut);
        const [ba, bb] = [a.filter(buildable).length, b.filter(buildable).length];
        if (ba < 2 || bb < 2 || !connected(a) || !connected(b)) continue;
        const score = Math.abs(ba - bb) + 0.3 * Math.abs(a.length - b.length) + (span[axis]! < span[1 - axis]! ? 2 : 0);
        if (!best || score < best.score) best = { score, parts: [a, b] };
      }
    }
    return best?.parts ?? null;
  }

  function connected(cells: readonly number[]): boolean {
    if (cells.length === 0) return false;
    const set = new Set(cells);
    const seen = new Set([cells[0]!]);
    const queue = [cells[0]!];
    for (let k = 0; k < queue.length; k++)
      for (const n of cellNeighbours(l, queue[k]!))
        if (set.has(n) && !seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
    return seen.size === set.size;
  }
}

/**
 * Compounds of 1–4 cells, compact, each inside one grid and one block, on buildable cells,
 * spread over the city communities by their grid counts (villages have none). Exactly
 * `total` are placed: a community without room passes its share on.
 */
function placeCompounds(plan: DistrictPlan, communities: CommunityPlan[], total: number, rng: Rng): void {
  const l = plan.lattice;
  const nx = l.nx;
  const city = communities.filter((c) => !c.rural);
  const hosts = city.length > 0 ? city : communities;
  const counts = allocate(
    total,
    hosts.map((c) => c.grids.length),
    1,
  );
  const names = compoundNames(rng.fork('names'));
  const used = new Set<number>();
  let carry = 0;
  hosts.forEach((community, c) => {
    let wanted = counts[c]! + carry;
    const grids = rng.shuffle([...community.grids]);
    for (let attempt = 0; wanted > 0 && attempt < grids.length * 3; attempt++) {
      const grid = grids[attempt % grids.length]!;
      const inGrid = new Set(grid.cells);
      const free = grid.cells.filter((cell) => !used.has(cell) && plan.river[cell] === 0);
      if (free.length === 0) continue;
      const first = rng.pick(free);
      const block = plan.blockOf[first];
      const cells = [first];
      const size = rng.pick([1, 2, 2, 3, 4]);
      while (cells.length < size) {
        const options = [
          ...new Set(
            cells
              .flatMap((cell) => cellNeighbours(l, cell))
              .filter(
                (n) =>
                  inGrid.has(n) &&
                  !used.has(n) &&
                  !cells.includes(n) &&
                  plan.blockOf[n] === block &&
                  plan.river[n] === 0,
              ),
          ),
        ].sort((a, b) => a - b);
        if (options.length === 0) break;
        // Keep it compact: the neighbour that grows the bounding box least.
        const box = (extra: number) => {
          const all = [...cells, extra];
          const xs = all.map((q) => q % nx);
          const ys = all.map((q) => Math.floor(q / nx));
          return (Math.max(...xs) - Math.min(...xs) + 1) * (Math.max(...ys) - Math.min(...ys) + 1);
        };
        const least = Math.min(...options.map(box));
        cells.push(rng.pick(options.filter((o) => box(o) === least)));
      }
      cells.forEach((cell) => used.add(cell));
      community.compounds.push({
        code: `${community.code}X${String(community.compounds.length + 1).padStart(2, '0')}`,
        name: names.next(),
        communityCode: community.code,
        gridCode: grid.code,
        cells: cells.sort((a, b) => a - b),
      });
      wanted--;
    }
    carry = wanted;
  });
  if (carry > 0) throw new Error(`no room for ${carry} compounds`);
}
