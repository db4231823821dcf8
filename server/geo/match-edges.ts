/**
 * Exact-tiling proof by edge matching (pure; no SQL).
 *
 * Orient every polygon's boundary (shells counter-clockwise, holes clockwise) and count each
 * directed edge +1 for a grid, −1 for the community. The grids tile the community exactly
 * (no gap, no overlap, nothing outside) if and only if these counts cancel, edge for edge:
 * a 2-chain in the plane whose boundary is zero is zero, so Σ 1(grid) = 1(community) almost
 * everywhere. Edges are cancelled first as whole segments (the common case: neighbours
 * share vertices), then collinear leftovers along their common line (a T-junction, where
 * one grid's long edge meets two shorter edges of its neighbours).
 *
 * What is left is the *residual*: the outline of every gap, overlap and out-of-community
 * part. An empty residual proves the community is tiled; a non-empty one says where to run
 * the exact (and much slower) PostGIS overlay. Nothing here decides areas or slivers: a
 * residual from coordinates that differ by 1e-12° is still reported, and PostGIS measures it.
 *
 * Coordinates are compared exactly (as doubles). Edges are hashed into a flat open-addressing
 * table of typed arrays that is reused from community to community, so a city of 100,000
 * grids allocates almost nothing per edge.
 */

/** A ring as a flat list [x0, y0, x1, y1, …], closed (last point = first point). */
export type FlatRing = Float64Array | readonly number[];

export interface RingSet {
  /** Who the rings belong to (a grid code, or the community's code). */
  owner: string;
  /** Rings of all polygons; `shell[i]` says whether ring i is an exterior ring. */
  rings: FlatRing[];
  shell: boolean[];
}

export interface ResidualEdge {
  /** Owner whose edge is left over; the community's own edges have owner = community code. */
  owner: string;
  /** The uncancelled edge, oriented as it counts (+1 grid direction). */
  from: [number, number];
  to: [number, number];
  /** Net count: +1 covered once too often on its left, −1 once too rarely. */
  weight: number;
}

export interface EdgeMatchResult {
  tiled: boolean;
  residual: ResidualEdge[];
  /** Owners (grid codes and/or the community code) with at least one residual edge. */
  suspects: string[];
}

/**
 * Twice the signed area (shoelace); > 0 for counter-clockwise. Taken about the first vertex:
 * products of raw degrees near 116° × 39° lose the digits of a small ring's area.
 */
export function signedArea2(ring: FlatRing): number {
  const x0 = ring[0] as number;
  const y0 = ring[1] as number;
  let sum = 0;
  for (let i = 2; i + 5 < ring.length; i += 2) {
    sum +=
      ((ring[i] as number) - x0) * ((ring[i + 3] as number) - y0) -
      ((ring[i + 2] as number) - x0) * ((ring[i + 1] as number) - y0);
  }
  return sum;
}

/** Slot arrays of the hash table, grown on demand and reused between calls. */
class EdgeTable {
  private cap = 0;
  private mask = 0;
  private coords = new Float64Array(0);
  private weight = new Int32Array(0);
  private owner = new Int32Array(0);
  private stamp = new Uint32Array(0);
  private epoch = 0;
  /** Slots used in this epoch, in insertion order (to walk the residual quickly). */
  private used: number[] = [];

  reset(expectedEdges: number): void {
    let cap = 1024;
    while (cap < expectedEdges * 2) cap *= 2;
    if (cap > this.cap) {
      this.cap = cap;
      this.mask = cap - 1;
      this.coords = new Float64Array(cap * 4);
      this.weight = new Int32Array(cap);
      this.owner = new Int32Array(cap);
      this.stamp = new Uint32Array(cap);
      this.epoch = 0;
    }
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.used.length = 0;
  }

