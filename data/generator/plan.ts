/**
 * The road-first plan of a generated district: the town's shape, its road network and the
 * blocks between the roads, all on one lattice (so every polygon cut from it tiles exactly).
 *
 * - The lattice is warped (long, gentle sines and a slight turn), so roads curve a little and
 *   meet at angles that are not all right angles; its outline is an irregular band elongated
 *   along a river (a perturbed polygon, not a disc), staircase corners smoothed.
 * - Road lines follow lattice lines: north–south 路 and east–west 道, 300–600 m apart in the
 *   town, arterials about every kilometre; a few secondary segments are missing, so some
 *   blocks are twice as long (T-junctions). The east end is the rural town (乡镇, e.g.
 *   落垡镇) with sparse county roads.
 * - Blocks are the cells between roads; communities are groups of whole blocks, so every
 *   community and street boundary is a road.
 * - The river (with a green corridor) crosses the district along its length; the cells it
 *   runs through carry no buildings.
 *
 *   road lines ─┬───────┬──        block = cells between road lines
 *               │ block │          (tiny rim blocks join a neighbour)
 *             ──┼───────┼──
 */
import type { Position } from 'geojson';
import { keepLargestComponent, round7, vertexId, type Lattice } from './lattice.ts';
import type { Rng } from './prng.ts';
import { traceComponentRings } from './trace-boundary.ts';

export type LineClass = 'arterial' | 'secondary';

export interface RoadLine {
  id: number;
  /** 'v': the lattice line x = index (north–south); 'h': y = index (east–west). */
  axis: 'v' | 'h';
  index: number;
  cls: LineClass;
  name: string;
  /** In the rural town only. */
  rural: boolean;
}

export interface DistrictPlan {
  lattice: Lattice;
  /** Per cell: 1 in the rural town. */
  town: Uint8Array;
  /** Per cell: 1 in the river corridor (no buildings). */
  river: Uint8Array;
  /** Per cell: its block id, -1 outside. */
  blockOf: Int32Array;
  /** Cells of each block, ascending. */
  blocks: number[][];
  lines: RoadLine[];
  /**
   * Road line of each lattice edge when it separates two blocks, else -1:
   * vEdge[j * (nx + 1) + i] is the edge from vertex (i, j) to (i, j + 1),
   * hEdge[j * nx + i] the edge from vertex (i, j) to (i + 1, j).
   */
  vEdge: Int32Array;
  hEdge: Int32Array;
  /** Continuous map from lattice coordinates (vertex units) to lon/lat (unrounded). */
  toLonLat: (x: number, y: number) => Position;
  /** The river's centre line in lattice coordinates, west to east. */
  riverLine: [number, number][];
}

export interface PlanOptions {
  centre: [number, number];
  nx: number;
  ny: number;
  cellSize: number;
  /** Wanted area inside the outline, km² (the outline is scaled to it). */
  areaKm2: number;
  /** Share of the cells that are the rural town (0: none). */
  townShare: number;
  /** Names for north–south and east–west lines (arterials first), and rural roads. */
  names: { ns: () => string; ew: () => string; rural: () => string };
}

/** Smooth pseudo-noise: a sum of sines with random phases. */
function wobble(rng: Rng, terms: [number, number][]): (t: number) => number {
  const phases = terms.map(() => rng.float(0, 2 * Math.PI));
  return (t) => terms.reduce((s, [freq, amp], k) => s + amp * Math.sin(freq * t + phases[k]!), 0);
}

