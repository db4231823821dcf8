/**
 * generateCoverage: a district of irregular, concave communities subdivided into grids, built
 * in CGCS2000 Gauss–Krüger metres (EPSG:4547, 3-degree zone, central meridian 114°E) and
 * reprojected to lon/lat at full double precision (server/geo/crs.ts, proj4), with gaps and
 * overlaps injected (defects.ts) and a manifest of the answers: each problem's kind, grids
 * and geodesic area. Deterministic for a seed.
 *
 *   const c = generateCoverage({ grids: 2000 });  // c.grids.length === 2000
 *   c.manifest.errors  // gaps and overlaps the engine must report as errors
 *   c.manifest.slivers // thin-and-small pieces it must list as slivers (info)
 */
import type { MultiPolygon, Position } from 'geojson';
import geographiclib from 'geographiclib-geodesic';
import { toWgs84 } from '../../../server/geo/crs.ts';
import { partitionCells } from '../flood-fill.ts';
import { createRng } from '../prng.ts';
import { gridCodeOf, regionPrefix } from '../../../common/rules/region-codes.ts';
import { buildMesh, pointXY, traceMesh, type IdMultiPolygon, type Mesh } from './mesh.ts';
import {
  addTJunctions,
  injectDefects,
  type DefectCounts,
  type DefectPlan,
  type DefectShape,
  type MeshGrid,
} from './defects.ts';

export const COVERAGE_CRS = 'EPSG:4547';

export interface CoverageOptions {
  grids: number;
  seed?: number;
  /** Six-digit district code (GB/T 2260 form). */
  district?: string;
  /** Defects per 2,000 grids (scaled to the size). */
  defects?: DefectCounts;
}

export const DEFECTS_PER_2000: DefectCounts = {
  wedgeOverlaps: 6,
  wedgeGaps: 6,
  ordinaryOverlaps: 2,
  ordinaryGaps: 2,
  boundaryGaps: 3,
  slivers: 6,
};

export interface CoverageRegion {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent_code: string | null;
  geom: MultiPolygon;
}

export interface CoverageGrid {
  code: string;
  name: string;
  community_code: string;
  geom: MultiPolygon;
}

export interface InjectedProblem {
  kind: 'gap' | 'overlap';
  shape: DefectShape;
  community: string;
  grids: string[];
  /** Geodesic area of the piece (WGS84 ellipsoid), m². */
  areaM2: number;
  /** Planar area in Gauss–Krüger metres, m². */
  planarM2: number;
  depthM: number;
  baseM: number;
  /** A vertex of the piece's base, lon/lat. */
  at: [number, number];
}

export interface CoverageManifest {
  seed: number;
  crs: typeof COVERAGE_CRS;
  grids: number;
  communities: number;
  streets: number;
  /** Grid vertices put on a neighbour's (or the outline's) segment in metres: rounding, to be reported as nothing. */
  tJunctions: number;
  /** Gaps and overlaps the engine must report as errors (none demoted). */
  errors: InjectedProblem[];
  /** Thin and small pieces it must list as slivers (info), of the given kind. */
  slivers: InjectedProblem[];
}

export interface Coverage {
  regions: CoverageRegion[];
  grids: CoverageGrid[];
  manifest: CoverageManifest;
  /** The same regions and grids in EPSG:4547 metres (for Shapefiles an office would send). */
  metric: { regions: CoverageRegion[]; grids: CoverageGrid[] };
}

const CELLS_PER_GRID = 1.6;
const FILL = 0.62; // share of the lattice inside the district outline (bays included)

