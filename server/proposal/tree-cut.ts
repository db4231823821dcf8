/**
 * One balanced cut of a connected node set over seeded random spanning trees (ReCom-style).
 * Pure.
 *
 * A tree is the minimum spanning tree under random keys with edges along roads and compound
 * outlines keyed last, so the tree crosses them as rarely as it can and cutting one of those
 * tree edges separates whole blocks: the cut then costs nothing. Every tree edge splits the
 * set into two connected sides; an edge is valid when the sides can still be divided into k1
 * and k − k1 parts within [lo, hi]. Its cost (non-aligned length of ALL graph edges between
 * the sides, not just the tree edge) is found for every tree edge at once: an edge (a, b)
 * crosses the cut below v exactly when v lies on the tree path a…b below their lowest common
 * ancestor, so adding w at a and b and −2w at the ancestor and summing subtrees gives it.
 */
import type { Rand } from './prng.ts';
import type { WorkGraph } from './work-graph.ts';

export interface CutOptions {
  lo: number;
  hi: number;
  /** Trees tried before keeping the best valid cut (more if none is valid yet). */
  trees: number;
  /** Length scale (metres) of one step of imbalance in the score. */
  balanceWeight: number;
  rand: Rand;
}

export interface Cut {
  side: number[];
  rest: number[];
  k1: number;
  /** Both sides can still be divided in band (by counts). */
  valid: boolean;
}

interface Candidate {
  score: number;
  violation: number;
  k1: number;
  v: number;
  parent: Int32Array;
  order: Int32Array;
}

/** Households outside [lo, hi] per part if `w` were divided into `k` parts, 0 when it fits. */
function countViolation(w: number, k: number, lo: number, hi: number): number {
  if (w < k * lo) return k * lo - w;
  if (w > k * hi) return w - k * hi;
  return 0;
}

