/**
 * nearLines (server/geo/near-lines.ts): which lines pass within eps of a point, with answers
 * known exactly, and against a brute-force scan on full-precision coordinates.
 */
import { describe, expect, it } from 'vitest';
import { nearLines } from '../../server/geo/near-lines.ts';
import { mulberry32 } from '../../server/proposal/prng.ts';

const EPS = 1e-9;

describe('nearLines', () => {
  const lines = nearLines(
    [
      { coords: [116, 39, 116.001, 39] }, // 0: west–east
      { coords: [116.0005, 38.999, 116.0005, 39.001] }, // 1: south–north, crosses 0 at its middle
      { coords: [116, 39.0001, 116.001, 39.0001, 116.001, 39.0002] }, // 2: a bend north of 0
    ],
    EPS,
  );

  it('finds a line through the point, and both lines at their crossing', () => {
    expect(lines.near(116.0002, 39)).toEqual([0]);
    expect(lines.near(116.0005, 39)).toEqual([0, 1]);
  });

  it('counts eps inclusively and nothing beyond it', () => {
    expect(lines.near(116.0002, 39 + 0.9e-9)).toEqual([0]);
    expect(lines.near(116.0002, 39 + 1.1e-9)).toEqual([]);
    // Beyond an end: distance to the end point, not to the infinite line.
    expect(lines.near(116.001 + 0.7e-9, 39 + 0.7e-9)).toEqual([0]);
    expect(lines.near(116.001 + 2e-9, 39)).toEqual([]);
  });

  it('reads every segment of a polyline, and each line once', () => {
    expect(lines.near(116.001, 39.00015)).toEqual([2]);
    expect(lines.near(116.001, 39.0001)).toEqual([2]);
  });

  it('an empty set finds nothing', () => {
    expect(nearLines([], EPS).near(0, 0)).toEqual([]);
  });

  it('agrees with a brute-force scan on full-precision coordinates', () => {
    const random = mulberry32(20261207);
    const input = Array.from({ length: 60 }, () => {
      const coords: number[] = [];
      let [x, y] = [116.3 + random() * 0.01, 39.9 + random() * 0.01];
      for (let k = 0; k < 1 + Math.floor(random() * 5); k++) {
        coords.push(x, y);
        x += (random() - 0.5) * 0.002;
        y += (random() - 0.5) * 0.002;
      }
      coords.push(x, y);
      return { coords };
    });
    const index = nearLines(input, 1e-5);
    const brute = (px: number, py: number) =>
      input.flatMap(({ coords }, k) => {
        for (let i = 0; i + 3 < coords.length; i += 2) {
          const [ax, ay, bx, by] = [coords[i]!, coords[i + 1]!, coords[i + 2]!, coords[i + 3]!];
          const t = Math.max(
            0,
            Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
          );
          if (Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py) <= 1e-5) return [k];
        }
        return [];
      });
    let hits = 0;
    for (let q = 0; q < 2000; q++) {
      // Half the probes on a line (a segment's point), half anywhere.
      const line = input[Math.floor(random() * input.length)]!.coords;
      const i = 2 * Math.floor(random() * (line.length / 2 - 1));
      const t = random();
      const [px, py] =
        q % 2 === 0
          ? [line[i]! + t * (line[i + 2]! - line[i]!) + 3e-6, line[i + 1]! + t * (line[i + 3]! - line[i + 1]!)]
          : [116.3 + random() * 0.012, 39.9 + random() * 0.012];
      const found = index.near(px, py);
      expect(found).toEqual(brute(px, py));
      hits += found.length;
    }
    expect(hits).toBeGreaterThan(1000);
  });
});
