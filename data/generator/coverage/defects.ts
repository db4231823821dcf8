/**
 * Injecting gaps and overlaps with known answers into a tiled mesh coverage. Each defect
 * changes the outline of one grid A along one segment it shares with grid B of its own
 * community (or with its community's outline, for a boundary gap):
 *
 *        B                      B                           B
 *   P ──S────────E── Q     P ──S──────M─E── Q  (overlap)   P ──S──M1────M2──E── Q (ordinary)
 *        A                      A                           A
 *
 * S and E are added to BOTH rings (a shared base of the chosen length), then A's ring gets
 * the apex M (or M1, M2) between them, pushed into B (an overlap) or into A (a gap). The
 * piece is the polygon S, apex…, E: its area, depth and base are known in metres, and its
 * geodesic area is computed after reprojection. No grid takes part in two defects, so every
 * defect is exactly one problem of the engine's, named by its kind and its grids.
 *
 * Shapes (the width of a wedge is just under its depth, ADR 0012):
 * - wedge: depth 0.55–1 m, area up to ~125 m²: the errors the mean-width rule demoted;
 * - ordinary: a trapezoid 2–8 m deep, 0.75·base·depth;
 * - boundary: a wedge or trapezoid gap between a grid and its community's outline;
 * - sliver: thin (0.05–0.3 m deep) and small (0.2–0.9 m²): info, listed apart.
 */
import type { Rng } from '../prng.ts';
import { addPoint, pointXY, type IdMultiPolygon, type Mesh } from './mesh.ts';

export type DefectShape = 'wedge' | 'ordinary' | 'boundary' | 'sliver';

export interface DefectPlan {
  kind: 'gap' | 'overlap';
  shape: DefectShape;
  /** Error (a gap or overlap) or info (a sliver). */
  expect: 'error' | 'sliver';
  community: string;
  /** The grids bordering the piece (A and B, or A alone at the outline), sorted. */
  grids: string[];
  /** The piece as point ids (open ring: S, apex…, E). */
  piece: number[];
  depthM: number;
  baseM: number;
  /** Planar area in Gauss–Krüger metres. */
  planarM2: number;
}

export interface MeshGrid {
  code: string;
  community: string;
  rings: IdMultiPolygon;
}

interface Segment {
  grid: number;
  ring: number;
  at: number;
  p: number;
  q: number;
  length: number;
  /** The neighbour grid sharing the segment reversed; -1 on the community's outline. */
  across: number;
  acrossRing: number;
  acrossAt: number;
}

export interface DefectCounts {
  wedgeOverlaps: number;
  wedgeGaps: number;
  ordinaryOverlaps: number;
  ordinaryGaps: number;
  boundaryGaps: number;
  slivers: number;
}

/** Inject the defects; grids' rings are changed in place. Returns the plans and the grids used. */
export function injectDefects(
  mesh: Mesh,
  grids: MeshGrid[],
  counts: DefectCounts,
  rng: Rng,
): { plans: DefectPlan[]; used: Set<number> } {
  const byCommunity = new Map<string, number[]>();
  grids.forEach((g, i) => {
    const list = byCommunity.get(g.community);
    if (list) list.push(i);
    else byCommunity.set(g.community, [i]);
  });
  const used = new Set<number>();
  const plans: DefectPlan[] = [];
  const jobs: { shape: DefectShape; kind: 'gap' | 'overlap' }[] = [
    ...Array.from({ length: counts.wedgeOverlaps }, () => ({ shape: 'wedge' as const, kind: 'overlap' as const })),
    ...Array.from({ length: counts.wedgeGaps }, () => ({ shape: 'wedge' as const, kind: 'gap' as const })),
    ...Array.from({ length: counts.ordinaryOverlaps }, () => ({
      shape: 'ordinary' as const,
      kind: 'overlap' as const,
    })),
    ...Array.from({ length: counts.ordinaryGaps }, () => ({ shape: 'ordinary' as const, kind: 'gap' as const })),
    ...Array.from({ length: counts.boundaryGaps }, () => ({ shape: 'boundary' as const, kind: 'gap' as const })),
    ...Array.from({ length: counts.slivers }, (_, k) => ({
      shape: 'sliver' as const,
      kind: k % 2 ? ('gap' as const) : ('overlap' as const),
    })),
  ];
  const order = rng.shuffle(grids.map((_, i) => i));
  let cursor = 0;
  for (const job of jobs) {
    for (;;) {
      if (cursor >= order.length) throw new Error('not enough grids for the defects asked for');
      const a = order[cursor++]!;
      if (used.has(a)) continue;
      const segments = segmentsOf(mesh, grids, byCommunity.get(grids[a]!.community)!, a).filter((s) =>
        job.shape === 'boundary' ? s.across < 0 : s.across >= 0 && !used.has(s.across),
      );
      const minLength = job.shape === 'ordinary' ? 40 : job.shape === 'wedge' ? 30 : 8;
      const fit = segments.filter((s) => s.length >= minLength);
      if (fit.length === 0) continue;
      // Wedges take the longest segment (areas up to ~125 m²), the others any.
      const seg = job.shape === 'wedge' ? fit.reduce((x, y) => (y.length > x.length ? y : x)) : rng.pick(fit);
      plans.push(inject(mesh, grids, seg, job.shape, job.kind, rng));
      used.add(a);
      if (seg.across >= 0) used.add(seg.across);
      break;
    }
  }
  return { plans, used };
}

