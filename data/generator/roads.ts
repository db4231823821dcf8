/**
 * The street network of a generated district, from its road-first plan (plan.ts), on the
 * same lattice as its grids, so grid and community boundaries run along streets:
 *
 * - arterial and secondary roads: every edge between two blocks, named by its line
 *   (north–south 路, east–west 道; county roads in the rural town);
 * - local roads: grid boundaries inside a block (lanes 巷/胡同, named);
 * - service ways (kind path): a lane through the middle of every row of cells of a block,
 *   from one road to the next, so every building is within reach of a way (compound inner
 *   roads in the city; in a village only rows with houses). None through the river.
 *
 * Lines are runs of consecutive edges of one class and name along one lattice line, with
 * each edge's midpoint as a vertex, sharing the lattice's rounded vertices exactly: the
 * network is noded at every crossing and where lanes meet the roads.
 */
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';
import { cellPoint, round7, vertexId, vertexPosition } from './lattice.ts';
import { laneNames } from './names.ts';
import type { DistrictPlan } from './plan.ts';
import { createRng } from './prng.ts';
import type { Dataset } from './types.ts';
import { districtPlan, type DistrictOptions } from './district.ts';

export type RoadClass = 'arterial' | 'secondary' | 'local' | 'service';

export interface RoadFeatureProperties {
  code: string;
  name: string | null;
  kind: 'road' | 'path' | 'footway';
  class: RoadClass;
}
export type RoadCollection = FeatureCollection<LineString, RoadFeatureProperties>;

const mid = (p: Position, q: Position): Position => [round7((p[0]! + q[0]!) / 2), round7((p[1]! + q[1]!) / 2)];
const key = (p: Position) => `${p[0]},${p[1]}`;
const edgeKey = (p: Position, q: Position) => (key(p) < key(q) ? `${key(p)}|${key(q)}` : `${key(q)}|${key(p)}`);

/** The edges of every grid outline, as unordered vertex pairs. */
function gridBoundaryEdges(dataset: Pick<Dataset, 'grids'>): Set<string> {
  const edges = new Set<string>();
  for (const grid of dataset.grids) {
    for (const polygon of grid.geom.coordinates) {
      for (const ring of polygon) for (let k = 1; k < ring.length; k++) edges.add(edgeKey(ring[k - 1]!, ring[k]!));
    }
  }
  return edges;
}

/** Cells holding a building (nearest cell centre to the building's first vertex). */
function builtCells(plan: DistrictPlan, dataset: Pick<Dataset, 'buildings'>): Set<number> {
  const l = plan.lattice;
  const size = 0.004;
  const buckets = new Map<string, number[]>();
  const centres = new Map<number, Position>();
  for (const cell of l.cells) {
    const c = cellPoint(l, cell, 0.5, 0.5);
    centres.set(cell, c);
    const k = `${Math.floor(c[0]! / size)},${Math.floor(c[1]! / size)}`;
    buckets.set(k, [...(buckets.get(k) ?? []), cell]);
  }
  const out = new Set<number>();
  for (const b of dataset.buildings) {
    const p = b.geom.type === 'Point' ? b.geom.coordinates : b.geom.coordinates[0]![0]!;
    const [bx, by] = [Math.floor(p[0]! / size), Math.floor(p[1]! / size)];
    let best = -1;
    let bestD = Infinity;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const cell of buckets.get(`${bx + dx},${by + dy}`) ?? []) {
          const c = centres.get(cell)!;
          const d = (c[0]! - p[0]!) ** 2 + (c[1]! - p[1]!) ** 2;
          if (d < bestD) {
            bestD = d;
            best = cell;
          }
        }
    if (best >= 0) out.add(best);
  }
  return out;
}

