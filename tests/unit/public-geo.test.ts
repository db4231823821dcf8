/** The finder's pure geometry: point-in-grid over flatbush + rings, k nearest by geodesic distance. */
import { describe, expect, it } from 'vitest';
import { locateInRings, pointInRings, ringIndex } from '../../server/geo/locate-in-rings.ts';
import { APPROX_ERROR, APPROX_LIMIT_M, kNearestGeodesic } from '../../server/geo/k-nearest-geodesic.ts';
import { localDistanceM } from '../../server/geo/local-metric.ts';
import { nearestIndex } from '../../server/geo/nearest-geodesic.ts';
import { geodesicDistanceM, type LonLat } from '../../server/geo/geodesic.ts';
import type { RingSet } from '../../server/geo/match-edges.ts';
import { createRng } from '../../data/generator/index.ts';

const square = (owner: string, x0: number, y0: number, s: number, hole?: [number, number, number]): RingSet => {
  const rings = [[x0, y0, x0 + s, y0, x0 + s, y0 + s, x0, y0 + s, x0, y0]];
  if (hole) {
    const [hx, hy, hs] = hole;
    rings.push([hx, hy, hx, hy + hs, hx + hs, hy + hs, hx + hs, hy, hx, hy]);
  }
  return { owner, rings, shell: rings.map((_, i) => i === 0) };
};

describe('locateInRings', () => {
  //  +----+----+      a: [0,1]²  with a hole [0.4,0.6]²
  //  | a  | b  |      b: [1,2]×[0,1]
  //  +----+----+      c: a two-part grid: [3,4]² and [5,6]²
  const c: RingSet = {
    owner: 'c',
    rings: [square('', 3, 0, 1).rings[0]!, square('', 5, 0, 1).rings[0]!],
    shell: [true, true],
  };
  const index = ringIndex([square('a', 0, 0, 1, [0.4, 0.4, 0.2]), square('b', 1, 0, 1), c]);
  const cases: [string, number, number, number][] = [
    ['inside a', 0.2, 0.2, 0],
    ['in the hole of a', 0.5, 0.5, -1],
    ['inside b', 1.5, 0.5, 1],
    ['on the shared edge: the lower index', 1, 0.5, 0],
    ['on a corner of b only', 2, 1, 1],
    ['first part of c', 3.5, 0.5, 2],
    ['second part of c', 5.5, 0.5, 2],
    ['between the parts of c (inside its box)', 4.5, 0.5, -1],
    ['outside everything', 10, 10, -1],
  ];
  for (const [name, x, y, expected] of cases) it(name, () => expect(locateInRings(index, x, y)).toBe(expected));

  it('agrees with a plain scan on random points over a concave ring', () => {
    // A "U": the box test alone would accept the notch.
    const u: RingSet = { owner: 'u', rings: [[0, 0, 3, 0, 3, 3, 2, 3, 2, 1, 1, 1, 1, 3, 0, 3, 0, 0]], shell: [true] };
    const idx = ringIndex([u]);
    expect(locateInRings(idx, 1.5, 2)).toBe(-1);
    expect(locateInRings(idx, 1.5, 0.5)).toBe(0);
    const rng = createRng(3);
    for (let i = 0; i < 500; i++) {
      const [x, y] = [rng.next() * 3, rng.next() * 3];
      const inNotch = x > 1 && x < 2 && y > 1;
      expect(pointInRings(u.rings, x, y)).toBe(!inNotch);
    }
  });

  it('is empty-safe', () => expect(locateInRings(ringIndex([]), 0, 0)).toBe(-1));
});

describe('kNearestGeodesic', () => {
  const brute = (points: LonLat[], p: LonLat, k: number, accept: (i: number) => boolean = () => true) =>
    points
      .map((q, index) => ({ index, distanceM: geodesicDistanceM(p, q) }))
      .filter((n) => accept(n.index))
      .sort((a, b) => a.distanceM - b.distanceM || a.index - b.index)
      .slice(0, k);

  it('equals a brute-force geodesic scan on 2,000 random points near 39.5° N (with and without a filter)', () => {
    const rng = createRng(11);
    const points: LonLat[] = Array.from(
      { length: 400 },
      () => [116.6 + rng.next() * 0.2, 39.4 + rng.next() * 0.2] as const,
    );
    const index = nearestIndex(points);
    const odd = (i: number) => i % 7 === 3;
    for (let t = 0; t < 2000; t++) {
      const p: LonLat = [116.55 + rng.next() * 0.3, 39.35 + rng.next() * 0.3];
      const k = 1 + (t % 20);
      expect(kNearestGeodesic(index, p, k)).toEqual(brute(points, p, k));
      if (t % 4 === 0) expect(kNearestGeodesic(index, p, 5, odd)).toEqual(brute(points, p, 5, odd));
    }
  });

  it('finds the geodesic nearest where planar (degree) KNN picks the wrong one (trap 3)', () => {
    // East by 0.0110° (≈ 943 m at 39.5° N) is nearer than north by 0.0100° (≈ 1,110 m).
    const p: LonLat = [116.7, 39.5];
    const points: LonLat[] = [
      [116.7, 39.51],
      [116.711, 39.5],
    ];
    const planarNearest = Math.hypot(0, 0.01) < Math.hypot(0.011, 0) ? 0 : 1;
    expect(planarNearest).toBe(0);
    expect(kNearestGeodesic(nearestIndex(points), p, 1)[0]!.index).toBe(1);
  });

  it('far points (beyond the local metric) and sparse filters still match the brute force', () => {
    const rng = createRng(5);
    const points: LonLat[] = Array.from({ length: 300 }, () => [75 + rng.next() * 60, 5 + rng.next() * 48] as const);
    const index = nearestIndex(points);
    for (let t = 0; t < 200; t++) {
      const p: LonLat = [75 + rng.next() * 60, 5 + rng.next() * 48];
      expect(kNearestGeodesic(index, p, 3)).toEqual(brute(points, p, 3));
      expect(kNearestGeodesic(index, p, 2, (i) => i % 50 === 0)).toEqual(brute(points, p, 2, (i) => i % 50 === 0));
    }
  });

  it(`the local metric stays within its stated error (${APPROX_ERROR}) up to ${APPROX_LIMIT_M / 1000} km across China's latitudes`, () => {
    const rng = createRng(9);
    let worst = 0;
    for (let t = 0; t < 5000; t++) {
      const lat = 3 + rng.next() * 51;
      const p: LonLat = [100, lat];
      const q: LonLat = [100 + (rng.next() - 0.5) * 1.6, lat + (rng.next() - 0.5) * 1.6];
      const exact = geodesicDistanceM(p, q);
      if (exact > APPROX_LIMIT_M || exact < 1) continue;
      worst = Math.max(worst, Math.abs(localDistanceM(p[0], p[1], q[0], q[1]) - exact) / exact);
    }
    expect(worst).toBeLessThan(APPROX_ERROR / 10);
  });

  it('returns fewer than k when fewer exist, and nothing for an empty set', () => {
    const points: LonLat[] = [
      [116.7, 39.5],
      [120, 30],
    ];
    expect(kNearestGeodesic(nearestIndex(points), [116.7, 39.5], 5).map((n) => n.index)).toEqual([0, 1]);
    expect(kNearestGeodesic(nearestIndex([]), [116.7, 39.5], 5)).toEqual([]);
    expect(kNearestGeodesic(nearestIndex(points), [116.7, 39.5], 5, () => false)).toEqual([]);
  });
});
