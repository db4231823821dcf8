/**
 * 楼栋 and households. Each grid gets a household target (300–500 for most, a few
 * deliberately outside the band, commercial grids almost none), split over buildings of
 * 12–120 households placed in rows of slots inside the grid's cells: the compounds' cells
 * first and filled (slab blocks, 板楼), then the cells nearest to them (older courtyards);
 * in a village, rows of houses around the village centre. Cells left over in the city get
 * schools, workshops, shops and offices without households (非住宅).
 */
import type { GridKind } from '../../common/domain.ts';
import type { CompoundPlan, GridPlan } from './hierarchy.ts';
import { cellPoint, round7, type Lattice } from './lattice.ts';
import type { DistrictPlan } from './plan.ts';
import { ROADS } from './names.ts';
import type { Rng } from './prng.ts';
import type { BuildingRow } from './types.ts';

export type GridProfile = 'residential' | 'mixed' | 'low' | 'high' | 'market' | 'office';

export interface GridBuildings {
  kind: GridKind;
  households: number;
  population: number;
  buildings: BuildingRow[];
}

export const KIND_OF_PROFILE: Record<GridProfile, GridKind> = {
  residential: 'residential',
  low: 'residential',
  high: 'residential',
  mixed: 'mixed',
  market: 'commercial',
  office: 'commercial',
};

function householdTotal(profile: GridProfile, rng: Rng): number {
  switch (profile) {
    case 'residential':
      return rng.int(300, 470);
    case 'mixed':
      return rng.int(320, 480);
    case 'low':
      return rng.int(200, 285);
    case 'high':
      return rng.int(520, 640);
    case 'market':
    case 'office':
      return 0;
  }
}

/**
 * How big buildings are: households per building between `min` and `max`, a grid's total
 * divided by a number drawn from `perBuilding` (`inCompound` in compounds, `rural` in
 * villages). `large`: a share of residential grids gets one more, larger building (a tower),
 * households drawn from its range (above the ceiling: a grid the band cannot be met in).
 */
export interface BuildingSizes {
  min: number;
  max: number;
  perBuilding: [number, number];
  inCompound: [number, number];
  rural: [number, number];
  large?: { share: number; households: [number, number] };
}

/** The demo district's buildings: 12–120 households. */
export const DEMO_BUILDING_SIZES: BuildingSizes = {
  min: 12,
  max: 120,
  perBuilding: [30, 50],
  inCompound: [22, 34],
  rural: [15, 28],
};

/** Households of each building: `slots` is how many the compounds would hold (0: none). */
function householdTarget(
  profile: GridProfile,
  rng: Rng,
  rural: boolean,
  compoundSlots: number,
  room: number,
  sizes: BuildingSizes,
): number[] {
  switch (profile) {
    case 'market':
      return [0, rng.int(12, 30)];
    case 'office':
      return [0];
    default: {
      const total = householdTotal(profile, rng);
      const wanted = rural
        ? Math.round(total / rng.float(...sizes.rural))
        : compoundSlots > 0
          ? Math.min(compoundSlots, Math.round(total / rng.float(...sizes.inCompound)))
          : Math.round(total / rng.float(...sizes.perBuilding));
      const out = splitHouseholds(total, rng, Math.min(room, wanted), sizes);
      if (sizes.large && !rural && out.length < room && rng.chance(sizes.large.share))
        out.unshift(rng.int(...sizes.large.households));
      return out;
    }
  }
}