export function planDistrict(options: PlanOptions, rng: Rng): DistrictPlan {
  const { nx, ny, cellSize, centre } = options;
  const metresPerDegreeLat = 111_132.954 - 559.822 * Math.cos((2 * centre[1] * Math.PI) / 180);
  const metresPerDegreeLon = (Math.PI / 180) * 6_378_137 * Math.cos((centre[1] * Math.PI) / 180);

  // The warp: index space → metres, then turned by a few degrees.
  const warpRng = rng.fork('warp');
  const turn = warpRng.float(0.12, 0.22);
  const wx = wobble(warpRng, [[(2 * Math.PI) / 40, 0.6]]);
  const wy = wobble(warpRng, [
    [(2 * Math.PI) / 70, 1.6],
    [(2 * Math.PI) / 22, 0.5],
  ]);
  const toMetres = (x: number, y: number): [number, number] => {
    const X = (x - nx / 2 + wx(y)) * cellSize;
    const Y = (y - ny / 2 + wy(x)) * cellSize;
    return [X * Math.cos(turn) - Y * Math.sin(turn), X * Math.sin(turn) + Y * Math.cos(turn)];
  };
  const toLonLat = (x: number, y: number): Position => {
    const [X, Y] = toMetres(x, y);
    return [centre[0] + X / metresPerDegreeLon, centre[1] + Y / metresPerDegreeLat];
  };
  const lon = new Float64Array((nx + 1) * (ny + 1));
  const lat = new Float64Array((nx + 1) * (ny + 1));
  const jitter = rng.fork('jitter');
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const [x, y] = toLonLat(i + jitter.float(-0.03, 0.03), j + jitter.float(-0.03, 0.03));
      lon[vertexId({ nx }, i, j)] = round7(x!);
      lat[vertexId({ nx }, i, j)] = round7(y!);
    }
  }

  // The outline: a band along a wandering centre line, its two sides wobbling apart,
  // tapering at both ends; scaled (binary search) to the wanted area.
  const shape = rng.fork('outline');
  const mid = wobble(shape, [[2.2, 0.12]]);
  const north = wobble(shape, [
    [1.3, 0.22],
    [6.5, 0.07],
    [13, 0.035],
  ]);
  const south = wobble(shape, [
    [1.7, 0.2],
    [7.5, 0.06],
    [11, 0.04],
  ]);
  const ends = wobble(shape, [
    [3, 0.05],
    [9, 0.03],
  ]);
  const maskAt = (scale: number): Uint8Array => {
    const inside = new Uint8Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const u = ((i + 0.5) / nx) * 2 - 1;
        const v = ((j + 0.5) / ny) * 2 - 1;
        const reach = 0.95 + ends(v);
        if (Math.abs(u) > reach) continue;
        const taper = Math.sqrt(Math.max(0, 1 - (u / reach) ** 6));
        const top = mid(u) + scale * (0.55 + north(u)) * taper;
        const bottom = mid(u) - scale * (0.55 + south(u)) * taper;
        if (v <= top && v >= bottom) inside[j * nx + i] = 1;
      }
    }
    return inside;
  };
  const lattice: Lattice = {
    nx,
    ny,
    cellSize,
    lon,
    lat,
    cells: [],
    inside: new Uint8Array(nx * ny),
    metresPerDegreeLon,
    metresPerDegreeLat,
  };
  const settle = (inside: Uint8Array) => {
    lattice.inside = inside;
    keepLargestComponent(lattice);
    fillHoles(lattice);
    dropPeninsulas(lattice);
    keepLargestComponent(lattice);
    return lattice.cells.length * (cellSize * cellSize) * 1e-6;
  };
  let [lo, hi] = [0.2, 1.6];
  for (let step = 0; step < 30; step++) {
    const m = (lo + hi) / 2;
    if (settle(maskAt(m)) < options.areaKm2) lo = m;
    else hi = m;
  }
  settle(maskAt(hi));
  smoothOutline(lattice);

  const town = new Uint8Array(nx * ny);
  const river = new Uint8Array(nx * ny);
  const inCell = (i: number, j: number) => i >= 0 && j >= 0 && i < nx && j < ny && lattice.inside[j * nx + i] === 1;

  // The river: near the outline's centre line, meandering on its own.
  const meander = wobble(rng.fork('river'), [
    [4.5, 0.09],
    [9, 0.03],
  ]);
  const riverJ = (x: number) => {
    const u = (x / nx) * 2 - 1;
    return ((mid(u) + meander(u) + 1) / 2) * ny;
  };
  const riverLine: [number, number][] = [];
  {
    let run: [number, number][] = [];
    let best: [number, number][] = [];
    for (let x = 0; x <= nx; x += 0.25) {
      const y = riverJ(x);
      if (inCell(Math.floor(Math.min(x, nx - 0.01)), Math.floor(y))) run.push([x, y]);
      else {
        if (run.length > best.length) best = run;
        run = [];
      }
    }
    if (run.length > best.length) best = run;
    riverLine.push(...best);
  }
  const [riverFrom, riverTo] = [riverLine[0]?.[0] ?? 0, riverLine[riverLine.length - 1]?.[0] ?? -1];
  for (const cell of lattice.cells) {
    const [i, j] = [cell % nx, Math.floor(cell / nx)];
    if (i + 0.5 < riverFrom || i + 0.5 > riverTo) continue;
    if (Math.abs(j + 0.5 - riverJ(i + 0.5)) <= 1.2) river[cell] = 1;
  }

  // Road lines. The town starts at a north–south line east of which lie `townShare` of the cells.
  const columns = new Array<number>(nx).fill(0);
  for (const cell of lattice.cells) columns[cell % nx]!++;
  let townFrom = nx;
  if (options.townShare > 0) {
    let acc = 0;
    for (let i = nx - 1; i > 0; i--) {
      acc += columns[i]!;
      if (acc >= options.townShare * lattice.cells.length) {
        townFrom = i;
        break;
      }
    }
  }
  const firstI = columns.findIndex((n) => n > 0);
  const lastI = nx - 1 - [...columns].reverse().findIndex((n) => n > 0);
  const rows = new Array<number>(ny).fill(0);
  for (const cell of lattice.cells) rows[Math.floor(cell / nx)]!++;
  const firstJ = rows.findIndex((n) => n > 0);
  const lastJ = ny - 1 - [...rows].reverse().findIndex((n) => n > 0);

  const lrng = rng.fork('lines');
  const lines: RoadLine[] = [];
  const addLine = (axis: 'v' | 'h', index: number, cls: LineClass, rural: boolean) => {
    const name = rural ? options.names.rural() : axis === 'v' ? options.names.ns() : options.names.ew();
    lines.push({ id: lines.length, axis, index, cls, name, rural });
  };
  // Positions along one axis, with arterials about every 6–10 cells.
  const positions = (from: number, to: number, steps: readonly number[]) => {
    const out: { index: number; arterial: boolean }[] = [];
    let sinceArterial = 3;
    for (let p = from + lrng.pick(steps); p < to; p += lrng.pick(steps)) {
      const step = out.length === 0 ? p - from : p - out[out.length - 1]!.index;
      sinceArterial += step;
      const arterial = sinceArterial >= 10 || (sinceArterial >= 6 && lrng.chance(0.5));
      if (arterial) sinceArterial = 0;
      out.push({ index: p, arterial });
    }
    return out;
  };
  const urbanSteps = [2, 3, 3, 4];
  // Arterials take their names first, so the well-known names go to the main roads.
  const vUrban = positions(firstI, Math.min(townFrom, lastI + 1), urbanSteps);
  const hAll = positions(firstJ, lastJ + 1, urbanSteps);
  const vTown = townFrom < nx ? positions(townFrom, lastI + 1, [5, 6, 7, 8]) : [];
  for (const arterialFirst of [true, false]) {
    for (const p of vUrban)
      if (p.arterial === arterialFirst) addLine('v', p.index, p.arterial ? 'arterial' : 'secondary', false);
    for (const p of hAll)
      if (p.arterial === arterialFirst) addLine('h', p.index, p.arterial ? 'arterial' : 'secondary', false);
  }
  if (townFrom < nx) {
    addLine('v', townFrom, 'secondary', true);
    for (const p of vTown) addLine('v', p.index, 'secondary', true);
  }
  // East–west lines reach into the town when they are arterials, or one in three of the others.
  const intoTown = new Set(
    lines.filter((l) => l.axis === 'h' && (l.cls === 'arterial' || lrng.chance(0.35))).map((l) => l.id),
  );
  const vLineAt = new Map<number, RoadLine>();
  const hLineAt = new Map<number, RoadLine>();
  for (const l of lines) (l.axis === 'v' ? vLineAt : hLineAt).set(l.index, l);
  const isTown = (i: number) => i >= townFrom;
  for (const cell of lattice.cells) if (isTown(cell % nx)) town[cell] = 1;

  // Secondary segments (between two crossing lines) missing at random: T-junctions.
  const vSorted = [...vLineAt.keys()].sort((a, b) => a - b);
  const hSorted = [...hLineAt.keys()].sort((a, b) => a - b);
  const segment = (sorted: number[], at: number) => sorted.filter((p) => p <= at).length;
  const dropped = new Set<string>();
  for (const l of lines) {
    if (l.cls !== 'secondary' || (l.axis === 'v' && l.index === townFrom)) continue;
    const crossings = l.axis === 'v' ? hSorted.length : vSorted.length;
    for (let s = 0; s <= crossings; s++) if (lrng.chance(0.15)) dropped.add(`${l.id}:${s}`);
  }
  /** The line an edge lies on, if it is an active road edge. */
  const vEdgeLine = (i: number, j: number): RoadLine | undefined => {
    const l = vLineAt.get(i);
    if (!l || dropped.has(`${l.id}:${segment(hSorted, j)}`)) return undefined;
    return l;
  };
  const hEdgeLine = (i: number, j: number): RoadLine | undefined => {
    const l = hLineAt.get(j);
    if (!l || dropped.has(`${l.id}:${segment(vSorted, i)}`)) return undefined;
    if (isTown(i) && !intoTown.has(l.id)) return undefined;
    return l;
  };

  // Blocks: cells joined across every edge that is not a road.
  const blockOf = new Int32Array(nx * ny).fill(-1);
  let blocks: number[][] = [];
  for (const start of lattice.cells) {
    if (blockOf[start]! >= 0) continue;
    const id = blocks.length;
    const cells = [start];
    blockOf[start] = id;
    for (let k = 0; k < cells.length; k++) {
      const c = cells[k]!;
      const [i, j] = [c % nx, Math.floor(c / nx)];
      const steps: [number, number, boolean][] = [
        [i - 1, j, !vEdgeLine(i, j)],
        [i + 1, j, !vEdgeLine(i + 1, j)],
        [i, j - 1, !hEdgeLine(i, j)],
        [i, j + 1, !hEdgeLine(i, j + 1)],
      ];
      for (const [a, b, open] of steps) {
        if (!open || !inCell(a, b)) continue;
        const n = b * nx + a;
        if (blockOf[n]! >= 0 || town[n] !== town[start]) continue;
        blockOf[n] = id;
        cells.push(n);
      }
    }
    blocks.push(cells);
  }
  // Tiny blocks at the rim join the neighbour they share the longest border with (same zone).
  for (;;) {
    const small = blocks
      .map((cells, id) => ({ id, n: cells.length }))
      .filter((b) => b.n > 0 && b.n < (town[blocks[b.id]![0]!] ? 8 : 4))
      .sort((a, b) => a.n - b.n || a.id - b.id)[0];
    if (!small) break;
    const shared = new Map<number, number>();
    for (const c of blocks[small.id]!) {
      for (const n of cellNeighbours(lattice, c)) {
        const b = blockOf[n]!;
        if (b !== small.id && town[n] === town[c]) shared.set(b, (shared.get(b) ?? 0) + 1);
      }
    }
    const into = [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    if (into === undefined) break;
    for (const c of blocks[small.id]!) blockOf[c] = into;
    blocks[into] = [...blocks[into]!, ...blocks[small.id]!].sort((a, b) => a - b);
    blocks[small.id] = [];
  }
  const renumber = new Map<number, number>();
  blocks = blocks.filter((cells, id) => {
    if (cells.length === 0) return false;
    renumber.set(id, renumber.size);
    return true;
  });
  for (const cell of lattice.cells) blockOf[cell] = renumber.get(blockOf[cell]!)!;
  blocks = blocks.map((cells) => [...cells].sort((a, b) => a - b));

  // Road edges: edges between two blocks, on the line they lie on.
  const vEdge = new Int32Array((nx + 1) * ny).fill(-1);
  const hEdge = new Int32Array(nx * (ny + 1)).fill(-1);
  for (const cell of lattice.cells) {
    const [i, j] = [cell % nx, Math.floor(cell / nx)];
    if (inCell(i + 1, j) && blockOf[cell + 1] !== blockOf[cell]) {
      const l = vLineAt.get(i + 1);
      if (!l) throw new Error(`blocks meet off a road line at (${i + 1}, ${j})`);
      vEdge[j * (nx + 1) + i + 1] = l.id;
    }
    if (inCell(i, j + 1) && blockOf[cell + nx] !== blockOf[cell]) {
      const l = hLineAt.get(j + 1);
      if (!l) throw new Error(`blocks meet off a road line at (${i}, ${j + 1})`);
      hEdge[(j + 1) * nx + i] = l.id;
    }
  }
  return { lattice, town, river, blockOf, blocks, lines, vEdge, hEdge, toLonLat, riverLine };
}

