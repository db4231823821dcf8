/**
 * Walking reach over hand-made road networks with known answers. Positions are laid out
 * with geographiclib (Direct), so every length below is a true geodesic length.
 */
import { describe, expect, it } from 'vitest';
import geodesic from 'geographiclib-geodesic';
import { buildRoadGraph, reachedDiscs, reachOverNetwork, snapToRoad } from '../../server/geo/road-network.ts';
import { geodesicDistanceM, localDistanceM, segmentLengthM } from '../../server/geo/local-metric.ts';

type P = [number, number];
const WGS84 = geodesic.Geodesic.WGS84;
const O: P = [116.69, 39.5];
/** The point `metres` from p towards azimuth `azi` (0 = north, 90 = east). */
function go(p: P, azi: number, metres: number): P {
  const r = WGS84.Direct(p[1], p[0], azi, metres);
  return [r.lon2!, r.lat2!];
}
/** Along the meridian: a straight line in lon/lat and a geodesic. */
const north = (p: P, m: number) => go(p, 0, m);
/** Along the parallel (a straight line in lon/lat, as roads are stored), exactly m metres of geodesic. */
function east(p: P, m: number): P {
  let dLon = m / 85_000;
  for (let k = 0; k < 3; k++) dLon *= m / geodesicDistanceM(p[0], p[1], p[0] + dLon, p[1]);
  return [p[0] + dLon, p[1]];
}
const reach = (lines: P[][], sources: P[], targets: P[], m: number) =>
  reachOverNetwork(buildRoadGraph(lines), sources, targets, m).map((r) => [...r]);