export function findCut(g: WorkGraph, nodes: number[], k: number, opts: CutOptions): Cut {
  const m = nodes.length;
  const loc = new Map<number, number>();
  nodes.forEach((v, i) => loc.set(v, i));
  const ea: number[] = [];
  const eb: number[] = [];
  const eCost: number[] = [];
  const eRoad: number[] = [];
  const eAligned: number[] = [];
  for (let i = 0; i < m; i++) {
    for (const e of g.adj[nodes[i]!]!) {
      const j = loc.get(e.to);
      if (j === undefined || j <= i) continue;
      ea.push(i);
      eb.push(j);
      eCost.push(e.cost);
      eRoad.push(e.roadM);
      eAligned.push(e.lengthM > 0 ? 1 - e.cost / e.lengthM : 0);
    }
  }
  const E = ea.length;
  const weight = nodes.map((v) => g.households[v]!);
  const total = weight.reduce((s, w) => s + w, 0);
  const target = total / k;
  let log = 1;
  while (1 << log < m) log++;
  const uf = new Int32Array(m);
  const keys = new Float64Array(E);
  const idx = new Int32Array(E);
  let best: Candidate | null = null;
  const maxTrees = opts.trees * 4;
  for (let t = 0; t < maxTrees; t++) {
    if (t >= opts.trees && best && best.violation === 0) break;
    // Kruskal over random keys; aligned edges last.
    for (let e = 0; e < E; e++) {
      keys[e] = opts.rand() + 2 * eAligned[e]!;
      idx[e] = e;
    }
    idx.sort((p, q) => keys[p]! - keys[q]!);
    for (let i = 0; i < m; i++) uf[i] = i;
    const tree: number[][] = Array.from({ length: m }, () => []);
    const ufFind = (i: number): number => {
      while (uf[i] !== i) {
        uf[i] = uf[uf[i]!]!;
        i = uf[i]!;
      }
      return i;
    };
    for (let s = 0; s < E; s++) {
      const e = idx[s]!;
      const ra = ufFind(ea[e]!);
      const rb = ufFind(eb[e]!);
      if (ra === rb) continue;
      uf[ra] = rb;
      tree[ea[e]!]!.push(eb[e]!);
      tree[eb[e]!]!.push(ea[e]!);
    }
    const root = Math.floor(opts.rand() * m);
    const parent = new Int32Array(m).fill(-1);
    const depth = new Int32Array(m);
    const order = new Int32Array(m);
    order[0] = root;
    parent[root] = root;
    let len = 1;
    for (let i = 0; i < len; i++) {
      const v = order[i]!;
      for (const c of tree[v]!) {
        if (parent[c] !== -1) continue;
        parent[c] = v;
        depth[c] = depth[v]! + 1;
        order[len++] = c;
      }
    }
    const up = new Int32Array(log * m);
    for (let i = 0; i < m; i++) up[i] = parent[i]!;
    for (let j = 1; j < log; j++) {
      for (let i = 0; i < m; i++) up[j * m + i] = up[(j - 1) * m + up[(j - 1) * m + i]!]!;
    }
    const lca = (a: number, b: number): number => {
      if (depth[a]! < depth[b]!) [a, b] = [b, a];
      let diff = depth[a]! - depth[b]!;
      for (let j = 0; diff > 0; j++, diff >>= 1) if (diff & 1) a = up[j * m + a]!;
      if (a === b) return a;
      for (let j = log - 1; j >= 0; j--) {
        const pa = up[j * m + a]!;
        const pb = up[j * m + b]!;
        if (pa !== pb) [a, b] = [pa, pb];
      }
      return parent[a]!;
    };
    const cost = new Float64Array(m);
    const road = new Float64Array(m);
    for (let e = 0; e < E; e++) {
      const a = ea[e]!;
      const b = eb[e]!;
      const l = lca(a, b);
      cost[a]! += eCost[e]!;
      cost[b]! += eCost[e]!;
      cost[l]! -= 2 * eCost[e]!;
      road[a]! += eRoad[e]!;
      road[b]! += eRoad[e]!;
      road[l]! -= 2 * eRoad[e]!;
    }
    const sub = Float64Array.from(weight);
    for (let i = m - 1; i > 0; i--) {
      const v = order[i]!;
      const p = parent[v]!;
      sub[p]! += sub[v]!;
      cost[p]! += cost[v]!;
      road[p]! += road[v]!;
    }
    for (let i = 1; i < m; i++) {
      const v = order[i]!;
      const w1 = sub[v]!;
      const w2 = total - w1;
      for (let k1 = 1; k1 < k; k1++) {
        const violation = countViolation(w1, k1, opts.lo, opts.hi) + countViolation(w2, k - k1, opts.lo, opts.hi);
        if (best && violation > best.violation) continue;
        const imbalance = Math.abs(w1 - k1 * target) / Math.max(1, k1 * (opts.hi - opts.lo));
        // A small bonus for long stretches along roads: fewer road pieces left inside a grid.
        const score = cost[v]! - 0.1 * road[v]! + opts.balanceWeight * imbalance;
        if (!best || violation < best.violation || score < best.score) {
          best = { score, violation, k1, v, parent, order };
        }
      }
    }
  }
  const chosen = best!;
  const inSide = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const x = chosen.order[i]!;
    inSide[x] = x === chosen.v ? 1 : i === 0 ? 0 : inSide[chosen.parent[x]!]!;
  }
  const side: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < m; i++) (inSide[i] ? side : rest).push(nodes[i]!);
  return { side, rest, k1: chosen.k1, valid: chosen.violation === 0 };
}

/** Divide a connected node set into k connected parts by recursive tree cuts. */
export function partition(g: WorkGraph, nodes: number[], k: number, opts: CutOptions): number[][] {
  if (k <= 1 || nodes.length <= 1) return [nodes];
  const cut = findCut(g, nodes, k, opts);
  return [...partition(g, cut.side, cut.k1, opts), ...partition(g, cut.rest, k - cut.k1, opts)];
}
