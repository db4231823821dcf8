/**
 * `npm run demo:city -- --grids 100000 [--seed 7] [--out data/city]`: a generated city at
 * scale, as many Anci-sized districts side by side (10 km apart), one JSON file per
 * district (the Dataset shape of data/demo/anci-district.json) plus index.json. Districts
 * are generated and written one at a time, so memory stays flat. data/city/ is gitignored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ANCI_OPTIONS, generateDistrict, type DistrictOptions } from './generator/index.ts';
import { NamePool } from './generator/names.ts';
import { createRng } from './generator/prng.ts';

const { values } = parseArgs({
  options: {
    grids: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20260' },
    out: { type: 'string', default: 'data/city' },
  },
});
const totalGrids = Number(values.grids);
const seed = Number(values.seed);
if (!Number.isInteger(totalGrids) || totalGrids < 10) throw new Error('--grids must be an integer ≥ 10');

const PER_DISTRICT = ANCI_OPTIONS.grids;
const districts = Math.ceil(totalGrids / PER_DISTRICT);
const perRow = Math.ceil(Math.sqrt(districts));
const SPACING_M = 10_000;
const origin: [number, number] = [116.0, 39.0];
const STREET_WORDS = ['建设', '新华', '和平', '文化', '育才', '光明', '胜利', '长安', '裕华', '永安', '朝阳', '东风'];

mkdirSync(values.out, { recursive: true });
const started = performance.now();
const index: { code: string; name: string; file: string; grids: number; counts: Record<string, number> }[] = [];
let written = 0;
for (let d = 0; d < districts; d++) {
  const grids = Math.min(PER_DISTRICT, totalGrids - d * PER_DISTRICT);
  const scale = grids / PER_DISTRICT;
  // County codes 13CC02…13CC99 (Hebei), avoiding 131002 (the demo district).
  const code = `13${String(1 + Math.floor(d / 98)).padStart(2, '0')}${String(2 + (d % 98)).padStart(2, '0')}`;
  const streetCount = Math.max(1, Math.round(5 * scale));
  const streetNames = new NamePool(STREET_WORDS, createRng(seed + d));
  const row = Math.floor(d / perRow);
  const col = d % perRow;
  const options: Partial<DistrictOptions> = {
    seed: seed * 1000 + d,
    code,
    name: `演示${d + 1}区`,
    centre: [
      Math.round((origin[0] + (col * SPACING_M) / (111_320 * Math.cos((origin[1] * Math.PI) / 180))) * 1e6) / 1e6,
      Math.round((origin[1] + (row * SPACING_M) / 111_000) * 1e6) / 1e6,
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
  const dataset = generateDistrict(options);
  const file = `${code}.json`;
  writeFileSync(join(values.out, file), JSON.stringify(dataset) + '\n');
  written += dataset.grids.length;
  index.push({
    code: dataset.meta.districtCode,
    name: dataset.meta.districtName,
    file,
    grids: dataset.grids.length,
    counts: dataset.meta.counts,
  });
  if ((d + 1) % 10 === 0 || d + 1 === districts) {
    const seconds = (performance.now() - started) / 1000;
    console.log(`[city] ${d + 1}/${districts} districts, ${written} grids, ${seconds.toFixed(1)} s`);
  }
}
writeFileSync(
  join(values.out, 'index.json'),
  JSON.stringify({ seed, grids: written, districts: index }, null, 1) + '\n',
);
console.log(
  `[city] wrote ${index.length} districts (${written} grids) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
