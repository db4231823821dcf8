/**
 * True width (diameter of the largest inscribed circle) on shapes whose answer is known in
 * closed form, built in metres around Langfang and converted with the same local metric.
 */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { trueWidthM } from '../../server/geo/true-width.ts';
import { metresPerDegree } from '../../server/geo/local-metric.ts';

const LON = 116.6971234567891;
const LAT = 39.5248765432109;
const [MX, MY] = metresPerDegree(LAT);
/** A polygon from points in metres east/north of (LON, LAT), at full precision. */
const poly = (...pts: [number, number][]): Polygon => ({
  type: 'Polygon',
  coordinates: [[...pts, pts[0]!].map(([e, n]) => [LON + e / MX, LAT + n / MY])],
});
/** Inradius of a triangle: area / semi-perimeter. */
const inradius = (a: [number, number], b: [number, number], c: [number, number]) => {
  const d = (p: [number, number], q: [number, number]) => Math.hypot(p[0] - q[0], p[1] - q[1]);
  const area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;
  return area / ((d(a, b) + d(b, c) + d(c, a)) / 2);
};

describe('true width', () => {
  it('a strip 263 m × 0.3 m is 0.3 m wide', () => {
    expect(trueWidthM(poly([0, 0], [263, 0], [263, 0.3], [0, 0.3]))).toBeCloseTo(0.3, 2);
  });

  it('a strip at 37° is as wide as an axis-aligned one', () => {
    const c = Math.cos((37 * Math.PI) / 180);
    const s = Math.sin((37 * Math.PI) / 180);
    const r = (e: number, n: number): [number, number] => [e * c - n * s, e * s + n * c];
    expect(trueWidthM(poly(r(0, 0), r(200, 0), r(200, 0.42), r(0, 0.42)))).toBeCloseTo(0.42, 2);
  });

  it('wedge_0_8m_deep: a 263 m edge bent 0.8 m is 0.8 m wide (mean width says 0.4)', () => {
    const a: [number, number] = [0, 0];
    const b: [number, number] = [263, 0];
    const m: [number, number] = [131.5, 0.8];
    const width = trueWidthM(poly(a, b, m));
    expect(width).toBeCloseTo(2 * inradius(a, b, m), 2);
    expect(width).toBeGreaterThan(0.79);
    // The old measure, 2·A/P, for the record: half the depth.
    const area = (263 * 0.8) / 2;
    expect((2 * area) / (263 + 2 * Math.hypot(131.5, 0.8))).toBeCloseTo(0.4, 2);
  });

  it('a 20 m square is 20 m wide; the wider part of a MultiPolygon counts', () => {
    expect(trueWidthM(poly([0, 0], [20, 0], [20, 20], [0, 20]))).toBeCloseTo(20, 2);
    const thin = poly([0, 0], [100, 0], [100, 0.2], [0, 0.2]);
    const fat = poly([0, 10], [3, 10], [3, 13], [0, 13]);
    expect(trueWidthM({ type: 'MultiPolygon', coordinates: [thin.coordinates, fat.coordinates] })).toBeCloseTo(3, 2);
  });

  it('a hole narrows the width: a 10 m square ring around a 6 m hole fits its widest circle in a corner', () => {
    const outer = poly([0, 0], [10, 0], [10, 10], [0, 10]).coordinates[0]!;
    const hole = poly([2, 2], [2, 8], [8, 8], [8, 2]).coordinates[0]!;
    // Centre (c, c) equidistant from the two outer walls and the hole's corner (2, 2): c = √2 (2 − c).
    const c = (2 * Math.SQRT2) / (1 + Math.SQRT2);
    expect(trueWidthM({ type: 'Polygon', coordinates: [outer, hole] })).toBeCloseTo(2 * c, 2);
  });

  it('a degenerate ring has no width', () => {
    expect(trueWidthM(poly([0, 0], [10, 0], [20, 0]))).toBe(0);
  });
  it('trapezoid_7m_even_width: a 275 m trapezoid gap 7.4 m deep is measured to 1 % without millimetre cells', () => {
    // Its middle half is 7.4 m wide everywhere: at 1 mm polylabel split 137 m of it into
    // millimetre cells (1.3 s); the relative precision (1/200 of A/P) keeps it to ~4 cm.
    const started = performance.now();
    const w = trueWidthM(poly([0, 0], [275, 0], [206.25, 7.4], [68.75, 7.4]));
    expect(performance.now() - started).toBeLessThan(400);
    expect(Math.abs(w - 7.4) / 7.4).toBeLessThan(0.01);
  });
});
