/**
 * A plausible street network for a generated district, drawn on the same lattice as its
 * grids, so grid and community boundaries run along streets (as they do in real cities):
 *
 * - every lattice edge on a grid boundary is a road (道 east–west, 路 north–south);
 * - edges inside a grid are alleys (path); a quarter of them are missing, so some walks
 *   go around a block and the walk is longer than the straight line;
 * - every cell gets a footway through its centre from the middle of one side to the middle
 *   of the opposite side (a compound's inner road), so buildings in the middle of a 210-m
 *   block are near a way that leads out both ways (a dead end made most walks 2–3 × the
 *   straight line).
 *
 * Lines are runs of consecutive edges of one kind along one lattice line, with each edge's
 * midpoint as a vertex, sharing the lattice's rounded vertices exactly: the network is
 * noded at every crossing and where footways meet the streets.
 */
import type { Feature, FeatureCollection, LineString, Position } from 'geojson';
import { buildLattice, cellPoint, cellXY, round7, vertexId, vertexPosition, type Lattice } from './lattice.ts';
import { ROADS } from './names.ts';
import { createRng, type Rng } from './prng.ts';
import type { Dataset } from './types.ts';
import type { DistrictOptions } from './district.ts';

export interface RoadFeatureProperties {
  code: string;
  name: string | null;
  kind: 'road' | 'path' | 'footway';
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

export function generateRoads(lattice: Lattice, boundaries: Set<string>, rng: Rng, codePrefix: string): RoadCollection {
  const { nx, ny, inside } = lattice;
  const cellIn = (i: number, j: number) => i >= 0 && j >= 0 && i < nx && j < ny && inside[j * nx + i] === 1;
  const features: Feature<LineString, RoadFeatureProperties>[] = [];
  const push = (coordinates: Position[], kind: RoadFeatureProperties['kind'], name: string | null) =>
    features.push({
      type: 'Feature',
      properties: { code: `${codePrefix}-${features.length + 1}`, name, kind },
      geometry: { type: 'LineString', coordinates },
    });
  /** Kind of the edge between vertices (i, j) and (i + di, j + dj), or null when there is none. */
  const edgeKind = (
    i: number,
    j: number,
    di: number,
    dj: number,
    [c1, c2]: [boolean, boolean],
  ): RoadFeatureProperties['kind'] | null => {
    if (!c1 && !c2) return null;
    const p = vertexPosition(lattice, vertexId(lattice, i, j));
    const q = vertexPosition(lattice, vertexId(lattice, i + di, j + dj));
    if (boundaries.has(edgeKey(p, q)) || !c1 || !c2) return 'road';
    return rng.chance(0.25) ? null : 'path';
  };
  // One pass per lattice line: east–west lines (j fixed), then north–south (i fixed).
  for (const horizontal of [true, false]) {
    const lines = horizontal ? ny + 1 : nx + 1;
    const steps = horizontal ? nx : ny;
    for (let line = 0; line < lines; line++) {
      const name = `${ROADS[line % ROADS.length]}${horizontal ? '' : '北段'}`;
      let run: Position[] = [];
      let runKind: RoadFeatureProperties['kind'] | null = null;
      const flush = () => {
        if (run.length > 1 && runKind) push(run, runKind, runKind === 'road' ? name : null);
        run = [];
      };
      for (let s = 0; s < steps; s++) {
        const [i, j] = horizontal ? [s, line] : [line, s];
        const cells: [boolean, boolean] = horizontal
          ? [cellIn(i, j - 1), cellIn(i, j)]
          : [cellIn(i - 1, j), cellIn(i, j)];
        const kind = edgeKind(i, j, horizontal ? 1 : 0, horizontal ? 0 : 1, cells);
        if (kind !== runKind) flush();
        runKind = kind;
        if (!kind) continue;
        const p = vertexPosition(lattice, vertexId(lattice, i, j));
        const q = vertexPosition(lattice, vertexId(lattice, i + (horizontal ? 1 : 0), j + (horizontal ? 0 : 1)));
        if (run.length === 0) run.push(p);
        run.push(mid(p, q), q);
      }
      flush();
    }
  }
  const at = (i: number, j: number) => vertexPosition(lattice, vertexId(lattice, i, j));
  for (const cell of lattice.cells) {
    const [i, j] = cellXY(lattice, cell);
    const centre = cellPoint(lattice, cell, 0.5, 0.5);
    const ends = rng.chance(0.5)
      ? [mid(at(i, j), at(i, j + 1)), mid(at(i + 1, j), at(i + 1, j + 1))] // west to east
      : [mid(at(i, j), at(i + 1, j)), mid(at(i, j + 1), at(i + 1, j + 1))]; // south to north
    push([ends[0]!, centre, ends[1]!], 'footway', null);
  }
  return { type: 'FeatureCollection', features };
}

/** The roads of a generated district (same options as generateDistrict, same lattice). */
export function generateDistrictRoads(
  options: Pick<DistrictOptions, 'seed' | 'centre' | 'nx' | 'ny' | 'cellSize' | 'code'>,
  dataset: Pick<Dataset, 'grids'>,
): RoadCollection {
  const rng = createRng(options.seed);
  const lattice = buildLattice(
    { centre: options.centre, nx: options.nx, ny: options.ny, cellSize: options.cellSize },
    rng.fork('lattice'),
  );
  return generateRoads(lattice, gridBoundaryEdges(dataset), rng.fork('roads'), options.code);
}
