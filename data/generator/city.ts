/**
 * The districts of a generated city (`npm run demo:city`): as many Anci-sized districts as
 * the grid total needs, side by side 10 km apart. `cityDistrictOptions` gives one
 * district's options on its own, so a single district of a city can be generated (and a
 * failure reproduced) without generating the others.
 */
import { ANCI_OPTIONS, type DistrictOptions } from './district.ts';
import { NamePool } from './names.ts';
import { createRng } from './prng.ts';

const SPACING_M = 10_000;
const ORIGIN: [number, number] = [116.0, 39.0];
const STREET_WORDS = ['建设', '新华', '和平', '文化', '育才', '光明', '胜利', '长安', '裕华', '永安', '朝阳', '东风'];

/** How many districts a city of `totalGrids` grids has. */
export const cityDistrictCount = (totalGrids: number): number => Math.ceil(totalGrids / ANCI_OPTIONS.grids);

/** The options of district `d` (0-based) of a city of `totalGrids` grids generated with `seed`. */
export function cityDistrictOptions(seed: number, totalGrids: number, d: number): Partial<DistrictOptions> {
  const PER_DISTRICT = ANCI_OPTIONS.grids;
  const districts = cityDistrictCount(totalGrids);
  if (!Number.isInteger(d) || d < 0 || d >= districts) throw new Error(`no district ${d} in a city of ${districts}`);
  const perRow = Math.ceil(Math.sqrt(districts));
  const grids = Math.min(PER_DISTRICT, totalGrids - d * PER_DISTRICT);
  const scale = grids / PER_DISTRICT;
  // County codes 13CC02…13CC99 (Hebei), avoiding 131002 (the demo district).
  const code = `13${String(1 + Math.floor(d / 98)).padStart(2, '0')}${String(2 + (d % 98)).padStart(2, '0')}`;
  const streetCount = Math.max(1, Math.round(5 * scale));
  const streetNames = new NamePool(STREET_WORDS, createRng(seed + d));
  const row = Math.floor(d / perRow);
  const col = d % perRow;
  return {
    seed: seed * 1000 + d,
    code,
    name: `演示${d + 1}区`,
    centre: [
      Math.round((ORIGIN[0] + (col * SPACING_M) / (111_320 * Math.cos((ORIGIN[1] * Math.PI) / 180))) * 1e6) / 1e6,
      Math.round((ORIGIN[1] + (row * SPACING_M) / 111_000) * 1e6) / 1e6,
    ],
    nx: Math.max(8, Math.round(ANCI_OPTIONS.nx * Math.sqrt(scale))),
    ny: Math.max(6, Math.round(ANCI_OPTIONS.ny * Math.sqrt(scale))),
    areaKm2: ANCI_OPTIONS.areaKm2 * scale,
    streets: Array.from({ length: streetCount }, (_, s) => ({
      seq: String(s + 1).padStart(3, '0'),
      name: `${streetNames.next()}街道`,
    })),
    communities: Math.max(streetCount, Math.round(ANCI_OPTIONS.communities * scale)),
    grids,
    compounds: Math.max(1, Math.round(ANCI_OPTIONS.compounds * scale)),
    branches: Math.round(ANCI_OPTIONS.branches * scale),
    uncoveredGrids: scale < 1 ? 1 : ANCI_OPTIONS.uncoveredGrids,
    deliberateErrors: scale < 1 ? 1 : ANCI_OPTIONS.deliberateErrors,
    special: scale < 1 ? {} : ANCI_OPTIONS.special,
  };
}
