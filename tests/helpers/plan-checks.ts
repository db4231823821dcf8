/** Invariants every region plan must hold, checked independently of how it was made. */
import { expect } from 'vitest';
import type { RegionPlan, UnitGraph } from '../../server/proposal/unit-graph.ts';

/** Every unit in exactly one region, households conserved and summed right, ids ascending. */
export function expectTiling(graph: UnitGraph, plan: RegionPlan): void {
  const seen = new Array<number>(graph.units.length).fill(0);
  for (const r of plan.regions) {
    for (const id of r.units) seen[id]!++;
    expect([...r.units].sort((p, q) => p - q)).toEqual(r.units);
    expect(r.households).toBe(r.units.reduce((s, id) => s + graph.units[id]!.households, 0));
  }
  expect(seen.every((n) => n === 1)).toBe(true);
  const total = graph.units.reduce((s, u) => s + u.households, 0);
  expect(plan.regions.reduce((s, r) => s + r.households, 0)).toBe(total);
}

/** Is the region connected through graph edges (BFS)? */
export function isContiguous(graph: UnitGraph, units: number[]): boolean {
  const inRegion = new Set(units);
  const adj = new Map<number, number[]>();
  for (const e of graph.edges) {
    if (!inRegion.has(e.a) || !inRegion.has(e.b)) continue;
    adj.set(e.a, [...(adj.get(e.a) ?? []), e.b]);
    adj.set(e.b, [...(adj.get(e.b) ?? []), e.a]);
  }
  const seen = new Set([units[0]!]);
  const queue = [units[0]!];
  for (let i = 0; i < queue.length; i++) {
    for (const t of adj.get(queue[i]!) ?? []) {
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return seen.size === units.length;
}

export function households(plan: RegionPlan): number[] {
  return plan.regions.map((r) => r.households).sort((p, q) => p - q);
}
