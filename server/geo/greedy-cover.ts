/**
 * Greedy maximal covering: pick `k` candidate sites, each time the one that adds the most
 * weight (households) not yet covered. Lazy greedy: a site's gain only shrinks as others are
 * picked, so a stale gain in the priority queue is an upper bound and only the top needs
 * recomputing. Ties go to the lower candidate index, so the answer is deterministic.
 *
 *   greedyCover([Int32Array.of(0, 1), Int32Array.of(1, 2)], [5, 1, 3], new Uint8Array(3), 2)
 *   // → [{ candidate: 0, gain: 6 }, { candidate: 1, gain: 3 }]
 */
import TinyQueue from 'tinyqueue';

export interface CoverPick {
  candidate: number;
  gain: number;
}

interface Entry {
  candidate: number;
  gain: number;
  /** Number of picks made when `gain` was computed. */
  round: number;
}

/** Higher gain first; equal gains: lower index first. */
const before = (a: Entry, b: Entry) => b.gain - a.gain || a.candidate - b.candidate;

/**
 * @param covers  covers[c] = indices of the targets candidate c reaches
 * @param weights weight of each target
 * @param covered targets already covered (1); updated in place as sites are picked
 * @param k       how many sites at most; stops early when no site adds anything
 */
export function greedyCover(
  covers: ArrayLike<number>[],
  weights: ArrayLike<number>,
  covered: Uint8Array,
  k: number,
): CoverPick[] {
  const gainOf = (c: number) => {
    let gain = 0;
    const list = covers[c]!;
    for (let i = 0; i < list.length; i++) if (!covered[list[i]!]) gain += weights[list[i]!]!;
    return gain;
  };
  const entries: Entry[] = [];
  for (let c = 0; c < covers.length; c++) {
    const gain = gainOf(c);
    if (gain > 0) entries.push({ candidate: c, gain, round: 0 });
  }
  const queue = new TinyQueue(entries, before);
  const picks: CoverPick[] = [];
  while (picks.length < k && queue.length > 0) {
    const top = queue.pop()!;
    if (top.round !== picks.length) {
      top.gain = gainOf(top.candidate);
      top.round = picks.length;
      if (top.gain > 0) queue.push(top);
      continue;
    }
    // Fresh and ahead of every other entry's upper bound: the true best.
    picks.push({ candidate: top.candidate, gain: top.gain });
    const list = covers[top.candidate]!;
    for (let i = 0; i < list.length; i++) covered[list[i]!] = 1;
  }
  return picks;
}
