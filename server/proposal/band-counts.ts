/**
 * How many grids a piece of a community should become (issue 19). Pure.
 *
 * k grids can all be in [min, max] only if k·min ≤ H ≤ k·max. Among those counts the one
 * nearest H / ((min + max) / 2) comes first (grids near the middle of the band leave room for
 * households to move in later); when none exists (H = 520 with 300–500), counts are ordered by
 * the worst violation a perfectly even split would have.
 */
import type { Bounds } from './unit-graph.ts';

/** Counts k with k·min ≤ H ≤ k·max, nearest the middle of the band first. */
export function bandCounts(households: number, b: Bounds): number[] {
  const lo = Math.max(1, Math.ceil(households / b.max));
  const hi = Math.floor(households / b.min);
  const mid = households / ((b.min + b.max) / 2);
  const out: number[] = [];
  for (let k = lo; k <= hi; k++) out.push(k);
  return out.sort((p, q) => Math.abs(p - mid) - Math.abs(q - mid) || p - q);
}

/** Households an even split into k grids would put outside the band, per grid. */
export function evenSplitViolation(households: number, k: number, b: Bounds): number {
  const each = households / k;
  return Math.max(0, b.min - each, each - b.max);
}

/** Every sensible count (band counts first, then the least-violating others), at most `limit`. */
export function countsToTry(households: number, b: Bounds, limit: number): number[] {
  const inBand = bandCounts(households, b);
  const others: number[] = [];
  const top = Math.max(1, Math.ceil(households / b.min) + 1);
  for (let k = Math.max(1, Math.floor(households / b.max)); k <= top; k++) {
    if (!inBand.includes(k)) others.push(k);
  }
  others.sort((p, q) => evenSplitViolation(households, p, b) - evenSplitViolation(households, q, b) || p - q);
  return [...inBand, ...others].slice(0, limit);
}
