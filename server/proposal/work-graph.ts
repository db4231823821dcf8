/**
 * The graph regionalise works on: units glued into nodes that must never be split (a compound
 * whose households fit in one grid), with parallel edges merged. Pure.
 *
 * A compound's units are glued per connected piece: a compound that the graph shows in two
 * pieces cannot be one contiguous grid anyway, and gluing across the gap would hide that.
 */
import type { Unit, UnitGraph } from './unit-graph.ts';

export interface WorkEdge {
  to: number;
  lengthM: number;
  /** Shared boundary not along roads or compound outlines: what a cut here costs. */
  cost: number;
  roadM: number;
  roads: number[];
}

export interface WorkGraph {
  n: number;
  households: number[];
  area: number[];
  /** Outline length of the node (its units' perimeters less twice their shared boundaries). */
  perimeter: number[];
  x: number[];
  y: number[];
  /** Unit ids per node, ascending. */
  members: number[][];
  /** Roads of unit edges inside a node: crossed by whichever region holds the node. */
  innerRoads: number[][];
  adj: WorkEdge[][];
  /** Node of each unit. */
  nodeOf: Int32Array;
}

/** Cost of cutting along an edge: its length not along roads or compound outlines (≥ 0). */
export function cutCost(e: { lengthM: number; roadM: number; compoundM: number }): number {
  return Math.max(0, e.lengthM - e.roadM - e.compoundM);
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/**
 * Glue units that share a non-null `glueKey` and touch (transitively) into one node.
 * The key decides what may not be split, e.g. the compound when its households ≤ max.
 */
export function buildWorkGraph(graph: UnitGraph, glueKey: (u: Unit) => string | null): WorkGraph {
  const units = graph.units;
  const parent = new Int32Array(units.length);
  for (let i = 0; i < units.length; i++) parent[i] = i;
  const keys = units.map(glueKey);
  for (const e of graph.edges) {
    const ka = keys[e.a];
    if (ka != null && ka === keys[e.b]) {
      const ra = find(parent, e.a);
      const rb = find(parent, e.b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
  const nodeOf = new Int32Array(units.length);
  const rootNode = new Map<number, number>();
  const members: number[][] = [];
  for (let i = 0; i < units.length; i++) {
    const r = find(parent, i);
    let node = rootNode.get(r);
    if (node === undefined) {
      node = members.length;
      rootNode.set(r, node);
      members.push([]);
    }
    nodeOf[i] = node;
    members[node]!.push(i);
  }
  const n = members.length;
  const households = new Array<number>(n).fill(0);
  const area = new Array<number>(n).fill(0);
  const perimeter = new Array<number>(n).fill(0);
  const sx = new Array<number>(n).fill(0);
  const sy = new Array<number>(n).fill(0);
  for (const u of units) {
    const v = nodeOf[u.id]!;
    households[v]! += u.households;
    area[v]! += u.areaM2;
    perimeter[v]! += u.perimeterM;
    // Area-weighted centroid; a unit without area still pulls a little so x/y stay defined.
    const w = u.areaM2 > 0 ? u.areaM2 : 1e-9;
    sx[v]! += u.x * w;
    sy[v]! += u.y * w;
  }
  const weightSum = members.map((m) => m.reduce((s, i) => s + (units[i]!.areaM2 > 0 ? units[i]!.areaM2 : 1e-9), 0));
  const innerRoads: number[][] = members.map(() => []);
  const merged = new Map<number, WorkEdge & { from: number }>();
  for (const e of graph.edges) {
    const a = nodeOf[e.a]!;
    const b = nodeOf[e.b]!;
    if (a === b) {
      perimeter[a]! -= 2 * e.lengthM;
      for (const r of e.roads) if (!innerRoads[a]!.includes(r)) innerRoads[a]!.push(r);
      continue;
    }
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * n + hi;
    let m = merged.get(key);
    if (!m) {
      m = { from: lo, to: hi, lengthM: 0, cost: 0, roadM: 0, roads: [] };
      merged.set(key, m);
    }
    m.lengthM += e.lengthM;
    m.cost += cutCost(e);
    m.roadM += e.roadM;
    for (const r of e.roads) if (!m.roads.includes(r)) m.roads.push(r);
  }
  const adj: WorkEdge[][] = members.map(() => []);
  for (const m of merged.values()) {
    const { from, ...rest } = m;
    adj[from]!.push(rest);
    adj[rest.to]!.push({ ...rest, to: from });
  }
  return {
    n,
    households,
    area,
    perimeter: perimeter.map((p) => Math.max(0, p)),
    x: sx.map((s, i) => s / weightSum[i]!),
    y: sy.map((s, i) => s / weightSum[i]!),
    members,
    innerRoads,
    adj,
    nodeOf,
  };
}

/** Connected pieces of the nodes in `nodes` (edges leaving the set ignored), each ascending. */
export function componentsOf(g: WorkGraph, nodes: number[]): number[][] {
  const inSet = new Uint8Array(g.n);
  for (const v of nodes) inSet[v] = 1;
  const seen = new Uint8Array(g.n);
  const out: number[][] = [];
  for (const start of nodes) {
    if (seen[start]) continue;
    const comp = [start];
    seen[start] = 1;
    for (let i = 0; i < comp.length; i++) {
      for (const e of g.adj[comp[i]!]!) {
        if (inSet[e.to] && !seen[e.to]) {
          seen[e.to] = 1;
          comp.push(e.to);
        }
      }
    }
    out.push(comp.sort((p, q) => p - q));
  }
  return out;
}

export function sumOf(values: number[], nodes: number[]): number {
  let s = 0;
  for (const v of nodes) s += values[v]!;
  return s;
}