/** The 4-neighbours of a cell that lie inside. */
export function cellNeighbours(l: Lattice, cell: number): number[] {
  const [i, j] = [cell % l.nx, Math.floor(cell / l.nx)];
  const out: number[] = [];
  if (i > 0 && l.inside[cell - 1]) out.push(cell - 1);
  if (i < l.nx - 1 && l.inside[cell + 1]) out.push(cell + 1);
  if (j > 0 && l.inside[cell - l.nx]) out.push(cell - l.nx);
  if (j < l.ny - 1 && l.inside[cell + l.nx]) out.push(cell + l.nx);
  return out;
}

/** Outside cells not connected to the lattice's border are holes: fill them. */
function fillHoles(l: Lattice): void {
  const { nx, ny } = l;
  const outside = new Uint8Array(nx * ny);
  const queue: number[] = [];
  for (let c = 0; c < nx * ny; c++) {
    const [i, j] = [c % nx, Math.floor(c / nx)];
    if (!l.inside[c] && (i === 0 || j === 0 || i === nx - 1 || j === ny - 1)) {
      outside[c] = 1;
      queue.push(c);
    }
  }
  for (let k = 0; k < queue.length; k++) {
    const c = queue[k]!;
    const [i, j] = [c % nx, Math.floor(c / nx)];
    for (const [a, b] of [
      [i - 1, j],
      [i + 1, j],
      [i, j - 1],
      [i, j + 1],
    ] as const) {
      if (a < 0 || b < 0 || a >= nx || b >= ny) continue;
      const n = b * nx + a;
      if (!l.inside[n] && !outside[n]) {
        outside[n] = 1;
        queue.push(n);
      }
    }
  }
  for (let c = 0; c < nx * ny; c++) if (!outside[c]) l.inside[c] = 1;
  l.cells = [];
  for (let c = 0; c < nx * ny; c++) if (l.inside[c]) l.cells.push(c);
}

