/**
 * generateDistrict: the whole demo district from one seed, road first (data/generator/plan.ts):
 * outline and road network → blocks → communities of whole blocks → grids → compounds →
 * buildings. Defaults model 安次区 (Anci, Langfang): ~63 km² along the 龙河, four street
 * offices and the rural town 落垡镇 (villages), 53 communities, 319 grids, 183 compounds,
 * 24 branches + 295 groups, ~350 stations. Synthetic: 演示数据（虚构）.
 */
import type { MultiPolygon } from 'geojson';
import { buildGridBuildings, buildNonResidential, type BuildingSizes, type GridProfile } from './buildings.ts';
import { injectDigitisingErrors } from './digitising-errors.ts';
import { isRuralStreet, planHierarchy, type GridPlan, type StreetPlan } from './hierarchy.ts';
import { buildLandcover } from './landcover.ts';
import { cellAreaM2 } from './lattice.ts';
import { ANCI_STREETS, roadNames } from './names.ts';
import { buildParty } from './party.ts';
import { planDistrict, type DistrictPlan } from './plan.ts';
import { createRng } from './prng.ts';
import { buildStations } from './stations.ts';
import { traceCells } from './trace-boundary.ts';
import type { BuildingRow, Dataset, RegionRow } from './types.ts';
import { buildWorkers, DEFAULT_WORKER_SHARES } from './workers.ts';

export interface DistrictOptions {
  seed: number;
  /** 6-digit county-level code (GB/T 2260). */
  code: string;
  name: string;
  centre: [number, number];
  /** Lattice size in cells and cell edge in metres; the outline is scaled to `areaKm2` inside it. */
  nx: number;
  ny: number;
  cellSize: number;
  areaKm2: number;
  /** Names ending in 镇 or 乡 are rural towns (villages, sparse roads) at the district's east end. */
  streets: readonly { seq: string; name: string }[];
  communities: number;
  grids: number;
  compounds: number;
  branches: number;
  uncoveredGrids: number;
  deliberateErrors: number;
  /** The street (code) that gets the first gap and overlap (the editors' demo street); others get the rest. */
  errorStreet?: string;
  /** Parks (green, some with a pond) besides the river's green corridor. */
  parks: number;
  /** Grids of each special profile (the rest are residential, 300–480 households). */
  special: Partial<Record<GridProfile, number>>;
  /** Grid counts by community size only, not denser towards the middle (hierarchy.ts). */
  evenDensity?: boolean;
  /** Households per building (default: the demo's 12–120, DEMO_BUILDING_SIZES). */
  buildingSizes?: BuildingSizes;
}

export const ANCI_OPTIONS: DistrictOptions = {
  seed: 131002,
  code: '131002',
  name: '安次区',
  centre: [116.69, 39.5],
  nx: 96,
  ny: 44,
  cellSize: 150,
  areaKm2: 63,
  streets: ANCI_STREETS,
  communities: 53,
  grids: 319,
  compounds: 183,
  branches: 24,
  uncoveredGrids: 5,
  deliberateErrors: 4,
  errorStreet: '131002003000',
  parks: 6,
  special: { market: 1, office: 1, mixed: 2, low: 3, high: 3 },
};

/** The road-first plan of a district (the same for the district and for its roads). */
export function districtPlan(
  options: Pick<DistrictOptions, 'seed' | 'centre' | 'nx' | 'ny' | 'cellSize' | 'areaKm2' | 'streets'>,
): DistrictPlan {
  const rng = createRng(options.seed);
  const rural = options.streets.filter((s) => isRuralStreet(s.name)).length;
  return planDistrict(
    {
      centre: options.centre,
      nx: options.nx,
      ny: options.ny,
      cellSize: options.cellSize,
      areaKm2: options.areaKm2,
      townShare: Math.min(0.5, (1.4 * rural) / options.streets.length),
      names: roadNames(rng.fork('road-names')),
    },
    rng.fork('plan'),
  );
}