  /** Count a directed edge; the key is the unordered segment, the sign its direction. */
  add(ax: number, ay: number, bx: number, by: number, w: number, ownerIndex: number): void {
    if (ax === bx && ay === by) return; // repeated vertex: no edge
    let x1 = ax,
      y1 = ay,
      x2 = bx,
      y2 = by,
      sign = w;
    if (bx < ax || (bx === ax && by < ay)) {
      x1 = bx;
      y1 = by;
      x2 = ax;
      y2 = ay;
      sign = -w;
    }
    // Truncated fixed-point values only feed the hash; equality below is exact.
    let h = Math.imul((x1 * 1e7) | 0, 0x9e3779b1) ^ Math.imul((y1 * 1e7) | 0, 0x85ebca77);
    h = Math.imul(h ^ ((x2 * 1e7) | 0), 0xc2b2ae3d) ^ Math.imul((y2 * 1e7) | 0, 0x27d4eb2f);
    h ^= h >>> 15;
    let slot = h & this.mask;
    const { coords, stamp } = this;
    for (;;) {
      if (stamp[slot] !== this.epoch) {
        stamp[slot] = this.epoch;
        const k = slot * 4;
        coords[k] = x1;
        coords[k + 1] = y1;
        coords[k + 2] = x2;
        coords[k + 3] = y2;
        this.weight[slot] = sign;
        this.owner[slot] = ownerIndex;
        this.used.push(slot);
        return;
      }
      const k = slot * 4;
      if (coords[k] === x1 && coords[k + 1] === y1 && coords[k + 2] === x2 && coords[k + 3] === y2) {
        this.weight[slot] = (this.weight[slot] as number) + sign;
        // Keep the owner of a positive (grid) contribution when there is one.
        if (sign > 0 && ownerIndex >= 0) this.owner[slot] = ownerIndex;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Uncancelled edges, oriented so the weight is positive. */
  leftovers(): { x1: number; y1: number; x2: number; y2: number; w: number; owner: number }[] {
    const out = [];
    for (const slot of this.used) {
      const w = this.weight[slot] as number;
      if (w === 0) continue;
      const k = slot * 4;
      const [x1, y1, x2, y2] = [this.coords[k]!, this.coords[k + 1]!, this.coords[k + 2]!, this.coords[k + 3]!];
      out.push(
        w > 0
          ? { x1, y1, x2, y2, w, owner: this.owner[slot]! }
          : { x1: x2, y1: y2, x2: x1, y2: y1, w: -w, owner: this.owner[slot]! },
      );
    }
    return out;
  }
}

const table = new EdgeTable();

function addRings(set: RingSet, weight: number, ownerIndex: number): void {
  for (let r = 0; r < set.rings.length; r++) {
    const ring = set.rings[r] as FlatRing;
    const ccw = signedArea2(ring) > 0;
    // Shells count counter-clockwise, holes clockwise.
    const dir = ccw === (set.shell[r] ?? true) ? weight : -weight;
    for (let i = 0; i + 3 < ring.length; i += 2) {
      table.add(
        ring[i] as number,
        ring[i + 1] as number,
        ring[i + 2] as number,
        ring[i + 3] as number,
        dir,
        ownerIndex,
      );
    }
  }
}

/**
 * Check that `grids` tile `community` exactly. `eps` (degrees) is the distance under which
 * a T-junction vertex counts as lying on its neighbour's edge; 1e-9° is about 0.1 mm.
 */
export function matchEdges(community: RingSet, grids: readonly RingSet[], eps = 1e-9): EdgeMatchResult {
  let edges = 0;
  for (const ring of community.rings) edges += ring.length / 2;
  for (const g of grids) for (const ring of g.rings) edges += ring.length / 2;
  table.reset(edges);
  addRings(community, -1, -1);
  grids.forEach((g, i) => addRings(g, 1, i));
  const leftovers = table.leftovers();
  if (leftovers.length === 0) return { tiled: true, residual: [], suspects: [] };
  const residual = cancelCollinear(leftovers, eps).map((e) => ({
    owner: e.owner >= 0 ? (grids[e.owner] as RingSet).owner : community.owner,
    from: [e.x1, e.y1] as [number, number],
    to: [e.x2, e.y2] as [number, number],
    weight: e.w,
  }));
  const suspects = [...new Set(residual.map((e) => e.owner))].sort();
  return { tiled: residual.length === 0, residual, suspects };
}

interface Seg {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  w: number;
  owner: number;
}

/**
 * Cancel leftover edges that lie on one line (T-junctions). Segments are clustered when
 * each lies within `eps` of the other's line and they overlap or touch; each cluster's
 * signed coverage is swept along the line, and only the stretches with a non-zero net
 * count survive. Leftovers are few (a handful per broken community), so this is O(n²).
 */
function cancelCollinear(segs: Seg[], eps: number): Seg[] {
  const n = segs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (collinearOverlap(segs[i]!, segs[j]!, eps)) parent[find(i)] = find(j);
    }
  }
  const clusters = new Map<number, Seg[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const list = clusters.get(root);
    if (list) list.push(segs[i]!);
    else clusters.set(root, [segs[i]!]);
  }
  const out: Seg[] = [];
  for (const cluster of clusters.values()) {
    if (cluster.length === 1) out.push(cluster[0]!);
    else out.push(...sweepLine(cluster, eps));
  }
  return out;
}

function pointLineDistance(px: number, py: number, s: Seg): number {
  const dx = s.x2 - s.x1,
    dy = s.y2 - s.y1;
  const len = Math.hypot(dx, dy);
  return Math.abs((px - s.x1) * dy - (py - s.y1) * dx) / len;
}

function collinearOverlap(a: Seg, b: Seg, eps: number): boolean {
  if (pointLineDistance(b.x1, b.y1, a) > eps || pointLineDistance(b.x2, b.y2, a) > eps) return false;
  if (pointLineDistance(a.x1, a.y1, b) > eps || pointLineDistance(a.x2, a.y2, b) > eps) return false;
  const dx = a.x2 - a.x1,
    dy = a.y2 - a.y1;
  const len = Math.hypot(dx, dy);
  const t = (x: number, y: number) => ((x - a.x1) * dx + (y - a.y1) * dy) / len;
  const [b1, b2] = [t(b.x1, b.y1), t(b.x2, b.y2)];
  return Math.max(b1, b2) >= -eps && Math.min(b1, b2) <= len + eps;
}

/** Net signed coverage along the cluster's line; returns the non-zero stretches. */
function sweepLine(cluster: Seg[], eps: number): Seg[] {
  const ref = cluster[0]!;
  const dx = ref.x2 - ref.x1,
    dy = ref.y2 - ref.y1;
  const len = Math.hypot(dx, dy);
  const ux = dx / len,
    uy = dy / len;
  const t = (x: number, y: number) => (x - ref.x1) * ux + (y - ref.y1) * uy;
  const events: { t: number; d: number; x: number; y: number }[] = [];
  const spans: { t1: number; t2: number; w: number; owner: number }[] = [];
  for (const s of cluster) {
    let t1 = t(s.x1, s.y1),
      t2 = t(s.x2, s.y2);
    let w = s.w;
    let p1 = [s.x1, s.y1],
      p2 = [s.x2, s.y2];
    if (t2 < t1) {
      [t1, t2] = [t2, t1];
      [p1, p2] = [p2, p1];
      w = -w;
    }
    events.push({ t: t1, d: w, x: p1[0]!, y: p1[1]! }, { t: t2, d: -w, x: p2[0]!, y: p2[1]! });
    spans.push({ t1, t2, w, owner: s.owner });
  }
  events.sort((a, b) => a.t - b.t);
  // A surviving stretch belongs to a segment covering it with the same sign: a grid's if any.
  const ownerOf = (mid: number, level: number): number => {
    let fallback = -1;
    for (const s of spans) {
      if (s.t1 <= mid && mid <= s.t2 && Math.sign(s.w) === Math.sign(level)) {
        if (s.owner >= 0) return s.owner;
        fallback = s.owner;
      }
    }
    return fallback;
  };
  const out: Seg[] = [];
  let level = 0;
  for (let i = 0; i < events.length - 1; i++) {
    const e = events[i]!;
    level += e.d;
    const next = events[i + 1]!;
    if (level !== 0 && next.t - e.t > eps) {
      const forward = level > 0;
      out.push({
        x1: forward ? e.x : next.x,
        y1: forward ? e.y : next.y,
        x2: forward ? next.x : e.x,
        y2: forward ? next.y : e.y,
        w: Math.abs(level),
        owner: ownerOf((e.t + next.t) / 2, level),
      });
    }
  }
  return out;
}

/** A (Multi)Polygon's rings in the flat form, with the shell flags. */
export function ringSetFromPolygons(
  owner: string,
  polygons: readonly (readonly (readonly (readonly number[])[])[])[],
): RingSet {
  const rings: FlatRing[] = [];
  const shell: boolean[] = [];
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach((p, k) => {
        flat[k * 2] = p[0] as number;
        flat[k * 2 + 1] = p[1] as number;
      });
      rings.push(flat);
      shell.push(i === 0);
    });
  }
  return { owner, rings, shell };
}
