/**
 * Local moves of border nodes between neighbouring regions (the last step of a proposal).
 * Pure.
 *
 * A move is taken when it lowers, in this order, the households outside the band and then
 * the plan's cost: the non-aligned length of cut boundaries + `road` per road crossed +
 * `compact` × Σ(1 − Polsby–Popper). A region in band never leaves it, a region never becomes
 * disconnected or empty, so running this on a plan in band keeps it in band and repairs a plan
 * that is not wherever single moves can.
 */
import { shuffle, type Rand } from './prng.ts';
import { addNode, polsbyPopper, removeNode, staysConnectedWithout, type PlanState } from './plan-state.ts';

export interface MoveWeights {
  /** Metres of non-aligned boundary one crossed road is worth. */
  road: number;
  /** Metres one unit of lost Polsby–Popper is worth. */
  compact: number;
}

export interface MoveOptions {
  lo: number;
  hi: number;
  weights: MoveWeights;
  /** Regions whose nodes may move (both ends of a move must be movable). */
  movable: (region: number) => boolean;
  rand: Rand;
  passes: number;
  /** Nodes that may move (default: all); a small set keeps a pass cheap on a large graph. */
  scope?: number[];
}

/** A move made, to undo it: node and the region it came from. */
export interface Move {
  node: number;
  from: number;
}

export function violation(households: number, lo: number, hi: number): number {
  return Math.max(0, lo - households) + Math.max(0, households - hi);
}

/** Change of cost if node v moved to region b (v's region keeps ≥ 1 other node). */
export function moveCost(s: PlanState, v: number, b: number, w: MoveWeights): number {
  const g = s.g;
  const a = s.assign[v]!;
  const ra = s.regions[a]!;
  const rb = s.regions[b]!;
  let dCut = 0;
  let shareA = 0;
  let shareB = 0;
  let leave: Map<number, number> | null = null;
  let join: Set<number> | null = null;
  for (const road of g.innerRoads[v]!) {
    (leave ??= new Map()).set(road, (leave.get(road) ?? 0) + 1);
    (join ??= new Set()).add(road);
  }
  for (const e of g.adj[v]!) {
    const r = s.assign[e.to];
    if (r === a) {
      dCut += e.cost;
      shareA += e.lengthM;
      for (const road of e.roads) (leave ??= new Map()).set(road, (leave.get(road) ?? 0) + 1);
    } else if (r === b) {
      dCut -= e.cost;
      shareB += e.lengthM;
      for (const road of e.roads) (join ??= new Set()).add(road);
    }
  }
  let dCross = 0;
  if (leave) for (const [road, c] of leave) if (ra.roads.get(road) === c) dCross--;
  if (join) for (const road of join) if (!rb.roads.has(road)) dCross++;
  const before = polsbyPopper(ra.area, ra.perimeter) + polsbyPopper(rb.area, rb.perimeter);
  const after =
    polsbyPopper(ra.area - g.area[v]!, ra.perimeter - g.perimeter[v]! + 2 * shareA) +
    polsbyPopper(rb.area + g.area[v]!, rb.perimeter + g.perimeter[v]! - 2 * shareB);
  return dCut + w.road * dCross + w.compact * (before - after);
}

/** The plan's cost as moves see it: non-aligned cut length + road × roads crossed + compact × Σ(1 − PP). */
export function planCost(s: PlanState, w: MoveWeights): number {
  const g = s.g;
  let cut = 0;
  for (let v = 0; v < g.n; v++) {
    const r = s.assign[v]!;
    if (r < 0) continue;
    for (const e of g.adj[v]!) {
      const t = s.assign[e.to]!;
      if (e.to > v && t >= 0 && t !== r) cut += e.cost;
    }
  }
  let crossed = 0;
  let loose = 0;
  for (const reg of s.regions) {
    if (reg.size === 0) continue;
    crossed += reg.roads.size;
    loose += 1 - polsbyPopper(reg.area, reg.perimeter);
  }
  return cut + w.road * crossed + w.compact * loose;
}

export function moveNode(s: PlanState, v: number, b: number): void {
  removeNode(s, v);
  addNode(s, v, b);
}

/** Run passes of border moves until none helps; returns the moves made (for undo). */
export function improvePlan(s: PlanState, o: MoveOptions): Move[] {
  const g = s.g;
  const moves: Move[] = [];
  const inBand = (h: number) => h >= o.lo && h <= o.hi;
  for (let pass = 0; pass < o.passes; pass++) {
    const nodes: number[] = [];
    for (const v of o.scope ?? allNodes(g.n)) {
      const r = s.assign[v]!;
      if (r < 0 || !o.movable(r)) continue;
      if (g.adj[v]!.some((e) => s.assign[e.to]! >= 0 && s.assign[e.to] !== r)) nodes.push(v);
    }
    shuffle(nodes, o.rand);
    let moved = 0;
    for (const v of nodes) {
      const a = s.assign[v]!;
      const ra = s.regions[a]!;
      if (ra.size <= 1) continue;
      const h = g.households[v]!;
      const aAfter = ra.households - h;
      if (inBand(ra.households) && !inBand(aAfter)) continue;
      let bestB = -1;
      let bestViol = 0;
      let bestCost = -1e-9;
      const seen: number[] = [];
      for (const e of g.adj[v]!) {
        const b = s.assign[e.to]!;
        if (b < 0 || b === a || seen.includes(b) || !o.movable(b)) continue;
        seen.push(b);
        const rb = s.regions[b]!;
        if (inBand(rb.households) && !inBand(rb.households + h)) continue;
        const dViol =
          violation(aAfter, o.lo, o.hi) +
          violation(rb.households + h, o.lo, o.hi) -
          violation(ra.households, o.lo, o.hi) -
          violation(rb.households, o.lo, o.hi);
        if (dViol > bestViol) continue;
        const dCost = moveCost(s, v, b, o.weights);
        if (dViol < bestViol || dCost < bestCost) {
          if (dViol === 0 && dCost >= -1e-9) continue;
          bestB = b;
          bestViol = dViol;
          bestCost = dCost;
        }
      }
      if (bestB < 0 || !staysConnectedWithout(s, v, a)) continue;
      moves.push({ node: v, from: a });
      moveNode(s, v, bestB);
      moved++;
    }
    if (moved === 0) break;
  }
  return moves;
}

function allNodes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function undoMoves(s: PlanState, moves: Move[]): void {
  for (let i = moves.length - 1; i >= 0; i--) moveNode(s, moves[i]!.node, moves[i]!.from);
}