export function generateCoverage(options: CoverageOptions): Coverage {
  const seed = options.seed ?? 4547;
  const district = options.district ?? '130104';
  const rng = createRng(seed);
  const side = Math.ceil(Math.sqrt((options.grids * CELLS_PER_GRID) / FILL));
  const cellSize = 220;
  // Centred 10 km east of the central meridian, about 38°N.
  const mesh = buildMesh(
    { nx: side, ny: side, cellSize, origin: [510_000 - (side * cellSize) / 2, 4_210_000 - (side * cellSize) / 2] },
    rng.fork('mesh'),
  );
  const cells = mesh.lattice.cells;
  if (cells.length < options.grids)
    throw new Error(`the mesh has ${cells.length} cells, fewer than ${options.grids} grids`);

  const streetCount = Math.max(2, Math.round(options.grids / 1000));
  const communityCount = Math.max(streetCount, Math.round(options.grids / 25));
  const streets = partitionCells(mesh.lattice, cells, streetCount, rng.fork('streets'));
  const communityCells = streets.flatMap((s, k) =>
    partitionCells(
      mesh.lattice,
      s,
      share(communityCount, s.length, cells.length, k === streets.length - 1, streets, k),
      rng.fork(`street ${k}`),
    ).map((c) => ({ street: k, cells: c })),
  );
  // Grids per community in proportion to its cells, summing exactly to options.grids.
  const perCommunity = apportion(
    options.grids,
    communityCells.map((c) => c.cells.length),
  );

  const districtCode = `${district}000000`;
  const idRegions: { row: Omit<CoverageRegion, 'geom'>; rings: IdMultiPolygon }[] = [
    {
      row: { code: districtCode, name: '生成区', level: 'district', parent_code: null },
      rings: traceMesh(mesh, cells),
    },
  ];
  streets.forEach((s, k) => {
    idRegions.push({
      row: { code: streetCode(district, k), name: `生成街道${k + 1}`, level: 'street', parent_code: districtCode },
      rings: traceMesh(mesh, s),
    });
  });
  const meshGrids: MeshGrid[] = [];
  const seqInStreet = new Map<number, number>();
  communityCells.forEach((c, n) => {
    const seq = (seqInStreet.get(c.street) ?? 0) + 1;
    seqInStreet.set(c.street, seq);
    const code = `${regionPrefix(streetCode(district, c.street), 'street')}${String(seq).padStart(3, '0')}`;
    idRegions.push({
      row: { code, name: `生成社区${n + 1}`, level: 'community', parent_code: streetCode(district, c.street) },
      rings: traceMesh(mesh, c.cells),
    });
    const parts = partitionCells(mesh.lattice, c.cells, perCommunity[n]!, rng.fork(`community ${n}`));
    parts.forEach((part, g) =>
      meshGrids.push({ code: gridCodeOf(code, g + 1), community: code, rings: traceMesh(mesh, part) }),
    );
  });

  const scale = options.grids / 2000;
  const base = options.defects ?? DEFECTS_PER_2000;
  const counts = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, Math.round(v * scale)]),
  ) as unknown as DefectCounts;
  const { plans, used } = injectDefects(mesh, meshGrids, counts, rng.fork('defects'));
  const tJunctions = addTJunctions(
    mesh,
    meshGrids,
    Math.round(20 * scale),
    used,
    new Set(plans.map((p) => p.community)),
    rng.fork('t-junctions'),
  );

  const lonLat = reprojectPoints(mesh);
  const toGeom = (rings: IdMultiPolygon, metres: boolean): MultiPolygon => ({
    type: 'MultiPolygon',
    coordinates: rings.map((poly) =>
      poly.map((ring) =>
        ring.map((id): Position => (metres ? pointXY(mesh, id) : [lonLat[id * 2]!, lonLat[id * 2 + 1]!])),
      ),
    ),
  });
  const build = (metres: boolean) => ({
    regions: idRegions.map((r) => ({ ...r.row, geom: toGeom(r.rings, metres) })),
    grids: meshGrids.map((g, k) => ({
      code: g.code,
      name: `网格${k + 1}`,
      community_code: g.community,
      geom: toGeom(g.rings, metres),
    })),
  });
  const problems = plans.map((p) => describe(p, lonLat));
  return {
    ...build(false),
    metric: build(true),
    manifest: {
      seed,
      crs: COVERAGE_CRS,
      grids: meshGrids.length,
      communities: communityCells.length,
      streets: streets.length,
      tJunctions,
      errors: problems.filter((_, k) => plans[k]!.expect === 'error'),
      slivers: problems.filter((_, k) => plans[k]!.expect === 'sliver'),
    },
  };
}

const streetCode = (district: string, k: number) => `${district}${String(k + 1).padStart(3, '0')}000`;

/** This street's share of `total` communities, by cells (the last street takes the rest). */
function share(
  total: number,
  cellsHere: number,
  allCells: number,
  last: boolean,
  streets: number[][],
  k: number,
): number {
  if (!last) return Math.max(1, Math.round((total * cellsHere) / allCells));
  const before = streets
    .slice(0, k)
    .reduce((sum, s) => sum + Math.max(1, Math.round((total * s.length) / allCells)), 0);
  return Math.max(1, total - before);
}

/** Largest-remainder apportionment of `total` over `weights`, at least 1 and at most the weight each. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map((e, k) => Math.min(weights[k]!, Math.max(1, Math.floor(e))));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0]);
  for (let pass = 0; left !== 0 && pass < 10; pass++) {
    for (const [, k] of order) {
      if (left > 0 && out[k]! < weights[k]! && out[k]! < 999) {
        out[k]!++;
        left--;
      } else if (left < 0 && out[k]! > 1) {
        out[k]!--;
        left++;
      }
      if (left === 0) break;
    }
  }
  if (left !== 0) throw new Error(`cannot place ${total} grids`);
  return out;
}

/** Every point reprojected once, so shared points stay identical doubles. */
function reprojectPoints(mesh: Mesh): Float64Array {
  const toLonLat = toWgs84(COVERAGE_CRS);
  const out = new Float64Array(mesh.xy.length);
  for (let k = 0; k < mesh.xy.length; k += 2) {
    const [lon, lat] = toLonLat([mesh.xy[k]!, mesh.xy[k + 1]!]);
    out[k] = lon!;
    out[k + 1] = lat!;
  }
  return out;
}

const { Geodesic } = geographiclib;

function describe(plan: DefectPlan, lonLat: Float64Array): InjectedProblem {
  const polygon = Geodesic.WGS84.Polygon(false);
  for (const id of plan.piece) polygon.AddPoint(lonLat[id * 2 + 1]!, lonLat[id * 2]!);
  const area = Math.abs(polygon.Compute(false, true).area!);
  const first = plan.piece[0]!;
  return {
    kind: plan.kind,
    shape: plan.shape,
    community: plan.community,
    grids: plan.grids,
    areaM2: area,
    planarM2: plan.planarM2,
    depthM: plan.depthM,
    baseM: plan.baseM,
    at: [lonLat[first * 2]!, lonLat[first * 2 + 1]!],
  };
}
