/** `npm run demo:write`: regenerate data/demo/anci-district.json (committed). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDistrict } from './generator/index.ts';

const DEMO_FILE = fileURLToPath(new URL('./demo/anci-district.json', import.meta.url));

const started = performance.now();
const dataset = generateDistrict();
const generated = performance.now();
mkdirSync(fileURLToPath(new URL('./demo/', import.meta.url)), { recursive: true });
const json = JSON.stringify(dataset);
writeFileSync(DEMO_FILE, json + '\n');
console.log(
  `wrote ${DEMO_FILE} (${(json.length / 1e6).toFixed(2)} MB) in ${Math.round(performance.now() - started)} ms ` +
    `(generate ${Math.round(generated - started)} ms)`,
);
console.log(dataset.meta.counts);
