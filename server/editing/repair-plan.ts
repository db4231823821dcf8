/**
 * Planning a repair (pure): which gaps, overlaps and slivers can be repaired, which grid a
 * piece goes to, and which problems a batch takes. The SQL measures (repairs.queries.ts);
 * this decides. Like QGIS's gap check, a piece goes to the neighbour it shares the longest
 * edge with, unless the user names one.
 *
 * @example
 *   chooseTarget([{ code: 'A', sharedM: 263, overlapping: false }, { code: 'B', sharedM: 12, overlapping: false }])
 *   // → { ok: true, code: 'A' }
 */
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { repairKind } from '../../common/rules/problem-types.ts';

/** What a repair does with a piece: fill a gap, or give an overlap to one of its grids. */
export type RepairKind = NonNullable<ReturnType<typeof repairKind>>;

/** A grid that could take the piece, as measured. */
export interface RepairCandidate {
  code: string;
  /** Length of the piece's outline shared with the grid (what is left of it outside the piece), m. */
  sharedM: number;
  /** The grid covers part of the piece (one of an overlap's grids). */
  overlapping: boolean;
}

/** Shared edges shorter than this (1 mm) are touching at a point, not bordering. */
export const MIN_SHARED_M = 0.001;

export type TargetChoice =
  | { ok: true; code: string }
  | { ok: false; reason: 'no_neighbour' }
  | { ok: false; reason: 'not_a_neighbour'; eligible: string[] };

const eligible = (c: RepairCandidate) => c.overlapping || c.sharedM >= MIN_SHARED_M;

/**
 * The grid that takes the piece: `to` when it borders or covers the piece, else the one with
 * the longest shared edge (ties to the smaller code, so the choice is the same every time).
 */
export function chooseTarget(candidates: readonly RepairCandidate[], to?: string): TargetChoice {
  const usable = candidates.filter(eligible);
  if (to !== undefined) {
    if (usable.some((c) => c.code === to)) return { ok: true, code: to };
    return { ok: false, reason: 'not_a_neighbour', eligible: usable.map((c) => c.code).sort() };
  }
  if (usable.length === 0) return { ok: false, reason: 'no_neighbour' };
  const best = [...usable].sort((a, b) => b.sharedM - a.sharedM || a.code.localeCompare(b.code))[0]!;
  return { ok: true, code: best.code };
}

/**
 * What a batch repairs: every repairable problem of at most `maxAreaM2`, smallest first (a
 * small piece never depends on a larger one being repaired before it).
 */
export function selectForBatch(problems: readonly ProblemFeature[], maxAreaM2: number): ProblemFeature[] {
  return problems
    .filter((p) => repairKind(p) !== null && p.properties.areaM2 !== null && p.properties.areaM2 <= maxAreaM2)
    .sort((a, b) => a.properties.areaM2! - b.properties.areaM2! || a.properties.id.localeCompare(b.properties.id));
}
