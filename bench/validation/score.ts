/**
 * Did a method find exactly the injected problems? An injected overlap is found by an
 * overlap whose grids are exactly its pair; an injected gap by a gap bordered by both of
 * its grids (a third grid may touch the gap at a corner). Gaps and overlaps under the
 * issue's tolerances (1 m², 0.5 m mean width) count as slivers, apart, as the engine
 * reports them; anything else found is an extra.
 */
import type { DeliberateError } from '../../data/generator/types.ts';

export interface FoundProblem {
  kind: 'gap' | 'overlap' | 'sliver';
  /** Codes of the grids involved, sorted. */
  grids: string[];
  areaM2: number | null;
  perimeterM?: number | null;
}

export interface Score {
  expected: number;
  found: number;
  /** Gaps and overlaps that match no injected problem. */
  extra: number;
  slivers: number;
  missed: DeliberateError[];
  extras: FoundProblem[];
}

export const TOLERANCES = { areaM2: 1, widthM: 0.5 };

/** The sliver rule (as server/validation applies it): too small or too thin. */
export function classify(p: FoundProblem): FoundProblem {
  if (p.kind === 'sliver' || p.areaM2 === null || p.perimeterM == null) return p;
  const width = p.perimeterM > 0 ? (2 * p.areaM2) / p.perimeterM : 0;
  return p.areaM2 < TOLERANCES.areaM2 || width < TOLERANCES.widthM ? { ...p, kind: 'sliver' } : p;
}

const pairKey = (kind: string, a: string, b: string) => (a < b ? `${kind}|${a}|${b}` : `${kind}|${b}|${a}`);

export function score(expected: readonly DeliberateError[], found: readonly FoundProblem[]): Score {
  const wanted = new Map(expected.map((e) => [pairKey(e.kind, e.grids[0], e.grids[1]), e]));
  const hit = new Set<string>();
  const extras: FoundProblem[] = [];
  let slivers = 0;
  for (const problem of found) {
    if (problem.kind === 'sliver') {
      slivers++;
      continue;
    }
    const keys: string[] = [];
    if (problem.kind === 'overlap') {
      if (problem.grids.length === 2) keys.push(pairKey('overlap', problem.grids[0]!, problem.grids[1]!));
    } else {
      for (let i = 0; i < problem.grids.length; i++) {
        for (let j = i + 1; j < problem.grids.length; j++)
          keys.push(pairKey('gap', problem.grids[i]!, problem.grids[j]!));
      }
    }
    const match = keys.find((k) => wanted.has(k));
    if (match) hit.add(match);
    else extras.push(problem);
  }
  const missed = [...wanted.entries()].filter(([k]) => !hit.has(k)).map(([, e]) => e);
  return { expected: expected.length, found: hit.size, extra: extras.length, slivers, missed, extras };
}