/** Cells with three or four sides outside (spikes of the rim) are dropped, repeatedly. */
function dropPeninsulas(l: Lattice): void {
  for (let changed = true; changed;) {
    changed = false;
    for (let c = 0; c < l.inside.length; c++) {
      if (l.inside[c] && cellNeighbours(l, c).length <= 1) {
        l.inside[c] = 0;
        changed = true;
      }
    }
  }
  l.cells = [];
  for (let c = 0; c < l.inside.length; c++) if (l.inside[c]) l.cells.push(c);
}

/**
 * Soften the staircase of the outline: each outline vertex moves towards the mean of its
 * two neighbours along the outline (two passes of ¼–½–¼). Only outline vertices move, and
 * every polygon reads the shared vertex arrays, so tiling stays exact.
 */
function smoothOutline(l: Lattice): void {
  const rings = traceComponentRings(l, l.cells);
  const seen = new Map<number, number>();
  for (const ring of rings) for (const v of ring.slice(0, -1)) seen.set(v, (seen.get(v) ?? 0) + 1);
  for (let pass = 0; pass < 2; pass++) {
    const moves: [number, number, number][] = [];
    for (const ring of rings) {
      const open = ring.slice(0, -1);
      open.forEach((v, k) => {
        if (seen.get(v) !== 1) return;
        const p = open[(k + open.length - 1) % open.length]!;
        const q = open[(k + 1) % open.length]!;
        moves.push([
          v,
          round7(0.25 * l.lon[p]! + 0.5 * l.lon[v]! + 0.25 * l.lon[q]!),
          round7(0.25 * l.lat[p]! + 0.5 * l.lat[v]! + 0.25 * l.lat[q]!),
        ]);
      });
    }
    for (const [v, x, y] of moves) {
      const [ox, oy] = [l.lon[v]!, l.lat[v]!];
      l.lon[v] = x;
      l.lat[v] = y;
      // A move that would make a cell concave (or nearly flat at a corner) is not made.
      if (!cellsAroundConvex(l, v)) {
        l.lon[v] = ox;
        l.lat[v] = oy;
      }
    }
  }
}