/**
 * T-junctions: a vertex of A put on a segment it shares with a neighbour (or with its
 * community's outline), in Gauss–Krüger metres, and not added to the other ring. Exactly on
 * the line in metres; after reprojection up to ~0.6 mm off the lon/lat chord (a straight
 * line in the projection is curved in lon/lat: 0.61 mm at the middle of a 200 m east–west edge). Digitised data is full of them; they are
 * rounding, not problems, and the engine must report nothing for them. Half of them go into
 * communities `near` (those with a defect), where the exact overlay runs.
 */
export function addTJunctions(
  mesh: Mesh,
  grids: MeshGrid[],
  count: number,
  used: Set<number>,
  near: Set<string>,
  rng: Rng,
): number {
  const byCommunity = new Map<string, number[]>();
  grids.forEach((g, i) => byCommunity.set(g.community, [...(byCommunity.get(g.community) ?? []), i]));
  const inNear = rng.shuffle(grids.map((_, i) => i).filter((i) => near.has(grids[i]!.community)));
  const elsewhere = rng.shuffle(grids.map((_, i) => i).filter((i) => !near.has(grids[i]!.community)));
  let added = 0;
  for (const list of [inNear, elsewhere]) {
    for (const a of list) {
      if (added >= count || (list === inNear && added >= count / 2)) break;
      if (used.has(a)) continue;
      // Up to 200 m: the lens grows as L²·tanφ/8R and passes the 1 mm rounding width near 250 m
      // (ADR 0016); past that it is a real sliver in lon/lat, not rounding.
      const fit = segmentsOf(mesh, grids, byCommunity.get(grids[a]!.community)!, a).filter(
        (s) => s.length >= 40 && s.length <= 200 && (s.across < 0 || !used.has(s.across)),
      );
      if (fit.length === 0) continue;
      const seg = rng.pick(fit);
      const [px, py] = pointXY(mesh, seg.p);
      const [qx, qy] = pointXY(mesh, seg.q);
      const t = rng.float(0.2, 0.8);
      grids[a]!.rings[0]![0]!.splice(seg.at + 1, 0, addPoint(mesh, px + t * (qx - px), py + t * (qy - py)));
      used.add(a);
      added++;
    }
  }
  return added;
}

