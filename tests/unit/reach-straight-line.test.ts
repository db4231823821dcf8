/** Straight-line reach: the KD-tree + local bound answer must equal a brute-force geodesic scan. */
import { describe, expect, it } from 'vitest';
import geographiclib from 'geographiclib-geodesic';
import { reachCounts, reachStraightLine } from '../../server/geo/reach-straight-line.ts';
import { degreeBox, geodesicCircle, geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { mulberry32 } from '../../data/generator/prng.ts';

const WGS84 = geographiclib.Geodesic.WGS84;
/** The point `metres` from `from` along `azimuth` (degrees from north), on the ellipsoid. */
const towards = (from: [number, number], azimuth: number, metres: number): [number, number] => {
  const p = WGS84.Direct(from[1], from[0], azimuth, metres);
  return [p.lon2!, p.lat2!];
};

const rng = mulberry32;

function bruteForce(sources: [number, number][], targets: [number, number][], reachM: number): number[][] {
  return sources.map((s) => targets.flatMap((t, i) => (geodesicDistanceM(s, t) <= reachM ? [i] : [])));
}

describe('reachStraightLine', () => {
  for (const [lat, reachM] of [
    [39.5, 240],
    [39.5, 1000],
    [45.8, 216],
    [22.5, 3600],
  ] as const) {
    it(`equals brute force on random points at ${lat}° N, reach ${reachM} m`, () => {
      const next = rng(lat * 1000 + reachM);
      const span = (reachM * 12) / 111_000;
      const point = (): [number, number] => [116.7 + (next() - 0.5) * span, lat + (next() - 0.5) * span];
      const sources = Array.from({ length: 200 }, point);
      const targets = Array.from({ length: 2000 }, point);
      // Some targets straddle the reach of a source by a millimetre, to test the boundary.
      for (let i = 0; i < 50; i++) {
        const s = sources[i]!;
        targets.push(towards(s, next() * 360, reachM - 0.001), towards(s, next() * 360, reachM + 0.001));
      }
      const fast = reachStraightLine(sources, targets, reachM).map((list) => [...list]);
      const slow = bruteForce(sources, targets, reachM);
      expect(fast).toEqual(slow);
      expect(slow.flat().length).toBeGreaterThan(200); // the case is not vacuous
    });
  }

  it('a hand-made case: 200, 239 and 239.999 m inside a 240 m reach; 240.001, 241 and 300 m outside', () => {
    const station: [number, number] = [116.7, 39.5];
    const distances = [200, 239, 239.999, 240.001, 241, 300];
    const targets = distances.map((d, i) => towards(station, i * 61, d));
    const [reach] = reachStraightLine([station], targets, 240);
    expect([...reach!]).toEqual([0, 1, 2]);
    // A degree circle would disagree: 240 m east is 0.0028° of longitude but 0.0022° of latitude.
    expect(reachStraightLine([station], [towards(station, 90, 239.5), towards(station, 0, 239.5)], 240)[0]).toEqual(
      Int32Array.of(0, 1),
    );
  });

  it('counts how many sources reach each target; no targets or no reach gives empty lists', () => {
    const a: [number, number] = [116.7, 39.5];
    const b = towards(a, 90, 300);
    const targets = [towards(a, 90, 150), towards(a, 0, 100), towards(b, 0, 100)];
    const reach = reachStraightLine([a, b], targets, 200);
    expect(reach.map((l) => [...l])).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect([...reachCounts(reach, 3)]).toEqual([2, 1, 1]);
    expect(reachStraightLine([a], [], 200)).toEqual([new Int32Array(0)]);
    expect(reachStraightLine([a], targets, 0)).toEqual([new Int32Array(0)]);
  });
});

describe('geodesic helpers', () => {
  it('degreeBox holds the whole geodesic circle', () => {
    for (const lat of [0, 39.5, 60, 80]) {
      const c: [number, number] = [116.7, lat];
      const [x0, y0, x1, y1] = degreeBox(c, 5000);
      for (let az = 0; az < 360; az += 5) {
        const [x, y] = towards(c, az, 5000);
        expect(x >= x0 && x <= x1 && y >= y0 && y <= y1, `${lat}° az ${az}`).toBe(true);
      }
    }
  });

  it('geodesicCircle puts every vertex at the radius, closed, counter-clockwise', () => {
    const c: [number, number] = [116.7, 39.5];
    const ring = geodesicCircle(c, 240, 64);
    expect(ring).toHaveLength(65);
    expect(ring[64]).toEqual(ring[0]);
    for (const p of ring) expect(geodesicDistanceM(c, p)).toBeCloseTo(240, 6);
    let area2 = 0;
    for (let i = 0; i < 64; i++) area2 += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(area2).toBeGreaterThan(0);
  });
});

describe('nearestGeodesic', () => {
  it('equals a brute-force geodesic scan; the nearest in degrees is sometimes another station', async () => {
    const { nearestGeodesic, nearestIndex } = await import('../../server/geo/nearest-geodesic.ts');
    const next = rng(42);
    const stations = Array.from({ length: 500 }, (): [number, number] => [116.6 + next() * 0.2, 39.4 + next() * 0.2]);
    const index = nearestIndex(stations);
    let planarDiffers = 0;
    for (let i = 0; i < 500; i++) {
      const p: [number, number] = [116.6 + next() * 0.2, 39.4 + next() * 0.2];
      const d = stations.map((s) => geodesicDistanceM(p, s));
      const brute = d.indexOf(Math.min(...d));
      expect(nearestGeodesic(index, p)).toEqual({ index: brute, distanceM: d[brute] });
      const deg = stations.map((s) => (s[0] - p[0]) ** 2 + (s[1] - p[1]) ** 2);
      if (deg.indexOf(Math.min(...deg)) !== brute) planarDiffers++;
    }
    expect(planarDiffers).toBeGreaterThan(0);
    expect(nearestGeodesic(nearestIndex([]), [116.7, 39.5])).toBeNull();
  });
});