/** Split a household total over `wanted` buildings (at least total/max, at most total/min) of min–max households each. */
export function splitHouseholds(
  total: number,
  rng: Rng,
  wanted: number,
  { min, max }: Pick<BuildingSizes, 'min' | 'max'> = DEMO_BUILDING_SIZES,
): number[] {
  const n = Math.max(Math.ceil(total / max), Math.min(Math.floor(total / min), wanted));
  const sizes = new Array<number>(n).fill(min);
  let left = total - min * n;
  const weights = sizes.map(() => rng.float(0.3, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  sizes.forEach((_, k) => {
    const give = Math.min(max - min, Math.floor((left * (weights[k] as number)) / sum));
    sizes[k] = (sizes[k] as number) + give;
  });
  left = total - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % n) {
    if ((sizes[k] as number) < max) {
      sizes[k] = (sizes[k] as number) + 1;
      left--;
    }
  }
  return sizes;
}

interface Slot {
  cell: number;
  compound: CompoundPlan | null;
  u: [number, number];
  v: [number, number];
}

/** Rows of slots in a cell, clear of the lane through its middle (v ≈ 0.5). */
function cellSlots(cell: number, compound: CompoundPlan | null, rural: boolean): Slot[] {
  const [cols, width, step] = rural ? [4, 0.17, 0.23] : [2, 0.36, 0.48];
  const rows: [number, number][] = rural
    ? [
        [0.08, 0.16],
        [0.26, 0.34],
        [0.58, 0.66],
        [0.76, 0.84],
      ]
    : [
        [0.08, 0.18],
        [0.27, 0.37],
        [0.57, 0.67],
        [0.76, 0.86],
      ];
  return rows.flatMap((v) =>
    Array.from({ length: cols }, (_, c): Slot => {
      const u0 = (rural ? 0.07 : 0.08) + c * step;
      return { cell, compound, u: [u0, u0 + width], v };
    }),
  );
}

function quad(l: Lattice, cell: number, [u0, u1]: [number, number], [v0, v1]: [number, number]): BuildingRow['geom'] {
  const ring = [
    cellPoint(l, cell, u0, v0),
    cellPoint(l, cell, u1, v0),
    cellPoint(l, cell, u1, v1),
    cellPoint(l, cell, u0, v1),
  ];
  return { type: 'Polygon', coordinates: [[...ring, ring[0] as number[]]] };
}

export interface GridPlace {
  plan: DistrictPlan;
  grid: GridPlan;
  communityName: string;
  rural: boolean;
  compounds: CompoundPlan[];
  /** Cells that take no building (parks). */
  blocked: ReadonlySet<number>;
  sizes?: BuildingSizes;
}

export function buildGridBuildings(
  place: GridPlace,
  profile: GridProfile,
  nextCode: () => string,
  rng: Rng,
): GridBuildings & { usedCells: Set<number> } {
  const { plan, grid, rural } = place;
  const l = plan.lattice;
  const compoundOf = new Map<number, CompoundPlan>();
  for (const compound of place.compounds.filter((c) => c.gridCode === grid.code))
    for (const cell of compound.cells) compoundOf.set(cell, compound);
  const usable = grid.cells.filter((c) => plan.river[c] === 0 && !place.blocked.has(c));
  if (usable.length === 0) throw new Error(`grid ${grid.code} has no cell to build on`);
  // Buildings gather: compound cells first, then the cells nearest the first of them.
  const anchor = usable.find((c) => compoundOf.has(c)) ?? rng.pick(usable);
  const [ax, ay] = [anchor % l.nx, Math.floor(anchor / l.nx)];
  const order = usable
    .map((c) => ({
      c,
      key: (compoundOf.has(c) ? 0 : 1000) + Math.hypot((c % l.nx) - ax, Math.floor(c / l.nx) - ay) + rng.float(0, 0.5),
    }))
    .sort((a, b) => a.key - b.key)
    .map((o) => o.c);
  const free = order.flatMap((c) => cellSlots(c, compoundOf.get(c) ?? null, rural));
  const compoundSlots = free.filter((s) => s.compound).length;
  const sizes = householdTarget(profile, rng, rural, compoundSlots, free.length, place.sizes ?? DEMO_BUILDING_SIZES);
  if (free.length < sizes.length) throw new Error(`grid ${grid.code} has no room for ${sizes.length} buildings`);
  const road = rng.pick(ROADS);
  const commercial = profile === 'office' || profile === 'market';
  const usedCells = new Set<number>();
  const buildings = sizes.map((households, k): BuildingRow => {
    const slot = free[k] as Slot;
    usedCells.add(slot.cell);
    let name: string;
    if (commercial && households === 0) name = profile === 'office' ? `${road}商务楼宇` : `${road}农贸市场`;
    else if (slot.compound) name = `${slot.compound.name}${k + 1}号楼`;
    else if (rural) name = `${place.communityName}${Math.floor(k / 8) + 1}组${(k % 8) + 1}号`;
    else name = `${road}${rng.int(1, 299)}号院${k + 1}号楼`;
    const asPoint = !commercial && !rural && !slot.compound && rng.chance(0.25);
    const centre = cellPoint(l, slot.cell, (slot.u[0] + slot.u[1]) / 2, (slot.v[0] + slot.v[1]) / 2);
    // A market hall or an office tower takes a whole row.
    const u: [number, number] = commercial && households === 0 ? [0.08, 0.92] : slot.u;
    return {
      code: nextCode(),
      name,
      community_code: grid.communityCode,
      compound_code: slot.compound?.code ?? null,
      households,
      units: commercial ? 1 : Math.max(1, Math.min(6, Math.round(households / rng.int(18, 30)))),
      geom: asPoint ? { type: 'Point', coordinates: centre.map(round7) } : quad(l, slot.cell, u, slot.v),
    };
  });
  for (const cell of compoundOf.keys()) usedCells.add(cell);
  const households = sizes.reduce((a, b) => a + b, 0);
  return {
    kind: KIND_OF_PROFILE[profile],
    households,
    population: Math.round(households * rng.float(2.6, 2.9)),
    buildings,
    usedCells,
  };
}

/** What stands on a city cell without households, and its buildings' slots in the cell. */
const NON_RESIDENTIAL: { label: string; parts: [[number, number], [number, number]][] }[] = [
  {
    label: '厂房',
    parts: [
      [
        [0.1, 0.9],
        [0.1, 0.4],
      ],
      [
        [0.1, 0.6],
        [0.6, 0.88],
      ],
    ],
  },
  {
    label: '仓库',
    parts: [
      [
        [0.12, 0.88],
        [0.62, 0.86],
      ],
    ],
  },
  {
    label: '教学楼',
    parts: [
      [
        [0.1, 0.55],
        [0.62, 0.74],
      ],
      [
        [0.62, 0.74],
        [0.58, 0.88],
      ],
    ],
  },
  {
    label: '商业楼',
    parts: [
      [
        [0.08, 0.3],
        [0.58, 0.7],
      ],
      [
        [0.38, 0.6],
        [0.58, 0.7],
      ],
      [
        [0.68, 0.9],
        [0.58, 0.7],
      ],
    ],
  },
  {
    label: '办公楼',
    parts: [
      [
        [0.3, 0.6],
        [0.12, 0.38],
      ],
    ],
  },
];

/** Buildings without households on free city cells (about half of them). */
export function buildNonResidential(
  l: Lattice,
  cells: readonly { cell: number; community: string }[],
  nextCode: (community: string) => string,
  rng: Rng,
): BuildingRow[] {
  const out: BuildingRow[] = [];
  for (const { cell, community } of cells) {
    if (!rng.chance(0.45)) continue;
    const use = rng.pick(NON_RESIDENTIAL);
    const road = rng.pick(ROADS);
    const number = rng.int(1, 399);
    use.parts.forEach(([u, v], k) =>
      out.push({
        code: nextCode(community),
        name: `${road}${number}号${use.parts.length > 1 ? `${k + 1}#` : ''}${use.label}`,
        community_code: community,
        compound_code: null,
        households: 0,
        units: 1,
        geom: quad(l, cell, u, v),
      }),
    );
  }
  return out;
}
