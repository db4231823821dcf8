/**
 * Why a plan leaves regions out of the band, per case (issue 19). Pure.
 *
 * unit_over_ceiling: the region holds a unit above the ceiling (one per region).
 * community_under_floor: the whole community holds fewer households than the floor.
 * band_unreachable: any other region out of band, grouped per connected piece of the graph.
 */
import type { Bounds, PlanProblem, Region, UnitGraph } from './unit-graph.ts';

export function planProblems(graph: UnitGraph, regions: Region[], b: Bounds): PlanProblem[] {
  const total = graph.units.reduce((s, u) => s + u.households, 0);
  const problems: PlanProblem[] = [];
  const out = regions.map((r, i) => i).filter((i) => regions[i]!.households < b.min || regions[i]!.households > b.max);
  if (out.length === 0) return problems;
  if (total < b.min) {
    if (total > 0) problems.push({ kind: 'community_under_floor', regions: out, households: total });
    return problems;
  }
  const unreachable: number[] = [];
  for (const i of out) {
    const r = regions[i]!;
    if (r.units.some((id) => graph.units[id]!.households > b.max)) {
      problems.push({ kind: 'unit_over_ceiling', regions: [i], households: r.households });
    } else unreachable.push(i);
  }
  for (const group of groupByPiece(graph, regions, unreachable)) {
    problems.push({
      kind: 'band_unreachable',
      regions: group.regions,
      households: group.households,
    });
  }
  return problems;
}

/** Out-of-band regions grouped by the connected piece of the graph they lie in, with its households. */
function groupByPiece(graph: UnitGraph, regions: Region[], ids: number[]) {
  const n = graph.units.length;
  const piece = new Int32Array(n).fill(-1);
  const adj: number[][] = graph.units.map(() => []);
  for (const e of graph.edges) {
    adj[e.a]!.push(e.b);
    adj[e.b]!.push(e.a);
  }
  const households: number[] = [];
  for (let s = 0; s < n; s++) {
    if (piece[s]! >= 0) continue;
    const p = households.length;
    households.push(0);
    const queue = [s];
    piece[s] = p;
    for (let i = 0; i < queue.length; i++) {
      households[p]! += graph.units[queue[i]!]!.households;
      for (const t of adj[queue[i]!]!) {
        if (piece[t]! < 0) {
          piece[t] = p;
          queue.push(t);
        }
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const i of ids) {
    const p = piece[regions[i]!.units[0]!]!;
    groups.set(p, [...(groups.get(p) ?? []), i]);
  }
  return [...groups].map(([p, list]) => ({ regions: list, households: households[p]! }));
}