/** The inside cells at a vertex stay strictly convex, every corner turning by sin > 0.2. */
function cellsAroundConvex(l: Lattice, v: number): boolean {
  const [vi, vj] = [v % (l.nx + 1), Math.floor(v / (l.nx + 1))];
  for (const [i, j] of [
    [vi - 1, vj - 1],
    [vi, vj - 1],
    [vi - 1, vj],
    [vi, vj],
  ] as const) {
    if (i < 0 || j < 0 || i >= l.nx || j >= l.ny || !l.inside[j * l.nx + i]) continue;
    const ids = [vertexId(l, i, j), vertexId(l, i + 1, j), vertexId(l, i + 1, j + 1), vertexId(l, i, j + 1)];
    const pts = ids.map((k) => [l.lon[k]! * l.metresPerDegreeLon, l.lat[k]! * l.metresPerDegreeLat] as const);
    for (let k = 0; k < 4; k++) {
      const [a, b, c] = [pts[k]!, pts[(k + 1) % 4]!, pts[(k + 2) % 4]!];
      const [ux, uy, wx, wy] = [b[0] - a[0], b[1] - a[1], c[0] - b[0], c[1] - b[1]];
      if (ux * wy - uy * wx <= 0.2 * Math.hypot(ux, uy) * Math.hypot(wx, wy)) return false;
    }
  }
  return true;
}
