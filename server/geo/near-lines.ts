/**
 * Which lines pass within `eps` degrees of a point, for many lookups against a fixed set (a
 * community's roads and compound outlines): a flatbush over the segments' boxes, grown by
 * eps, proposes candidates, and the planar point–segment distance in degrees decides, as
 * PostGIS's ST_DWithin on geometry does. Used to say which shared boundaries of a proposal's
 * units run along a road (ADR 0020): asking it in Node per boundary segment replaced a
 * per-piece lateral query that took half of a community's unit-graph time.
 *
 *   const lines = nearLines([{ coords: [0, 0, 1, 0] }], 1e-9);
 *   lines.near(0.5, 1e-10)  // → [0]
 */
import Flatbush from 'flatbush';
import type { FlatRing } from './match-edges.ts';

export interface NearLines {
  /** Indexes (ascending, each once) of the lines within eps of (x, y). */
  near(x: number, y: number): number[];
}

/** Squared planar distance from (x, y) to the segment a–b. */
export function segmentDistance2(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const px = ax + t * dx - x;
  const py = ay + t * dy - y;
  return px * px + py * py;
}

/** Index lines given as flat lon, lat, lon, lat, … arrays (a ring is a closed line). */
export function nearLines(lines: readonly { coords: FlatRing }[], eps: number): NearLines {
  const owner: number[] = [];
  const at: number[] = [];
  lines.forEach((line, k) => {
    for (let i = 0; i + 3 < line.coords.length; i += 2) {
      owner.push(k);
      at.push(i);
    }
  });
  if (owner.length === 0) return { near: () => [] };
  const boxes = new Flatbush(owner.length);
  for (let s = 0; s < owner.length; s++) {
    const c = lines[owner[s]!]!.coords;
    const i = at[s]!;
    const [ax, ay, bx, by] = [c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!];
    boxes.add(Math.min(ax, bx) - eps, Math.min(ay, by) - eps, Math.max(ax, bx) + eps, Math.max(ay, by) + eps);
  }
  boxes.finish();
  const eps2 = eps * eps;
  return {
    near(x, y) {
      const found: number[] = [];
      for (const s of boxes.search(x, y, x, y)) {
        const k = owner[s]!;
        if (found.includes(k)) continue;
        const c = lines[k]!.coords;
        const i = at[s]!;
        if (segmentDistance2(x, y, c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!) <= eps2) found.push(k);
      }
      return found.sort((p, q) => p - q);
    },
  };
}