describe('local metric', () => {
  it('is within 1e-3 of the geodesic at 240 m and 2 km (in fact within 1e-6), any direction, 20°–60° N', () => {
    let worst = 0;
    for (const lat of [20, 39.5, 60]) {
      for (let azi = 0; azi < 360; azi += 15) {
        for (const m of [240, 2_000]) {
          const a: P = [116.69, lat];
          const b = go(a, azi, m);
          const rel = Math.abs(localDistanceM(a[0], a[1], b[0], b[1]) - m) / m;
          worst = Math.max(worst, rel);
        }
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });
  it('uses the geodesic for long segments', () => {
    const b = go(O, 45, 20_000);
    expect(segmentLengthM(O[0], O[1], b[0], b[1])).toBeCloseTo(20_000, 3);
    expect(geodesicDistanceM(O[0], O[1], b[0], b[1])).toBeCloseTo(20_000, 3);
  });
});

describe('reachOverNetwork', () => {
  //   C ── 120 m ── B        straight A→B ≈ 169.7 m, walk A→C→B = 240 m
  //   │
  //  120 m
  //   │
  //   A
  const A = O;
  const C = north(A, 120);
  const B = east(C, 120);
  it('an L-shaped road: 170 m straight, 240 m on foot: reached at 240, not at 239', () => {
    expect(geodesicDistanceM(A[0], A[1], B[0], B[1])).toBeCloseTo(169.7, 1);
    expect(reach([[A, C, B]], [A], [B], 240)).toEqual([[0]]);
    expect(reach([[A, C, B]], [A], [B], 239)).toEqual([[]]);
  });

  it('two lines sharing a vertex join; crossing lines without one do not (roads must be noded)', () => {
    const M = north(A, 60); // the middle of A–C
    const W = go(M, 270, 100);
    const E = east(M, 100);
    const S = go(E, 180, 1); // 1 m south of E, to make E's own line reachable from it only via M
    expect(
      reach(
        [
          [A, M, C],
          [W, M, E],
        ],
        [A],
        [S],
        180,
      ),
    ).toEqual([[0]]); // 60 + 100 + 1 ≤ 180 (the access leg is 1 m)
    // The same cross drawn without the shared vertex: two separate lines, E unreachable.
    expect(
      reach(
        [
          [A, C],
          [W, E],
        ],
        [A],
        [S],
        180,
      ),
    ).toEqual([[]]);
  });

  it('two points on the same edge are measured along the edge, plus both access legs', () => {
    //   s(10 m off)             t(10 m off)
    //   ┆                        ┆
    //   P ───── 50 ── x ── 200 ── y ── 50 ── Q
    const P = O;
    const Q = east(P, 300);
    const s = north(east(P, 50), 10);
    const t = north(east(P, 250), 10);
    expect(reach([[P, Q]], [s], [t], 220)).toEqual([[0]]);
    expect(reach([[P, Q]], [s], [t], 219)).toEqual([[]]);
    // Order of sources and targets does not matter; lists are per source.
    expect(reach([[P, Q]], [t, s], [s, t], 220)).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('snaps to the nearest point of an edge, not to its nearest vertex', () => {
    const P = O;
    const Q = east(P, 200);
    const p = north(east(P, 100), 30);
    const snap = snapToRoad(buildRoadGraph([[P, Q]]), p[0], p[1]);
    expect(snap?.accessM).toBeCloseTo(30, 2);
    expect(snap?.t).toBeCloseTo(0.5, 3);
  });

  it('disconnected components do not reach each other', () => {
    //  road 2:  R1 ──────── R2       (150 m north of road 1, no link)
    //  road 1:  P  ──────── Q
    const P = O;
    const Q = east(P, 400);
    const R1 = north(P, 150);
    const R2 = north(Q, 150);
    const s = north(east(P, 200), 20);
    const t = go(east(R1, 200), 180, 20); // 110 m straight from s, 20 m from road 2
    expect(
      reach(
        [
          [P, Q],
          [R1, R2],
        ],
        [s],
        [t],
        1_000,
      ),
    ).toEqual([[]]);
    // Link the two roads at their west ends: 200 + 150 + 200 + 20 + 20 = 590 m.
    const linked = [
      [P, Q],
      [R1, R2],
      [P, R1],
    ];
    expect(reach(linked, [s], [t], 590)).toEqual([[0]]);
    expect(reach(linked, [s], [t], 589)).toEqual([[]]);
  });

  it('access legs are capped at 100 m; a direct walk of up to 100 m always counts', () => {
    const P = O;
    const Q = east(P, 1_000);
    const far = north(east(P, 500), 120); // 120 m from the road: off the network
    const near = north(east(P, 500), 50);
    expect(reach([[P, Q]], [near], [far], 10_000)).toEqual([[0]]); // 70 m straight: direct walk
    const far2 = north(east(P, 700), 120);
    expect(reach([[P, Q]], [near], [far2], 10_000)).toEqual([[]]); // off the network, 211 m away
    // An off-network source reaches only what is within 100 m straight.
    const off = north(east(P, 200), 150);
    const by80 = east(off, 80);
    const by110 = east(off, 110);
    const onRoad = east(P, 200);
    expect(reach([[P, Q]], [off], [by80, by110, onRoad], 10_000)).toEqual([[0]]);
    // The access leg counts in the distance: 50 + 100 + 50 = 200 m.
    const a = north(east(P, 100), 50);
    const b = north(east(P, 200), 50);
    expect(reach([[P, Q]], [a], [b], 200)).toEqual([[0]]);
    expect(reach([[P, Q]], [a], [b], 199)).toEqual([[0]]); // …but b is 100 m straight from a: direct
    const c = north(east(P, 250), 50);
    expect(reach([[P, Q]], [a], [c], 250)).toEqual([[0]]);
    expect(reach([[P, Q]], [a], [c], 249)).toEqual([[]]);
  });

  it('with no targets or no roads near, lists are empty', () => {
    expect(reach([[O, east(O, 100)]], [O], [], 240)).toEqual([[]]);
    expect(reach([], [O], [east(O, 150)], 240)).toEqual([[]]);
    expect(reach([], [O], [east(O, 90)], 240)).toEqual([[0]]); // direct walk needs no road
  });

  it('agrees with an unbounded Dijkstra from each source on a 10 × 10 block lattice', () => {
    // Streets every 100 m east–west and north–south, one block missing in the middle.
    const node = (i: number, j: number) => north(east(O, i * 100), j * 100);
    const lines: P[][] = [];
    for (let j = 0; j <= 10; j++) lines.push(Array.from({ length: 11 }, (_, i) => node(i, j)));
    for (let i = 0; i <= 10; i++) lines.push(Array.from({ length: 11 }, (_, j) => node(i, j)));
    // Targets at block corners' mid-edges (on the road), sources at intersections.
    const sources = [node(2, 2), node(5, 5), node(8, 3)];
    const targets: P[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j <= 10; j++) targets.push(north(east(O, i * 100 + 50), j * 100));
    const got = reach(lines, sources, targets, 240);
    // On a full lattice the walk between an intersection and a mid-edge point is the
    // Manhattan distance in 100-m steps (the east/west midpoint adds 50 m).
    for (const [s, [si, sj]] of [
      [2, 2],
      [5, 5],
      [8, 3],
    ].entries()) {
      const want: number[] = [];
      targets.forEach((_, k) => {
        const i = Math.floor(k / 11);
        const j = k % 11;
        const dx = Math.min(Math.abs(i * 100 + 50 - si! * 100), Math.abs(i * 100 + 50 - si! * 100));
        const walk = dx + Math.abs(j - sj!) * 100;
        const straight = Math.hypot(i * 100 + 50 - si! * 100, (j - sj!) * 100);
        if (walk <= 240 || straight <= 100) want.push(k);
      });
      expect(got[s]).toEqual(want);
    }
  });
});

describe('reachedDiscs', () => {
  const P = O;
  const Q = east(P, 1_000);
  const inside = (discs: { lon: number; lat: number; radiusM: number }[], p: P) =>
    discs.some((d) => localDistanceM(d.lon, d.lat, p[0], p[1]) <= d.radiusM + 1e-6);

  it('covers the road up to the budget and a lateral band up to the access cap, and nothing beyond', () => {
    const discs = reachedDiscs(buildRoadGraph([[P, Q]]), [east(P, 300)], 240);
    expect(inside(discs, east(P, 300 + 230))).toBe(true); // along the road, 230 m
    expect(inside(discs, east(P, 300 - 230))).toBe(true);
    expect(inside(discs, east(P, 300 + 250))).toBe(false); // 250 m along: too far
    expect(inside(discs, north(east(P, 400), 90))).toBe(true); // 100 along + 90 access ≤ 240
    expect(inside(discs, north(east(P, 300), 101))).toBe(false); // beyond the 100-m lateral cap
    // A slanted walk from a road point counts: (540, 60) needs 160 along + 100 slanted > 240.
    expect(inside(discs, north(east(P, 540), 60))).toBe(false);
    expect(inside(discs, north(east(P, 470), 60))).toBe(true); // 170 + 60 ≤ 240 (margin 10 m > the 25-m spacing dip)
  });

  it('holds every target that reachOverNetwork reaches (random points on a lattice)', () => {
    const node = (i: number, j: number) => north(east(O, i * 150), j * 150);
    const lines: P[][] = [];
    for (let j = 0; j <= 6; j++) lines.push(Array.from({ length: 7 }, (_, i) => node(i, j)));
    for (let i = 0; i <= 6; i++) lines.push(Array.from({ length: 7 }, (_, j) => node(i, j)));
    const graph = buildRoadGraph(lines);
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const targets: P[] = Array.from({ length: 400 }, () => north(east(O, rnd() * 900), rnd() * 900));
    const sources: P[] = [north(east(O, 310), 440), north(east(O, 620), 180)];
    const reached = new Set(reachOverNetwork(graph, sources, targets, 216).flatMap((r) => [...r]));
    expect(reached.size).toBeGreaterThan(20);
    const discs = reachedDiscs(graph, sources, 216);
    for (const k of reached) expect(inside(discs, targets[k]!)).toBe(true);
  });
});

describe('demo street network (data/generator/roads.ts)', () => {
  it('is the committed data/demo/roads.geojson, runs along every grid boundary, bounds every community, is one network and serves every building', async () => {
    const { readFileSync } = await import('node:fs');
    const { readDemoDataset } = await import('../../data/load.ts');
    const { ANCI_OPTIONS } = await import('../../data/generator/index.ts');
    const { generateDistrictRoads } = await import('../../data/generator/roads.ts');
    const dataset = readDemoDataset();
    const roads = generateDistrictRoads(ANCI_OPTIONS, dataset);
    expect(roads).toEqual(JSON.parse(readFileSync('data/demo/roads.geojson', 'utf8')));
    const graph = buildRoadGraph(roads.features.map((f) => f.geometry.coordinates as P[]));
    const key = (p: number[]) => `${p[0]},${p[1]}`;
    const edge = (p: number[], q: number[]) => [key(p), key(q)].sort().join('|');
    // Every road has a class; streets and lanes between grids have names, service ways none.
    const classes = new Map<string, number>();
    for (const f of roads.features) {
      classes.set(f.properties.class, (classes.get(f.properties.class) ?? 0) + 1);
      if (f.properties.class === 'service') expect(f.properties.kind).toBe('path');
      else expect(f.properties.name, f.properties.code).toMatch(/^\p{Script=Han}+$/u);
    }
    expect([...classes.keys()].sort()).toEqual(['arterial', 'local', 'secondary', 'service']);
    // The district's outline is not a road; every other edge of a community is an arterial or
    // secondary road (communities are whole blocks), and every grid vertex off the outline is
    // a road node (but the few the generator moved on purpose to make digitising errors).
    const district = dataset.regions.find((r) => r.level === 'district')!;
    const outline = new Set<string>();
    const onOutline = new Set<string>();
    for (const ring of district.geom.coordinates.flat())
      for (let k = 0; k + 1 < ring.length; k++) {
        outline.add(edge(ring[k]!, ring[k + 1]!));
        onOutline.add(key(ring[k]!));
      }
    const streetEdges = new Set<string>();
    for (const f of roads.features) {
      if (f.properties.class !== 'arterial' && f.properties.class !== 'secondary') continue;
      const c = f.geometry.coordinates; // vertex, midpoint, vertex, …
      for (let k = 0; k + 2 < c.length; k += 2) streetEdges.add(edge(c[k]!, c[k + 2]!));
    }
    for (const community of dataset.regions.filter((r) => r.level === 'community'))
      for (const ring of community.geom.coordinates.flat())
        for (let k = 0; k + 1 < ring.length; k++) {
          const e = edge(ring[k]!, ring[k + 1]!);
          if (!outline.has(e)) expect(streetEdges.has(e), `${community.code} ${e}`).toBe(true);
        }
    const nodes = new Set<string>();
    graph.nodeLon.forEach((lon, n) => nodes.add(`${lon},${graph.nodeLat[n]}`));
    const vertices = dataset.grids.flatMap((g) => g.geom.coordinates.flat(2)).filter((p) => !onOutline.has(key(p)));
    const missing = vertices.filter((p) => !nodes.has(key(p)));
    expect(new Set(missing.map(key)).size).toBeLessThanOrEqual(dataset.meta.deliberateErrors.length);
    // One connected network.
    const seen = new Uint8Array(graph.nodeLon.length);
    const queue = [0];
    seen[0] = 1;
    for (let k = 0; k < queue.length; k++) {
      const n = queue[k]!;
      for (let a = graph.adjStart[n]!; a < graph.adjStart[n + 1]!; a++) {
        const m = graph.adjNode[a]!;
        if (!seen[m]) {
          seen[m] = 1;
          queue.push(m);
        }
      }
    }
    expect(queue.length / graph.nodeLon.length).toBeGreaterThan(0.99);
    const served = dataset.buildings.filter((b) => {
      const p = (b.geom.type === 'Point' ? b.geom.coordinates : b.geom.coordinates[0]![0]!) as P;
      return snapToRoad(graph, p[0], p[1]) !== null;
    });
    expect(served.length / dataset.buildings.length).toBeGreaterThan(0.99);
  });
});
