/**
 * unionFaces (server/geo/union-faces.ts): the union of faces sharing their edges exactly,
 * with answers known exactly (a hole, parts meeting at a point, a hole meeting the outline at
 * a point) and on random partitions of a lattice at full-precision coordinates.
 */
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { unionFaces } from '../../server/geo/union-faces.ts';
import { mulberry32 } from '../../server/proposal/prng.ts';

/** A square face with its corner at lattice cell (i, j), size d, at an origin, as a flat ring. */
const square = (i: number, j: number, x0 = 0, y0 = 0, d = 1, clockwise = false) => {
  const c = [
    [x0 + i * d, y0 + j * d],
    [x0 + (i + 1) * d, y0 + j * d],
    [x0 + (i + 1) * d, y0 + (j + 1) * d],
    [x0 + i * d, y0 + (j + 1) * d],
  ];
  if (clockwise) c.reverse();
  return [[...c, c[0]!].flat()];
};

/** Twice the signed area about the first vertex (degrees near 116° would lose digits). */
/** The unit squares of an n × n lattice that `keep` keeps. */
const lattice = (n: number, keep: (i: number, j: number) => boolean) => {
  const faces = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (keep(i, j)) faces.push(square(i, j));
  return faces;
};

const area2 = (ring: Position[]) => {
  const [x0, y0] = ring[0] as [number, number];
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    s += (ring[i]![0]! - x0) * (ring[i + 1]![1]! - y0) - (ring[i + 1]![0]! - x0) * (ring[i]![1]! - y0);
  return s;
};
const area = (polygons: Position[][][]) => polygons.reduce((s, p) => s + p.reduce((t, r) => t + area2(r) / 2, 0), 0);

/** Even–odd over all rings of all polygons. */
function inside(polygons: Position[][][], x: number, y: number): boolean {
  let odd = false;
  for (const ring of polygons.flat())
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) odd = !odd;
    }
  return odd;
}

/** OGC: a ring is closed and visits no vertex twice; shells turn left, holes right. */
function expectValidRings(polygons: Position[][][]) {
  for (const [shell, ...holes] of polygons) {
    expect(area2(shell!)).toBeGreaterThan(0);
    for (const h of holes) expect(area2(h)).toBeLessThan(0);
    for (const ring of [shell!, ...holes]) {
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      const seen = new Set(ring.slice(0, -1).map((p) => `${p[0]},${p[1]}`));
      expect(seen.size).toBe(ring.length - 1);
    }
  }
}

describe('unionFaces', () => {
  it('two squares sharing an edge: one ring of six edges, the shared edge gone', () => {
    const { polygons, boundary } = unionFaces([square(0, 0), square(1, 0, 0, 0, 1, true)]);
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(1);
    expect(polygons[0]![0]).toHaveLength(7);
    expect(area(polygons)).toBe(2);
    expect(boundary.length / 4).toBe(6);
    expectValidRings(polygons);
  });

  it('eight squares around an empty middle: one polygon with one hole', () => {
    const { polygons } = unionFaces(lattice(3, (i, j) => i !== 1 || j !== 1));
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(2);
    expect(area(polygons)).toBe(8);
    expectValidRings(polygons);
  });

  it('squares meeting only at a corner: two polygons', () => {
    const { polygons } = unionFaces([square(0, 0), square(1, 1)]);
    expect(polygons).toHaveLength(2);
    expect(area(polygons)).toBe(2);
    expectValidRings(polygons);
  });

  it('a hole that meets the outline at a point stays a hole (the ring does not touch itself)', () => {
    // 3 × 3 without the middle and the top-right corner: the middle meets the outside at (2, 2).
    const { polygons } = unionFaces(lattice(3, (i, j) => !(i === 1 && j === 1) && !(i === 2 && j === 2)));
    expect(polygons).toHaveLength(1);
    expect(polygons[0]).toHaveLength(2);
    expect(area(polygons)).toBe(7);
    expectValidRings(polygons);
  });

  it('an island inside a hole is its own polygon, and a face with a hole keeps it', () => {
    // 5 × 5 ring of 16 squares, nothing at the 3 × 3 middle but the centre square.
    const { polygons } = unionFaces(
      lattice(5, (i, j) => i === 0 || j === 0 || i === 4 || j === 4 || (i === 2 && j === 2)),
    );
    expect(polygons).toHaveLength(2);
    expect(area(polygons)).toBe(17);
    expect(inside(polygons, 2.5, 2.5)).toBe(true);
    expect(inside(polygons, 1.5, 2.5)).toBe(false);
    expectValidRings(polygons);
    // A single face with a hole (a polygonize face around an enclosed one).
    const donut = [square(0, 0, 0, 0, 3)[0]!, [1, 1, 1, 2, 2, 2, 2, 1, 1, 1]];
    const alone = unionFaces([donut]);
    expect(alone.polygons).toHaveLength(1);
    expect(alone.polygons[0]).toHaveLength(2);
    expect(area(alone.polygons)).toBe(8);
  });

  it('random partitions of a full-precision lattice: every cell lies in its own region and no other', () => {
    const random = mulberry32(19);
    // A lattice as reprojected from Gauss–Krüger: full-precision steps at a real place.
    const [x0, y0, d] = [116.38974321987654, 39.91234567123457, 0.00012345678912345];
    for (let round = 0; round < 20; round++) {
      const n = 12;
      const label: number[][] = Array.from({ length: n }, () =>
        Array.from({ length: n }, () => Math.floor(random() * 4)),
      );
      for (let r = 0; r < 4; r++) {
        const faces = [];
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) if (label[i]![j] === r) faces.push(square(i, j, x0, y0, d, random() < 0.5));
        const { polygons } = unionFaces(faces);
        expectValidRings(polygons);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++)
            expect(inside(polygons, x0 + (i + 0.5) * d, y0 + (j + 0.5) * d)).toBe(label[i]![j] === r);
        expect(area(polygons) / (d * d)).toBeCloseTo(faces.length, 6);
      }
    }
  });
});
