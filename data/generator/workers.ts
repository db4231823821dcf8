/**
 * 网格员, 楼长 and 单元长: one full-time worker per grid, part-timers on some grids, building
 * heads on many buildings and unit heads on some. Phones are synthetic; only a share of the
 * full-time workers' numbers is published (phone_public).
 */
import { mobilePhone, personName } from './names.ts';
import type { Rng } from './prng.ts';
import type { BuildingRow, GridWorkerRow } from './types.ts';

export interface WorkerShares {
  partTime: number;
  buildingHead: number;
  unitHead: number;
  publicPhone: number;
}

export const DEFAULT_WORKER_SHARES: WorkerShares = {
  partTime: 0.4,
  buildingHead: 0.45,
  unitHead: 0.2,
  publicPhone: 0.3,
};

export function buildWorkers(
  gridBuildings: readonly { gridCode: string; buildings: readonly BuildingRow[] }[],
  shares: WorkerShares,
  rng: Rng,
): GridWorkerRow[] {
  const workers: GridWorkerRow[] = [];
  const person = (role: GridWorkerRow['role'], grid_code: string, building_code: string | null, phone_public = false) =>
    workers.push({ name: personName(rng), phone: mobilePhone(rng), phone_public, role, grid_code, building_code });
  for (const { gridCode, buildings } of gridBuildings) {
    person('full_time', gridCode, null, rng.chance(shares.publicPhone));
    if (rng.chance(shares.partTime)) person('part_time', gridCode, null);
    for (const building of buildings) {
      if (building.households === 0) continue;
      if (rng.chance(shares.buildingHead)) person('building_head', gridCode, building.code);
      if (building.units > 1 && rng.chance(shares.unitHead)) person('unit_head', gridCode, building.code);
    }
  }
  return workers;
}