/** A's segments, each with the neighbour of its community that shares it (reversed), if any. */
function segmentsOf(mesh: Mesh, grids: MeshGrid[], members: number[], a: number): Segment[] {
  const reverse = new Map<string, [number, number, number]>();
  for (const m of members) {
    if (m === a) continue;
    grids[m]!.rings.forEach((poly) =>
      poly.forEach((ring, r) => {
        for (let k = 0; k + 1 < ring.length; k++) reverse.set(`${ring[k + 1]},${ring[k]}`, [m, r, k]);
      }),
    );
  }
  const out: Segment[] = [];
  // Grids of the mesh are one polygon each (1–3 cells, no holes).
  const ring = grids[a]!.rings[0]![0]!;
  for (let k = 0; k + 1 < ring.length; k++) {
    const [p, q] = [ring[k]!, ring[k + 1]!];
    const [px, py] = pointXY(mesh, p);
    const [qx, qy] = pointXY(mesh, q);
    const hit = reverse.get(`${p},${q}`);
    out.push({
      grid: a,
      ring: 0,
      at: k,
      p,
      q,
      length: Math.hypot(qx - px, qy - py),
      across: hit?.[0] ?? -1,
      acrossRing: hit?.[1] ?? -1,
      acrossAt: hit?.[2] ?? -1,
    });
  }
  return out;
}

function inject(
  mesh: Mesh,
  grids: MeshGrid[],
  seg: Segment,
  shape: DefectShape,
  kind: 'gap' | 'overlap',
  rng: Rng,
): DefectPlan {
  const [px, py] = pointXY(mesh, seg.p);
  const [qx, qy] = pointXY(mesh, seg.q);
  const ux = (qx - px) / seg.length;
  const uy = (qy - py) / seg.length;
  // A's shell runs counter-clockwise: A is on the left of P→Q, B on the right.
  const side = kind === 'gap' ? 1 : -1;
  const [nx, ny] = [-uy * side, ux * side];

  // A boundary piece is based on the whole outline segment; an inner one on a stretch of it.
  const room = shape === 'boundary' ? seg.length : seg.length - 2;
  let depth: number;
  let base: number;
  let apexAt: number[]; // fractions of the base, pushed by `depth`
  let planar: number;
  if (shape === 'wedge' || (shape === 'boundary' && rng.chance(0.5))) {
    depth = rng.float(0.55, 1);
    const target = rng.float(8, 125);
    base = shape === 'boundary' ? room : Math.min((2 * target) / depth, room);
    apexAt = [rng.float(0.3, 0.7)];
    planar = (base * depth) / 2;
  } else if (shape === 'sliver') {
    depth = rng.float(0.05, 0.3);
    const target = rng.float(0.2, 0.9);
    const trapezoid = rng.chance(0.5);
    base = Math.min((trapezoid ? target / 0.75 : 2 * target) / depth, room);
    apexAt = trapezoid ? [0.25, 0.75] : [rng.float(0.3, 0.7)];
    planar = trapezoid ? 0.75 * base * depth : (base * depth) / 2;
  } else {
    base = room;
    depth = rng.float(2, Math.min(8, base / 15));
    apexAt = [0.25, 0.75];
    planar = 0.75 * base * depth;
  }
  const start = shape === 'boundary' ? 0 : rng.float(1, seg.length - 1 - base);
  const at = (t: number, d: number) =>
    addPoint(mesh, px + ux * (start + t * base) + nx * d, py + uy * (start + t * base) + ny * d);

  const a = grids[seg.grid]!;
  const ringA = a.rings[0]![seg.ring]!;
  let piece: number[];
  if (shape === 'boundary') {
    // The base is the whole outline segment: only A's ring changes.
    const apex = apexAt.map((t) => at(t, depth));
    ringA.splice(seg.at + 1, 0, ...apex);
    piece = [seg.p, ...apex, seg.q];
  } else {
    const s = at(0, 0);
    const e = at(1, 0);
    const apex = apexAt.map((t) => at(t, depth));
    ringA.splice(seg.at + 1, 0, s, ...apex, e);
    const ringB = grids[seg.across]!.rings[0]![seg.acrossRing]!;
    ringB.splice(seg.acrossAt + 1, 0, e, s);
    piece = [s, ...apex, e];
  }
  const codes = seg.across >= 0 ? [a.code, grids[seg.across]!.code] : [a.code];
  return {
    kind,
    shape,
    expect: shape === 'sliver' ? 'sliver' : 'error',
    community: a.community,
    grids: codes.sort(),
    piece,
    depthM: depth,
    baseM: base,
    planarM2: planar,
  };
}