/** The plan and its streets, communities, grids and compounds as cells: the district before geometry. */
export function districtHierarchy(overrides: Partial<DistrictOptions> = {}): {
  plan: DistrictPlan;
  streets: StreetPlan[];
} {
  const options: DistrictOptions = { ...ANCI_OPTIONS, ...overrides };
  const plan = districtPlan(options);
  const streets = planHierarchy(
    plan,
    {
      districtCode: options.code,
      streets: options.streets,
      communities: options.communities,
      grids: options.grids,
      compounds: options.compounds,
      evenDensity: options.evenDensity,
    },
    createRng(options.seed).fork('hierarchy'),
  );
  return { plan, streets };
}

export function generateDistrict(overrides: Partial<DistrictOptions> = {}): Dataset {
  const options: DistrictOptions = { ...ANCI_OPTIONS, ...overrides };
  const rng = createRng(options.seed);
  const { plan, streets } = districtHierarchy(options);
  const lattice = plan.lattice;
  const districtCode = `${options.code}000000`;
  const communities = streets.flatMap((s) => s.communities);
  const gridPlans = communities.flatMap((c) => c.grids);
  const compoundPlans = communities.flatMap((c) => c.compounds);
  const communityOf = new Map(communities.map((c) => [c.code, c]));
  const landcover = buildLandcover(plan, districtCode, communities, options.parks, rng.fork('landcover'));
  const usable = (cell: number) => plan.river[cell] === 0 && !landcover.parkCells.has(cell);

  const regions: RegionRow[] = [
    {
      code: districtCode,
      name: options.name,
      level: 'district',
      parent_code: null,
      geom: traceCells(lattice, lattice.cells),
    },
    ...streets.map((s): RegionRow => ({
      code: s.code,
      name: s.name,
      level: 'street',
      parent_code: districtCode,
      geom: traceCells(lattice, s.cells),
    })),
    ...communities.map((c): RegionRow => ({
      code: c.code,
      name: c.name,
      level: 'community',
      parent_code: c.streetCode,
      geom: traceCells(lattice, c.cells),
    })),
  ];

  // Special profiles go to city grids with room (≥ 2 cells to build on), picked at random.
  const profiles = new Map<string, GridProfile>();
  const roomy = createRng(options.seed)
    .fork('profiles')
    .shuffle(
      gridPlans
        .filter((g) => !communityOf.get(g.communityCode)!.rural && g.cells.filter(usable).length >= 2)
        .map((g) => g.code),
    );
  for (const [profile, count] of Object.entries(options.special) as [GridProfile, number][]) {
    for (let k = 0; k < count; k++) {
      const code = roomy.shift();
      if (code) profiles.set(code, profile);
    }
  }

  const brng = rng.fork('buildings');
  const buildingSeq = new Map<string, number>();
  const nextCode = (community: string) => {
    const n = (buildingSeq.get(community) ?? 0) + 1;
    buildingSeq.set(community, n);
    return `${community}L${String(n).padStart(4, '0')}`;
  };
  const perGrid = gridPlans.map((grid: GridPlan) => {
    const community = communityOf.get(grid.communityCode)!;
    return {
      grid,
      ...buildGridBuildings(
        {
          plan,
          grid,
          communityName: community.name,
          rural: community.rural,
          compounds: community.compounds,
          blocked: landcover.parkCells,
          sizes: options.buildingSizes,
        },
        profiles.get(grid.code) ?? 'residential',
        () => nextCode(grid.communityCode),
        brng,
      ),
    };
  });
  // Cells of the city left without houses get schools, workshops, shops and offices.
  const spare = perGrid.flatMap(({ grid, usedCells }) =>
    communityOf.get(grid.communityCode)!.rural
      ? []
      : grid.cells
          .filter((c) => usable(c) && !usedCells.has(c))
          .map((cell) => ({ cell, community: grid.communityCode })),
  );
  const nonResidential = buildNonResidential(lattice, spare, nextCode, rng.fork('non-residential'));

  const gridGeoms = new Map<string, MultiPolygon>(gridPlans.map((g) => [g.code, traceCells(lattice, g.cells)]));
  const compoundCells = new Set(compoundPlans.flatMap((c) => c.cells));
  const deliberateErrors = injectDigitisingErrors(
    lattice,
    gridPlans,
    gridGeoms,
    compoundCells,
    options.deliberateErrors,
    rng.fork('errors'),
    options.errorStreet?.startsWith(options.code) ? options.errorStreet : undefined,
  );

  const party = buildParty(
    communities,
    { branches: options.branches, uncovered: options.uncoveredGrids },
    rng.fork('party'),
  );
  const stations = buildStations(lattice, communities, options.name, usable, rng.fork('stations'));
  const buildings: BuildingRow[] = [...perGrid.flatMap((g) => g.buildings), ...nonResidential];
  const gridWorkers = buildWorkers(
    perGrid.map((g) => ({ gridCode: g.grid.code, buildings: g.buildings })),
    DEFAULT_WORKER_SHARES,
    rng.fork('workers'),
  );

  const grids = perGrid.map(({ grid, kind, households, population }) => ({
    code: grid.code,
    name: grid.name,
    community_code: grid.communityCode,
    kind,
    households,
    population,
    geom: gridGeoms.get(grid.code) as MultiPolygon,
  }));
  const compounds = compoundPlans.map((c) => ({
    code: c.code,
    name: c.name,
    community_code: c.communityCode,
    geom: traceCells(lattice, c.cells),
  }));
  const areaKm2 = lattice.cells.reduce((sum, cell) => sum + cellAreaM2(lattice, cell), 0) / 1e6;

  const dataset: Dataset = {
    regions,
    compounds,
    grids,
    buildings,
    partyOrgs: party.partyOrgs,
    orgGrids: party.orgGrids,
    stations,
    gridWorkers,
    landcover: landcover.rows,
    meta: {
      generator: 'data/generator (road first: roads → blocks → communities → grids → compounds → buildings)',
      notice: '演示数据（虚构）',
      seed: options.seed,
      districtCode,
      districtName: options.name,
      centre: options.centre,
      cellSize: options.cellSize,
      lattice: { nx: options.nx, ny: options.ny, areaKm2: options.areaKm2 },
      areaKm2: Math.round(areaKm2 * 100) / 100,
      deliberateErrors,
      uncoveredGrids: party.uncoveredGrids,
      doubleClaimedGrids: party.doubleClaimedGrids,
      outOfBandGrids: perGrid
        .filter((g) => g.kind !== 'commercial' && (g.households < 300 || g.households > 500))
        .map((g) => g.grid.code)
        .sort(),
      counts: {},
    },
  };
  dataset.meta.counts = countRows(dataset);
  return dataset;
}

export function countRows(dataset: Dataset): Record<string, number> {
  const level = (l: string) => dataset.regions.filter((r) => r.level === l).length;
  return {
    streets: level('street'),
    communities: level('community'),
    compounds: dataset.compounds.length,
    grids: dataset.grids.length,
    buildings: dataset.buildings.length,
    households: dataset.grids.reduce((s, g) => s + g.households, 0),
    population: dataset.grids.reduce((s, g) => s + g.population, 0),
    branches: dataset.partyOrgs.filter((o) => o.kind === 'branch').length,
    groups: dataset.partyOrgs.filter((o) => o.kind === 'group').length,
    committees: dataset.partyOrgs.filter((o) => o.kind === 'committee').length,
    orgGrids: dataset.orgGrids.length,
    stations: dataset.stations.length,
    gridWorkers: dataset.gridWorkers.length,
    buildingHeads: dataset.gridWorkers.filter((w) => w.role === 'building_head').length,
    landcover: dataset.landcover.length,
  };
}
