/**
 * settleVertices (server/proposal/settle-vertices.ts): a vertex noded onto a fixed boundary
 * on its wrong side moves to the nearest 1e-10° lattice point on the right side; everything
 * else stays bit for bit.
 *
 *   community (0,0)–(1e-3,1e-3), kept grid G = east half; rebuilt grid A = west half whose
 *   east edge carries a vertex x 5e-11° inside G, and a south edge vertex y 5e-11° outside:
 *
 *     ┌──────┬──────┐
 *     │  A   x  G   │
 *     └───y──┴──────┘
 */
import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { settleVertices } from '../../server/proposal/settle-vertices.ts';

const mp = (ring: number[][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: [[ring]] });
const X0 = 116.8;
const Y0 = 39.45;
const community = mp([
  [X0, Y0],
  [X0 + 1e-3, Y0],
  [X0 + 1e-3, Y0 + 1e-3],
  [X0, Y0 + 1e-3],
  [X0, Y0],
]);
const kept = mp([
  [X0 + 5e-4, Y0],
  [X0 + 1e-3, Y0],
  [X0 + 1e-3, Y0 + 1e-3],
  [X0 + 5e-4, Y0 + 1e-3],
  [X0 + 5e-4, Y0],
]);
const rebuilt = (xInside: number, yBelow: number) =>
  mp([
    [X0, Y0],
    [X0 + 2e-4, Y0 - yBelow],
    [X0 + 5e-4, Y0],
    [X0 + 5e-4 + xInside, Y0 + 4e-4],
    [X0 + 5e-4, Y0 + 1e-3],
    [X0, Y0 + 1e-3],
    [X0, Y0],
  ]);

describe('settleVertices', () => {
  it('moves a vertex inside a kept grid and one outside the community back across, by at most 3e-10°', () => {
    const a = rebuilt(5e-11, 5e-11);
    const b = rebuilt(5e-11, 5e-11); // a second outline sharing the vertices gets the same moves
    expect(
      settleVertices(
        [a, b],
        [
          { geometry: community, inside: true },
          { geometry: kept, inside: false },
        ],
      ),
    ).toBe(4);
    const ring = a.coordinates[0]![0]!;
    expect(ring[3]![0]!).toBeLessThan(X0 + 5e-4);
    expect(X0 + 5e-4 - ring[3]![0]!).toBeLessThan(3e-10);
    expect(ring[1]![1]!).toBeGreaterThan(Y0);
    expect(ring[1]![1]! - Y0).toBeLessThan(3e-10);
    expect(b).toEqual(a);
    for (const [x, y] of ring) {
      expect(Number(x!.toFixed(10))).toBe(x);
      expect(Number(y!.toFixed(10))).toBe(y);
    }
  });

  it('leaves vertices on the right side, and the fixed outlines’ own vertices, untouched', () => {
    const a = rebuilt(-5e-11, -5e-11);
    const before = JSON.stringify(a);
    expect(
      settleVertices(
        [a],
        [
          { geometry: community, inside: true },
          { geometry: kept, inside: false },
        ],
      ),
    ).toBe(0);
    expect(JSON.stringify(a)).toBe(before);
  });

  it('ignores vertices farther than 1e-9° from any fixed edge', () => {
    const a = rebuilt(-2e-9, -2e-9);
    const far = rebuilt(2e-9, 2e-9);
    const before = JSON.stringify(far);
    expect(
      settleVertices(
        [a, far],
        [
          { geometry: community, inside: true },
          { geometry: kept, inside: false },
        ],
      ),
    ).toBe(0);
    expect(JSON.stringify(far)).toBe(before);
  });
});
