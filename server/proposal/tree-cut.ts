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
import { polsbyPopper } from './plan-state.ts';
import type { Rand } from './prng.ts';
import type { WorkGraph } from './work-graph.ts';

export interface CutOptions {
  lo: number;
  hi: number;
  /** Trees tried before keeping the best valid cut (more if none is valid yet). */
  trees: number;
  /** Length scale (metres) of one step of imbalance in the score. */
  balanceWeight: number;
  /** Metres one unit of lost Polsby–Popper (of either side) is worth in the score. */
  compactWeight: number;
  rand: Rand;
}

export interface Cut {
  side: number[];
  rest: number[];
  k1: number;
  /** Both sides can still be divided in band (by counts). */
  valid: boolean;
}

/** Households outside [lo, hi] per part if `w` were divided into `k` parts, 0 when it fits. */
function countViolation(w: number, k: number, lo: number, hi: number): number {
  if (w < k * lo) return k * lo - w;
  if (w > k * hi) return w - k * hi;
  return 0;
}

/** Key resolution of the Kruskal sort: key and edge index share one float (a plain numeric sort). */
const KEY_STEPS = 1 << 20;

export function findCut(g: WorkGraph, nodes: number[], k: number, opts: CutOptions): Cut {
  const m = nodes.length;
  const loc = new Map<number, number>();
  nodes.forEach((v, i) => loc.set(v, i));
  const ea: number[] = [];
  const eb: number[] = [];
  const eCost: number[] = [];
  const eRoad: number[] = [];
  const eAligned: number[] = [];
  const eLength: number[] = [];
  // Outline of a side = Σ (node perimeter − its shared boundaries inside the set) + cut length.
  const outline = nodes.map((v) => g.perimeter[v]!);
  for (let i = 0; i < m; i++) {
    for (const e of g.adj[nodes[i]!]!) {
      const j = loc.get(e.to);
      if (j === undefined || j <= i) continue;
      ea.push(i);
      eb.push(j);
      eCost.push(e.cost);
      eRoad.push(e.roadM);
      eAligned.push(e.lengthM > 0 ? 1 - e.cost / e.lengthM : 0);
      eLength.push(e.lengthM);
      outline[i]! -= e.lengthM;
      outline[j]! -= e.lengthM;
    }
  }
  const area = nodes.map((v) => g.area[v]!);
  const totalArea = area.reduce((s, a) => s + a, 0);
  const totalOutline = outline.reduce((s, p) => s + p, 0);
  const E = ea.length;
  let slots = 1;
  while (slots < E) slots *= 2;
  const weight = nodes.map((v) => g.households[v]!);
  const total = weight.reduce((s, w) => s + w, 0);
  const target = total / k;
  let log = 1;
  while (1 << log < m) log++;
  // Buffers reused by every tree.
  const uf = new Int32Array(m);
  const keys = new Float64Array(E);
  const head = new Int32Array(m);
  const next = new Int32Array(2 * m);
  const to = new Int32Array(2 * m);
  const parent = new Int32Array(m);
  const depth = new Int32Array(m);
  const order = new Int32Array(m);
  const up = new Int32Array(log * m);
  const cost = new Float64Array(m);
  const road = new Float64Array(m);
  const cutLen = new Float64Array(m);
  const sub = new Float64Array(m);
  const subArea = new Float64Array(m);
  const subOutline = new Float64Array(m);
  const bestParent = new Int32Array(m);
  const bestOrder = new Int32Array(m);
  let best: { score: number; violation: number; k1: number; v: number } | null = null;
  const ufFind = (i: number): number => {
    while (uf[i] !== i) {
      uf[i] = uf[uf[i]!]!;
      i = uf[i]!;
    }
    return i;
  };
  const maxTrees = opts.trees * 4;
  for (let t = 0; t < maxTrees; t++) {
    if (t >= opts.trees && best && best.violation === 0) break;
    // Kruskal over random keys, aligned edges last.
    for (let e = 0; e < E; e++) keys[e] = Math.floor((opts.rand() + 2 * eAligned[e]!) * KEY_STEPS) * slots + e;
    keys.sort();
    for (let i = 0; i < m; i++) uf[i] = i;
    head.fill(-1);
    let arcs = 0;
    for (let s = 0; s < E && arcs < 2 * (m - 1); s++) {
      const e = keys[s]! % slots;
      const a = ea[e]!;
      const b = eb[e]!;
      const ra = ufFind(a);
      const rb = ufFind(b);
      if (ra === rb) continue;
      uf[ra] = rb;
      to[arcs] = b;
      next[arcs] = head[a]!;
      head[a] = arcs++;
      to[arcs] = a;
      next[arcs] = head[b]!;
      head[b] = arcs++;
    }
    const root = Math.floor(opts.rand() * m);
    parent.fill(-1);
    order[0] = root;
    parent[root] = root;
    depth[root] = 0;
    let len = 1;
    for (let i = 0; i < len; i++) {
      const v = order[i]!;
      for (let arc = head[v]!; arc >= 0; arc = next[arc]!) {
        const c = to[arc]!;
        if (parent[c] !== -1) continue;
        parent[c] = v;
        depth[c] = depth[v]! + 1;
        order[len++] = c;
      }
    }
    for (let i = 0; i < m; i++) up[i] = parent[i]!;
    for (let j = 1; j < log; j++) {
      for (let i = 0; i < m; i++) up[j * m + i] = up[(j - 1) * m + up[(j - 1) * m + i]!]!;
    }
    cost.fill(0);
    road.fill(0);
    cutLen.fill(0);
    for (let e = 0; e < E; e++) {
      let a = ea[e]!;
      let b = eb[e]!;
      const c = eCost[e]!;
      const r = eRoad[e]!;
      const l = eLength[e]!;
      cutLen[a]! += l;
      cutLen[b]! += l;
      cost[a]! += c;
      cost[b]! += c;
      road[a]! += r;
      road[b]! += r;
      // Lowest common ancestor by binary lifting.
      if (depth[a]! < depth[b]!) {
        const swap = a;
        a = b;
        b = swap;
      }
      let diff = depth[a]! - depth[b]!;
      for (let j = 0; diff > 0; j++, diff >>= 1) if (diff & 1) a = up[j * m + a]!;
      if (a !== b) {
        for (let j = log - 1; j >= 0; j--) {
          const pa = up[j * m + a]!;
          const pb = up[j * m + b]!;
          if (pa !== pb) {
            a = pa;
            b = pb;
          }
        }
        a = parent[a]!;
      }
      cost[a]! -= 2 * c;
      road[a]! -= 2 * r;
      cutLen[a]! -= 2 * l;
    }
    sub.set(weight);
    subArea.set(area);
    subOutline.set(outline);
    for (let i = m - 1; i > 0; i--) {
      const v = order[i]!;
      const p = parent[v]!;
      sub[p]! += sub[v]!;
      subArea[p]! += subArea[v]!;
      subOutline[p]! += subOutline[v]!;
      cutLen[p]! += cutLen[v]!;
      cost[p]! += cost[v]!;
      road[p]! += road[v]!;
    }
    let improved = false;
    for (let i = 1; i < m; i++) {
      const v = order[i]!;
      const w1 = sub[v]!;
      const w2 = total - w1;
      // Only the part counts nearest w1 / target can score best: the valid ones if any.
      const k1lo = Math.max(1, Math.ceil(w1 / opts.hi), k - Math.floor(w2 / opts.lo));
      const k1hi = Math.min(k - 1, Math.floor(w1 / opts.lo), k - Math.ceil(w2 / opts.hi));
      const valid = k1lo <= k1hi;
      if (!valid && best && best.violation === 0) continue;
      const k1From = valid ? k1lo : 1;
      const k1To = valid ? k1hi : k - 1;
      const near = w1 / target;
      let loose = -1;
      const lower = Math.min(k1To, Math.max(k1From, Math.floor(near)));
      const upper = Math.min(k1To, Math.max(k1From, Math.ceil(near)));
      for (let k1 = lower; k1 <= upper; k1++) {
        const violation = valid
          ? 0
          : countViolation(w1, k1, opts.lo, opts.hi) + countViolation(w2, k - k1, opts.lo, opts.hi);
        if (best && violation > best.violation) continue;
        if (loose < 0) {
          loose =
            2 -
            polsbyPopper(subArea[v]!, subOutline[v]! + cutLen[v]!) -
            polsbyPopper(totalArea - subArea[v]!, totalOutline - subOutline[v]! + cutLen[v]!);
        }
        const imbalance = Math.abs(w1 - k1 * target) / Math.max(1, k1 * (opts.hi - opts.lo));
        // A small bonus for long stretches along roads: fewer road pieces left inside a grid.
        const score = cost[v]! - 0.1 * road[v]! + opts.balanceWeight * imbalance + opts.compactWeight * loose;
        if (!best || violation < best.violation || score < best.score) {
          best = { score, violation, k1, v };
          improved = true;
        }
      }
    }
    if (improved) {
      bestParent.set(parent);
      bestOrder.set(order);
    }
  }
  const chosen = best!;
  const inSide = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const x = bestOrder[i]!;
    inSide[x] = x === chosen.v ? 1 : i === 0 ? 0 : inSide[bestParent[x]!]!;
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
