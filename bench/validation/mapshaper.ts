/**
 * The same job with mapshaper (`npx mapshaper`) on the city exported to GeoJSON:
 *   overlaps: `-mosaic calc='n=count(),codes=collect(code)' -filter 'n > 1'` (the flat
 *             mosaic's pieces covered by two or more grids, with the grids' codes);
 *   gaps:     `-erase target=communities source=grids` (what is left of each community
 *             once its grids are erased).
 * Timed: each mapshaper process, wall clock (start, GeoJSON parse, the command, output).
 * Not timed: reading its output back, measuring it with turf and finding which grids
 * border each gap (mapshaper does not report that; matched here by shared vertices).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { City } from './datasets.ts';
import type { FoundProblem } from './score.ts';

export type MapshaperJob = 'overlaps' | 'gaps';

function args(job: MapshaperJob, city: City, out: string): string[] {
  const grids = join(city.geojsonDir, 'grids.json');
  const communities = join(city.geojsonDir, 'communities.json');
  return job === 'overlaps'
    ? [
        'mapshaper',
        '-quiet',
        '-i',
        grids,
        '-mosaic',
        'calc=n=count(),codes=collect(code)',
        '-filter',
        'n > 1',
        '-o',
        out,
        'format=geojson',
      ]
    : [
        'mapshaper',
        '-quiet',
        '-i',
        'combine-files',
        communities,
        grids,
        '-erase',
        'target=communities',
        'source=grids',
        '-o',
        out,
        'format=geojson',
      ];
}

export function mapshaperCommand(job: MapshaperJob, city: City): string {
  return `npx ${args(job, city, `<out>.json`)
    .map((a) => (/[ '=>]/.test(a) ? `'${a}'` : a))
    .join(' ')}`;
}

/** One timed mapshaper run; rejects with 'timeout' after timeoutMs (the process is killed). */
export function runMapshaper(job: MapshaperJob, city: City, timeoutMs: number): Promise<{ ms: number; out: string }> {
  const dir = `var/bench-mapshaper-${city.grids}`;
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${job}.json`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npx', args(job, city, out), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      // npx starts mapshaper as its child: end the whole process group.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      reject(new Error('timeout'));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, out });
      else reject(new Error(`mapshaper ${job} exited ${code}: ${stderr.trim().slice(-500)}`));
    });
  });
}

/** `npx mapshaper -v`: the start-up that every mapshaper run above includes. */
export function mapshaperStartup(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npx', ['mapshaper', '-v'], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`exit ${code}`))));
  });
}

const key = (p: Position) => `${(p[0] as number).toFixed(7)},${(p[1] as number).toFixed(7)}`;

function perimeterM(feature: Feature<Polygon | MultiPolygon>): number {
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  let metres = 0;
  for (const polygon of polygons)
    for (const ring of polygon) metres += turf.length(turf.lineString(ring), { units: 'meters' });
  return metres;
}

/** Each polygon part of mapshaper's output as its own feature (a gap may come out as a MultiPolygon). */
function parts(collection: FeatureCollection<Polygon | MultiPolygon>): Feature<Polygon>[] {
  return collection.features.flatMap((f) =>
    f.geometry === null
      ? []
      : f.geometry.type === 'Polygon'
        ? [f as Feature<Polygon>]
        : f.geometry.coordinates.map((coordinates) => ({ ...f, geometry: { type: 'Polygon' as const, coordinates } })),
  );
}

export function readOverlaps(out: string): FoundProblem[] {
  const collection = JSON.parse(readFileSync(out, 'utf8')) as FeatureCollection<
    Polygon | MultiPolygon,
    { codes: string[] }
  >;
  return parts(collection).map((f) => ({
    kind: 'overlap',
    grids: [...new Set((f.properties as { codes: string[] }).codes)].sort(),
    areaM2: turf.area(f),
    perimeterM: perimeterM(f),
  }));
}

/** Vertex → codes of the grids that have it, to tell which grids border a gap. */
export function vertexIndex(city: City): Map<string, string[]> {
  const grids = JSON.parse(readFileSync(join(city.geojsonDir, 'grids.json'), 'utf8')) as FeatureCollection<
    MultiPolygon,
    { code: string }
  >;
  const index = new Map<string, string[]>();
  for (const f of grids.features) {
    for (const polygon of f.geometry.coordinates) {
      for (const ring of polygon) {
        for (const p of ring) {
          const k = key(p);
          const codes = index.get(k);
          if (!codes) index.set(k, [f.properties.code]);
          else if (!codes.includes(f.properties.code)) codes.push(f.properties.code);
        }
      }
    }
  }
  return index;
}

export function readGaps(out: string, vertices: Map<string, string[]>): FoundProblem[] {
  const collection = JSON.parse(readFileSync(out, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  return parts(collection).map((f) => {
    const grids = new Set<string>();
    for (const ring of f.geometry.coordinates)
      for (const p of ring) for (const code of vertices.get(key(p)) ?? []) grids.add(code);
    return { kind: 'gap', grids: [...grids].sort(), areaM2: turf.area(f), perimeterM: perimeterM(f) };
  });
}
