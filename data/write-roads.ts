/**
 * `npx tsx data/write-roads.ts` (after `npm run demo:write`): the demo district's street
 * network (data/generator/roads.ts) as data/demo/roads.geojson (committed), each line with
 * its class (arterial, secondary, local, service). data/load.ts loads it with the demo, so
 * the first map shows the streets and station reach walks along them.
 */
import { writeFileSync } from 'node:fs';
import { ANCI_OPTIONS } from './generator/index.ts';
import { generateDistrictRoads } from './generator/roads.ts';
import { DEMO_ROADS_FILE, readDemoDataset } from './load.ts';
import { buildRoadGraph, snapToRoad } from '../server/geo/road-network.ts';

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
