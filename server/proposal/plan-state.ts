/**
 * A plan being improved: which region holds each node, with the running figures a local move
 * needs (households, area, outline, roads crossed) so a move is scored in O(degree). Pure.
 */
import type { WorkGraph } from './work-graph.ts';

export interface RegionState {
  households: number;
  area: number;
  /** Outline length: Σ node perimeters − 2 × shared boundaries inside the region. */
  perimeter: number;
  size: number;
  /** Road id → edges (and node-inner pieces) of that road inside the region. */
  roads: Map<number, number>;
}

export interface PlanState {
  g: WorkGraph;
  /** Region of each node, −1 for nodes outside the problem. */
  assign: Int32Array;
  regions: RegionState[];
  /** Scratch for contiguity searches. */
  stamp: Int32Array;
  stampNow: number;
}

/** Polsby–Popper 4πA/P² (0 for a region without outline). */
export function polsbyPopper(area: number, perimeter: number): number {
  return perimeter > 0 ? (4 * Math.PI * area) / (perimeter * perimeter) : 0;
}

function bump(roads: Map<number, number>, road: number, by: number): void {
  const c = (roads.get(road) ?? 0) + by;
  if (c === 0) roads.delete(road);
  else roads.set(road, c);
}

export function emptyRegion(): RegionState {
  return { households: 0, area: 0, perimeter: 0, size: 0, roads: new Map() };
}

/** Put node v into region r (v currently unassigned): figures updated from v's edges. */
export function addNode(s: PlanState, v: number, r: number): void {
  const g = s.g;
  const reg = s.regions[r]!;
  s.assign[v] = r;
  reg.households += g.households[v]!;
  reg.area += g.area[v]!;
  reg.perimeter += g.perimeter[v]!;
  reg.size++;
  for (const road of g.innerRoads[v]!) bump(reg.roads, road, 1);
  for (const e of g.adj[v]!) {
    if (s.assign[e.to] !== r) continue;
    reg.perimeter -= 2 * e.lengthM;
    for (const road of e.roads) bump(reg.roads, road, 1);
  }
}

/** Take node v out of its region. */
export function removeNode(s: PlanState, v: number): void {
  const g = s.g;
  const r = s.assign[v]!;
  const reg = s.regions[r]!;
  for (const e of g.adj[v]!) {
    if (s.assign[e.to] !== r) continue;
    reg.perimeter += 2 * e.lengthM;
    for (const road of e.roads) bump(reg.roads, road, -1);
  }
  for (const road of g.innerRoads[v]!) bump(reg.roads, road, -1);
  reg.households -= g.households[v]!;
  reg.area -= g.area[v]!;
  reg.perimeter -= g.perimeter[v]!;
  reg.size--;
  s.assign[v] = -1;
}

export function createState(g: WorkGraph, parts: number[][]): PlanState {
  const s: PlanState = {
    g,
    assign: new Int32Array(g.n).fill(-1),
    regions: [],
    stamp: new Int32Array(g.n),
    stampNow: 0,
  };
  for (const part of parts) {
    const r = s.regions.length;
    s.regions.push(emptyRegion());
    for (const v of part) addNode(s, v, r);
  }
  return s;
}

/** Would region r stay connected without node v? (BFS over r's nodes.) */
export function staysConnectedWithout(s: PlanState, v: number, r: number): boolean {
  const size = s.regions[r]!.size;
  if (size <= 1) return false;
  let start = -1;
  for (const e of s.g.adj[v]!) if (s.assign[e.to] === r) start = e.to;
  if (start < 0) return false;
  const mark = ++s.stampNow;
  s.stamp[v] = mark;
  s.stamp[start] = mark;
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const e of s.g.adj[queue[i]!]!) {
      if (s.assign[e.to] === r && s.stamp[e.to] !== mark) {
        s.stamp[e.to] = mark;
        queue.push(e.to);
      }
    }
  }
  return queue.length === size - 1;
}

/** Nodes of each region, ascending. */
export function regionNodes(s: PlanState): number[][] {
  const out: number[][] = s.regions.map(() => []);
  for (let v = 0; v < s.g.n; v++) if (s.assign[v]! >= 0) out[s.assign[v]!]!.push(v);
  return out;
}
