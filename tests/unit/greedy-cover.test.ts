/** Greedy maximal covering: known picks by hand, and the lazy queue equals the plain greedy. */
import { describe, expect, it } from 'vitest';
import { greedyCover } from '../../server/geo/greedy-cover.ts';

/** The plain greedy: recompute every gain every round, lowest index wins ties. */
function plainGreedy(covers: number[][], weights: number[], covered: Uint8Array, k: number) {
  const picks: { candidate: number; gain: number }[] = [];
  while (picks.length < k) {
    let best = -1;
    let bestGain = 0;
    covers.forEach((list, c) => {
      const gain = list.reduce((s, t) => s + (covered[t] ? 0 : weights[t]!), 0);
      if (gain > bestGain) [best, bestGain] = [c, gain];
    });
    if (best < 0) break;
    picks.push({ candidate: best, gain: bestGain });
    for (const t of covers[best]!) covered[t] = 1;
  }
  return picks;
}

describe('greedyCover', () => {
  //  households:  t0=3 t1=3 t2=3 t3=10 t4=5 t5=4 (t5 already reached)
  //  A = {t0,t1,t2} 9   B = {t2,t3} 13   C = {t4,t5} 5 (t5 reached)   D = {t0,t1} 6
  const covers = [
    [0, 1, 2],
    [2, 3],
    [4, 5],
    [0, 1],
  ];
  const weights = [3, 3, 3, 10, 5, 4];

  it('picks B (13), then A (6, tied with D and first by index), then C (5)', () => {
    const covered = Uint8Array.of(0, 0, 0, 0, 0, 1);
    expect(greedyCover(covers, weights, covered, 3)).toEqual([
      { candidate: 1, gain: 13 },
      { candidate: 0, gain: 6 },
      { candidate: 2, gain: 5 },
    ]);
    expect([...covered]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('stops when no site adds a household, and honours k', () => {
    expect(greedyCover(covers, weights, Uint8Array.of(0, 0, 0, 0, 0, 1), 10)).toHaveLength(3);
    expect(greedyCover(covers, weights, Uint8Array.of(0, 0, 0, 0, 0, 1), 1)).toEqual([{ candidate: 1, gain: 13 }]);
    expect(greedyCover(covers, weights, Uint8Array.of(1, 1, 1, 1, 1, 1), 5)).toEqual([]);
  });

  it('the lazy queue gives the same picks as the plain greedy on random instances (ties included)', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const targets = 5 + next(40);
      const weights = Array.from({ length: targets }, () => next(4)); // small weights: many ties
      const covers = Array.from({ length: 3 + next(30) }, () => Array.from({ length: next(8) }, () => next(targets)));
      const covered = Uint8Array.from({ length: targets }, () => (next(5) === 0 ? 1 : 0));
      const k = 1 + next(10);
      expect(greedyCover(covers, weights, covered.slice(), k)).toEqual(
        plainGreedy(covers, weights, covered.slice(), k),
      );
    }
  });
});