export function generateRoads(
  plan: DistrictPlan,
  dataset: Pick<Dataset, 'grids' | 'buildings'>,
  seed: number,
  codePrefix: string,
): RoadCollection {
  const l = plan.lattice;
  const { nx, ny } = l;
  const boundaries = gridBoundaryEdges(dataset);
  const lane = laneNames(createRng(seed).fork('lane-names'));
  const cellIn = (i: number, j: number) => i >= 0 && j >= 0 && i < nx && j < ny && l.inside[j * nx + i] === 1;
  const at = (i: number, j: number) => vertexPosition(l, vertexId(l, i, j));
  const features: Feature<LineString, RoadFeatureProperties>[] = [];
  const push = (coordinates: Position[], cls: RoadClass, name: string | null) =>
    features.push({
      type: 'Feature',
      properties: {
        code: `${codePrefix}-${features.length + 1}`,
        name,
        kind: cls === 'service' ? 'path' : 'road',
        class: cls,
      },
      geometry: { type: 'LineString', coordinates },
    });

  // Roads along lattice lines: east–west lines (j fixed), then north–south (i fixed).
  for (const horizontal of [true, false]) {
    const lines = horizontal ? ny + 1 : nx + 1;
    const steps = horizontal ? nx : ny;
    for (let line = 0; line < lines; line++) {
      let run: Position[] = [];
      let runKey: string | null = null;
      let runClass: RoadClass = 'local';
      let runName: string | null = null;
      const flush = () => {
        if (run.length > 1 && runKey) push(run, runClass, runName);
        run = [];
      };
      for (let s = 0; s < steps; s++) {
        const [i, j] = horizontal ? [s, line] : [line, s];
        const [a, b] = horizontal ? [cellIn(i, j - 1), cellIn(i, j)] : [cellIn(i - 1, j), cellIn(i, j)];
        const p = at(i, j);
        const q = horizontal ? at(i + 1, j) : at(i, j + 1);
        const lineId = horizontal ? plan.hEdge[j * nx + i]! : plan.vEdge[j * (nx + 1) + i]!;
        let edge: { key: string; cls: RoadClass; name: string | null } | null = null;
        if (lineId >= 0) {
          const road = plan.lines[lineId]!;
          edge = { key: `line${lineId}`, cls: road.cls, name: road.name };
        } else if (a && b && boundaries.has(edgeKey(p, q))) {
          edge = { key: 'local', cls: 'local', name: null };
        }
        if ((edge?.key ?? null) !== runKey) {
          flush();
          runKey = edge?.key ?? null;
          if (edge) {
            runClass = edge.cls;
            runName = edge.cls === 'local' ? lane() : edge.name;
          }
        }
        if (!edge) continue;
        if (run.length === 0) run.push(p);
        run.push(mid(p, q), q);
      }
      flush();
    }
  }

  // Service lanes: through the middle of each row of a block, from road to road.
  const built = builtCells(plan, dataset);
  for (let j = 0; j < ny; j++) {
    let run: number[] = [];
    const flush = () => {
      if (run.length > 0 && run.some((c) => plan.town[c] === 0 || built.has(c))) {
        const first = run[0]! % nx;
        const coordinates: Position[] = [mid(at(first, j), at(first, j + 1))];
        for (const cell of run) {
          const i = cell % nx;
          coordinates.push(cellPoint(l, cell, 0.5, 0.5), mid(at(i + 1, j), at(i + 1, j + 1)));
        }
        push(coordinates, 'service', null);
      }
      run = [];
    };
    for (let i = 0; i < nx; i++) {
      const cell = j * nx + i;
      const inside = cellIn(i, j) && plan.river[cell] === 0;
      const sameBlock = run.length > 0 && plan.blockOf[run[run.length - 1]!] === plan.blockOf[cell];
      if (!inside || !sameBlock) flush();
      if (inside) run.push(cell);
    }
    flush();
  }
  return { type: 'FeatureCollection', features };
}

/** The roads of a generated district (same options as generateDistrict, same plan). */
export function generateDistrictRoads(
  options: Pick<DistrictOptions, 'seed' | 'centre' | 'nx' | 'ny' | 'cellSize' | 'areaKm2' | 'streets' | 'code'>,
  dataset: Pick<Dataset, 'grids' | 'buildings'>,
): RoadCollection {
  return generateRoads(districtPlan(options), dataset, options.seed, options.code);
}
