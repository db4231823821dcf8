/**
 * Which polygon a point lies in, for many lookups against a fixed set (a city's grids):
 * a flatbush over the polygons' bounding boxes proposes candidates, an exact crossing-number
 * test on the rings decides (even-odd over all rings, so holes and multipolygon parts count
 * right). A point on a shared boundary belongs to the candidate with the lowest index, so
 * callers that want "first by code" pass the sets sorted by code.
 *
 *   const index = ringIndex([{ owner: 'a', rings: [[0, 0, 1, 0, 1, 1, 0, 1, 0, 0]], shell: [true] }]);
 *   locateInRings(index, 0.5, 0.5)  // → 0
 */
import Flatbush from 'flatbush';
import type { FlatRing, RingSet } from './match-edges.ts';

export interface RingIndex {
  sets: readonly RingSet[];
  boxes: Flatbush | null;
}

export function ringIndex(sets: readonly RingSet[]): RingIndex {
  if (sets.length === 0) return { sets, boxes: null };
  const boxes = new Flatbush(sets.length);
  for (const set of sets) {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of set.rings) {
      for (let i = 0; i < ring.length; i += 2) {
        const x = ring[i]!;
        const y = ring[i + 1]!;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    boxes.add(x0, y0, x1, y1);
  }
  boxes.finish();
  return { sets, boxes };
}

/** Is (x, y) on the segment a–b (exactly, up to a collinearity tolerance of 1e-12°²)? */
function onSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): boolean {
  const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  if (Math.abs(cross) > 1e-18) return false;
  return x >= Math.min(ax, bx) && x <= Math.max(ax, bx) && y >= Math.min(ay, by) && y <= Math.max(ay, by);
}

/** Inside (or on the boundary of) the rings, even-odd. */
export function pointInRings(rings: readonly FlatRing[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, n = ring.length - 2; i < n; i += 2) {
      const ax = ring[i]!;
      const ay = ring[i + 1]!;
      const bx = ring[i + 2]!;
      const by = ring[i + 3]!;
      // A segment wholly above or below the point can neither hold it nor cross its ray.
      if ((ay > y && by > y) || (ay < y && by < y)) continue;
      if (onSegment(x, y, ax, ay, bx, by)) return true;
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
    }
  }
  return inside;
}

/** The indexes of every polygon holding (x, y), ascending. */
export function ringsHolding(index: RingIndex, x: number, y: number): number[] {
  if (!index.boxes) return [];
  return index.boxes
    .search(x, y, x, y)
    .filter((i) => pointInRings(index.sets[i]!.rings, x, y))
    .sort((a, b) => a - b);
}

/** The lowest index of a polygon holding (x, y), or -1. */
export function locateInRings(index: RingIndex, x: number, y: number): number {
  if (!index.boxes) return -1;
  let found = -1;
  // search() returns candidates in tree order: keep the lowest index that really holds the point.
  for (const i of index.boxes.search(x, y, x, y)) {
    if ((found < 0 || i < found) && pointInRings(index.sets[i]!.rings, x, y)) found = i;
  }
  return found;
}
