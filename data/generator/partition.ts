/**
 * Split a connected graph of weighted nodes (blocks of cells) into k connected groups of
 * roughly equal weight: farthest-point seeds relaxed by Lloyd steps, then balanced growth
 * (the group furthest below its share takes the frontier node nearest its seed, with a
 * little noise so borders are not straight). Groups are whole nodes: a community is whole
 * blocks, so its boundary runs along roads. `seedable` (if given) says which nodes may seed a
 * group: every group holds its seed, so every group then holds a seedable node (a community
 * holds land to build on, not only river).
 */
import type { Rng } from './prng.ts';

export interface GraphNode {
  weight: number;
  x: number;
  y: number;
  neighbours: readonly number[];
}

export function partitionGraph(
  nodes: readonly GraphNode[],
  members: readonly number[],
  k: number,
  rng: Rng,
  seedable?: (node: number) => boolean,
): number[][] {
  if (k < 1 || k > members.length) throw new Error(`cannot split ${members.length} nodes into ${k} groups`);
  const member = new Set(members);
  const seeds = placeSeeds(nodes, members, k, rng, seedable);
  const owner = new Map<number, number>();
  const groups: number[][] = seeds.map(() => []);
  const weight = seeds.map(() => 0);
  const frontiers: Set<number>[] = seeds.map(() => new Set<number>());
  const total = members.reduce((s, m) => s + nodes[m]!.weight, 0);
  const target = total / k;
  const claim = (g: number, n: number) => {
    owner.set(n, g);
    groups[g]!.push(n);
    weight[g]! += nodes[n]!.weight;
    for (const m of nodes[n]!.neighbours) if (member.has(m) && !owner.has(m)) frontiers[g]!.add(m);
  };
  seeds.forEach((s, g) => claim(g, s));
  let left = members.length - k;
  while (left > 0) {
    let grow = -1;
    let bestFill = Infinity;
    for (let g = 0; g < k; g++) {
      const frontier = frontiers[g]!;
      for (const n of frontier) if (owner.has(n)) frontier.delete(n);
      if (frontier.size === 0) continue;
      const fill = weight[g]! / target;
      if (fill < bestFill) {
        bestFill = fill;
        grow = g;
      }
    }
    if (grow < 0) throw new Error('partition stalled: the nodes are not connected');
    const seed = nodes[seeds[grow]!]!;
    let pick = -1;
    let pickCost = Infinity;
    for (const n of [...frontiers[grow]!].sort((a, b) => a - b)) {
      const cost = Math.hypot(nodes[n]!.x - seed.x, nodes[n]!.y - seed.y) + rng.float(0, 1.5);
      if (cost < pickCost) {
        pickCost = cost;
        pick = n;
      }
    }
    claim(grow, pick);
    left--;
  }
  return groups.map((g) => g.sort((a, b) => a - b));
}

function placeSeeds(
  nodes: readonly GraphNode[],
  members: readonly number[],
  k: number,
  rng: Rng,
  seedable?: (node: number) => boolean,
): number[] {
  const xy = members.map((m) => [nodes[m]!.x, nodes[m]!.y] as const);
  const seeds: number[] = [rng.int(0, members.length - 1)];
  const minD = xy.map(() => Infinity);
  while (seeds.length < k) {
    const [sx, sy] = xy[seeds[seeds.length - 1]!]!;
    let far = -1;
    xy.forEach(([x, y], idx) => {
      minD[idx] = Math.min(minD[idx]!, (x - sx) ** 2 + (y - sy) ** 2);
      if (far < 0 || minD[idx]! > minD[far]!) far = idx;
    });
    seeds.push(far);
  }
  let centres = seeds.map((s) => [...xy[s]!] as [number, number]);
  for (let step = 0; step < 4; step++) {
    const sum = centres.map(() => [0, 0, 0]);
    xy.forEach(([x, y], idx) => {
      let best = 0;
      let bestD = Infinity;
      centres.forEach(([cx, cy], s) => {
        const d = (cx - x) ** 2 + (cy - y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = s;
        }
      });
      const w = nodes[members[idx]!]!.weight;
      const acc = sum[best]!;
      acc[0]! += x * w;
      acc[1]! += y * w;
      acc[2]! += w;
    });
    centres = centres.map((c, s) => {
      const [sx, sy, n] = sum[s] as [number, number, number];
      return n > 0 ? [sx / n, sy / n] : c;
    });
  }
  // Seeds snap to seedable members while there are enough of them for every group.
  const allowed = members.map((m) => !seedable || seedable(m));
  const open = allowed.filter(Boolean).length >= k ? allowed : members.map(() => true);
  const taken = new Set<number>();
  return centres.map(([x, y]) => {
    let best = -1;
    let bestD = Infinity;
    xy.forEach(([cx, cy], idx) => {
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (d < bestD && !taken.has(idx) && open[idx]) {
        bestD = d;
        best = idx;
      }
    });
    taken.add(best);
    return members[best]!;
  });
}
