/**
 * areaAndCentroid (server/proposal/face-attributes.ts): a proposal face's area by the local
 * metric at its centroid, against GeographicLib's geodesic polygon area on full-precision
 * faces of 10 m to 1 km near Beijing, and the planar centroid against hand-computed ones.
 * The faces' edges are straight in lon/lat (geometry), while a geodesic between two vertices
 * bows towards the pole (about 10 m² per km of edge here), so the reference ring is densified
 * to 100 pieces per edge; what is left is GeographicLib's own rounding, a few 1e-3 m².
 */
import { describe, expect, it } from 'vitest';
import geographiclib from 'geographiclib-geodesic';
import { areaAndCentroid, canonicalRings } from '../../server/proposal/face-attributes.ts';
import { mulberry32 } from '../../server/proposal/prng.ts';

const WGS84 = geographiclib.Geodesic.WGS84;

/** Geodesic area of a ring (closed, flat lon/lat) with each edge cut in 100, m², unsigned. */
function geodesicArea(ring: number[]): number {
  const p = WGS84.Polygon(false);
  for (let i = 0; i + 2 < ring.length; i += 2)
    for (let t = 0; t < 100; t++)
      p.AddPoint(
        ring[i + 1]! + ((ring[i + 3]! - ring[i + 1]!) * t) / 100,
        ring[i]! + ((ring[i + 2]! - ring[i]!) * t) / 100,
      );
  return Math.abs(p.Compute(false, true).area!);
}

describe('areaAndCentroid', () => {
  it('a unit square: centroid at its middle, either winding', () => {
    const ccw = [0, 0, 1, 0, 1, 1, 0, 1, 0, 0];
    const cw = [0, 0, 0, 1, 1, 1, 1, 0, 0, 0];
    for (const ring of [ccw, cw]) {
      const r = areaAndCentroid([ring]);
      expect(r.lon).toBeCloseTo(0.5, 12);
      expect(r.lat).toBeCloseTo(0.5, 12);
    }
  });

  it('a hole subtracts its area and moves the centroid away from it', () => {
    const shell = [116, 39, 116.002, 39, 116.002, 39.002, 116, 39.002, 116, 39];
    const hole = [116.0012, 39.0002, 116.0012, 39.0008, 116.0018, 39.0008, 116.0018, 39.0002, 116.0012, 39.0002];
    const whole = areaAndCentroid([shell]);
    const holed = areaAndCentroid([shell, hole]);
    expect(holed.areaM2 / (whole.areaM2 - areaAndCentroid([hole]).areaM2)).toBeCloseTo(1, 8);
    expect(holed.lon).toBeLessThan(whole.lon);
    expect(holed.lat).toBeGreaterThan(whole.lat);
  });

  it('agrees with the geodesic area to 5e-3 m² + 1e-9 on random full-precision faces of 10 m to 1 km', () => {
    const random = mulberry32(39);
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const size = 10 ** (-4 + 2 * random()); // 1e-4° (≈ 10 m) to 1e-2° (≈ 1 km)
      const [cx, cy] = [116.3 + random() * 0.5, 39.4 + random() * 0.6];
      const n = 3 + Math.floor(random() * 8);
      const ring: number[] = [];
      for (let i = 0; i < n; i++) {
        // A star-shaped face (a Voronoi cell is convex; triangles are the hardest case here).
        const angle = (2 * Math.PI * (i + 0.8 * random())) / n;
        const r = size * (0.3 + 0.7 * random());
        ring.push(cx + r * Math.cos(angle), cy + r * Math.sin(angle));
      }
      ring.push(ring[0]!, ring[1]!);
      const exact = geodesicArea(ring);
      worst = Math.max(worst, Math.abs(areaAndCentroid([ring]).areaM2 - exact) / (5e-3 + 1e-9 * exact));
    }
    expect(worst).toBeLessThan(1);
    expect(worst).toBeGreaterThan(0);
  });

  it('canonicalRings: a face read from any start vertex and hole order gives the same rings and the same sums, bit for bit', () => {
    const shell = [116.1, 39.1, 116.3, 39.1, 116.3, 39.3, 116.2, 39.35, 116.1, 39.3];
    const hole1 = [116.15, 39.15, 116.15, 39.2, 116.2, 39.2, 116.2, 39.15];
    const hole2 = [116.25, 39.15, 116.25, 39.2, 116.27, 39.2];
    const closed = (pts: number[], start: number) => {
      const n = pts.length / 2;
      const out: number[] = [];
      for (let i = 0; i <= n; i++) out.push(pts[2 * ((i + start) % n)]!, pts[2 * ((i + start) % n) + 1]!);
      return Float64Array.from(out);
    };
    const results = [
      [0, 0, 0, false],
      [3, 2, 1, true],
      [4, 1, 2, false],
    ].map(([s0, s1, s2, swap]) => {
      const holes = [closed(hole1, s1 as number), closed(hole2, s2 as number)];
      const set = {
        owner: 'f',
        rings: [closed(shell, s0 as number), ...(swap ? holes.reverse() : holes)],
        shell: [true, false, false],
      };
      canonicalRings(set);
      return { rings: set.rings.map((r) => Array.from(r)), measure: areaAndCentroid(set.rings) };
    });
    expect(results[0]!.rings[0]!.slice(0, 2)).toEqual([116.1, 39.1]);
    expect(results[0]!.rings[1]!.slice(0, 2)).toEqual([116.15, 39.15]);
    for (const r of results.slice(1)) {
      expect(r.rings).toEqual(results[0]!.rings);
      expect(r.measure).toEqual(results[0]!.measure);
    }
  });
});
