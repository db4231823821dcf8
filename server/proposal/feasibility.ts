/**
 * Can the band be met at all? A quick check by counts (issue 19), used to tell "the data does
 * not allow it" from "the algorithm missed it". Pure.
 *
 * Per connected piece with households: some k has k·min ≤ H ≤ k·max and the indivisible
 * nodes (units, glued compounds) are fine-grained for it: none heavier than max − min nor than
 * the room each of the k parts has above min, (H − k·min)/k, and below max, (k·max − H)/k,
 * so a part can always be nudged into the band by one node. The last condition is sufficient-minded, not necessary (four 300-household compounds fail it yet
 * divide into 4 × 300): `false` means "not guaranteed", `true` means the plan must be in band.
 */
import { bandCounts } from './band-counts.ts';
import { glueCompounds } from './glue-compounds.ts';
import type { Bounds, UnitGraph } from './unit-graph.ts';
import { componentsOf, sumOf } from './work-graph.ts';

export function bandLooksReachable(graph: UnitGraph, bounds: Bounds): boolean {
  const g = glueCompounds(graph, bounds, 'fresh');
  const all = Array.from({ length: g.n }, (_, i) => i);
  for (const piece of componentsOf(g, all)) {
    const h = sumOf(g.households, piece);
    if (h === 0) continue;
    const heaviest = Math.max(...piece.map((v) => g.households[v]!));
    const fine = bandCounts(h, bounds).some(
      (k) => heaviest <= Math.min(bounds.max - bounds.min, (h - k * bounds.min) / k, (k * bounds.max - h) / k),
    );
    if (!fine) return false;
  }
  return true;
}
