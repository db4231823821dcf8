/**
 * `npm run demo:city -- --grids 100000 [--seed 7] [--out data/city]`: a generated city at
 * scale, as many Anci-sized districts side by side (10 km apart; generator/city.ts gives
 * each district's options), one JSON file per district (the Dataset shape of
 * data/demo/anci-district.json) plus index.json. Districts are generated and written one at
 * a time, so memory stays flat. data/city/ is gitignored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cityDistrictCount, cityDistrictOptions } from './generator/city.ts';
import { generateDistrict } from './generator/index.ts';

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

const districts = cityDistrictCount(totalGrids);

mkdirSync(values.out, { recursive: true });
const started = performance.now();
const index: { code: string; name: string; file: string; grids: number; counts: Record<string, number> }[] = [];
let written = 0;
for (let d = 0; d < districts; d++) {
  const options = cityDistrictOptions(seed, totalGrids, d);
  const dataset = generateDistrict(options);
  const file = `${options.code}.json`;
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
