/**
 * `npx tsx data/write-roads.ts`: the demo district's street network (data/generator/roads.ts)
 * as data/demo/roads.geojson (committed). Not loaded with the demo: load it on demand with
 *   npm run roads:load -- data/demo/roads.geojson --region 131002000000
 * and station reach switches from straight line to walking distance along these streets.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANCI_OPTIONS } from './generator/index.ts';
import { generateDistrictRoads } from './generator/roads.ts';
import { readDemoDataset } from './load.ts';
import { buildRoadGraph, snapToRoad } from '../server/geo/road-network.ts';

export const DEMO_ROADS_FILE = fileURLToPath(new URL('./demo/roads.geojson', import.meta.url));

const dataset = readDemoDataset();
const roads = generateDistrictRoads(ANCI_OPTIONS, dataset);
const json = JSON.stringify(roads);
writeFileSync(DEMO_ROADS_FILE, json + '\n');
const graph = buildRoadGraph(roads.features.map((f) => f.geometry.coordinates as [number, number][]));
const points = dataset.buildings.map(
  (b) => (b.geom.type === 'Point' ? b.geom.coordinates : b.geom.coordinates[0]![0]!) as [number, number],
);
const onNetwork = points.filter((p) => snapToRoad(graph, p[0], p[1])).length;
const kinds = new Map<string, number>();
for (const f of roads.features) kinds.set(f.properties.kind, (kinds.get(f.properties.kind) ?? 0) + 1);
console.log(
  `wrote ${DEMO_ROADS_FILE} (${(json.length / 1e6).toFixed(2)} MB): ${roads.features.length} lines ` +
    `(${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${(graph.lengthM / 1000).toFixed(1)} km, ` +
    `${graph.nodeLon.length} nodes; ${onNetwork}/${points.length} buildings within ${graph.accessCapM} m of a way`,
);
