/**
 * 楼栋 and households. Each grid gets a household target (300–500 for most, a few
 * deliberately outside the band, commercial grids almost none), split over buildings of
 * 12–120 households placed in slots inside the grid's cells, compounds first.
 */
import type { GridKind } from '../../common/domain.ts';
import type { CompoundPlan, GridPlan } from './hierarchy.ts';
import { cellPoint, round7, type Lattice } from './lattice.ts';
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

function householdTarget(profile: GridProfile, rng: Rng, room: number): number[] {
  const split = (total: number, r: Rng) => splitHouseholds(total, r, room);
  switch (profile) {
    case 'residential':
      return split(rng.int(300, 470), rng);
    case 'mixed':
      return split(rng.int(320, 480), rng);
    case 'low':
      return split(rng.int(200, 285), rng);
    case 'high':
      return split(rng.int(520, 640), rng);
    case 'market':
      return [0, rng.int(12, 30)];
    case 'office':
      return [0];
  }
}

/** Split a household total over buildings of 12–120 households each, at most `room` of them. */
export function splitHouseholds(total: number, rng: Rng, room = Infinity): number[] {
  const wanted = Math.min(room, Math.max(Math.ceil(total / 120), Math.round(total / rng.float(45, 80))));
  const n = Math.min(Math.floor(total / 12), wanted);
  const sizes = new Array<number>(n).fill(12);
  let left = total - 12 * n;
  const weights = sizes.map(() => rng.float(0.3, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  sizes.forEach((_, k) => {
    const give = Math.min(108, Math.floor((left * (weights[k] as number)) / sum));
    sizes[k] = (sizes[k] as number) + give;
  });
  left = total - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k = (k + 1) % n) {
    if ((sizes[k] as number) < 120) {
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

/** Building slots of a grid: 2 × 4 slabs per cell, compound cells first. */
function slots(grid: GridPlan, compounds: CompoundPlan[], rng: Rng): Slot[] {
  const compoundOf = new Map<number, CompoundPlan>();
  for (const compound of compounds) for (const cell of compound.cells) compoundOf.set(cell, compound);
  const cells = rng.shuffle([...grid.cells]).sort((a, b) => Number(compoundOf.has(b)) - Number(compoundOf.has(a)));
  return cells.flatMap((cell) =>
    rng.shuffle(
      [0, 1].flatMap((c) =>
        [0, 1, 2, 3].map((r): Slot => {
          const u0 = 0.12 + c * 0.42;
          const v0 = 0.1 + r * 0.21;
          return { cell, compound: compoundOf.get(cell) ?? null, u: [u0, u0 + 0.32], v: [v0, v0 + 0.09] };
        }),
      ),
    ),
  );
}

function slotPolygon(l: Lattice, slot: Slot): BuildingRow['geom'] {
  const [u0, u1] = slot.u;
  const [v0, v1] = slot.v;
  const ring = [
    cellPoint(l, slot.cell, u0, v0),
    cellPoint(l, slot.cell, u1, v0),
    cellPoint(l, slot.cell, u1, v1),
    cellPoint(l, slot.cell, u0, v1),
  ];
  return { type: 'Polygon', coordinates: [[...ring, ring[0] as number[]]] };
}

export function buildGridBuildings(
  l: Lattice,
  grid: GridPlan,
  compounds: CompoundPlan[],
  profile: GridProfile,
  nextCode: () => string,
  rng: Rng,
): GridBuildings {
  const free = slots(
    grid,
    compounds.filter((c) => c.gridCode === grid.code),
    rng,
  );
  const sizes = householdTarget(profile, rng, free.length);
  if (free.length < sizes.length) throw new Error(`grid ${grid.code} has no room for ${sizes.length} buildings`);
  const road = rng.pick(ROADS);
  const buildings = sizes.map((households, k): BuildingRow => {
    const slot = free[k] as Slot;
    const commercial = profile === 'office' || profile === 'market';
    let name: string;
    if (commercial && households === 0) name = profile === 'office' ? `${road}商务楼宇` : `${road}农贸市场`;
    else if (slot.compound) name = `${slot.compound.name}${k + 1}号楼`;
    else name = `${road}${rng.int(1, 299)}号院${k + 1}号楼`;
    const asPoint = !commercial && !slot.compound && rng.chance(0.25);
    const centre = cellPoint(l, slot.cell, (slot.u[0] + slot.u[1]) / 2, (slot.v[0] + slot.v[1]) / 2);
    return {
      code: nextCode(),
      name,
      community_code: grid.communityCode,
      compound_code: slot.compound?.code ?? null,
      households,
      units: commercial ? 1 : Math.max(1, Math.min(6, Math.round(households / rng.int(18, 30)))),
      geom: asPoint ? { type: 'Point', coordinates: centre.map(round7) } : slotPolygon(l, slot),
    };
  });
  const households = sizes.reduce((a, b) => a + b, 0);
  return {
    kind: KIND_OF_PROFILE[profile],
    households,
    population: Math.round(households * rng.float(2.6, 2.9)),
    buildings,
  };
}
