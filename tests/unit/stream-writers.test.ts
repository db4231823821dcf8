/**
 * The streamed GeoJSON and CSV writers (issue 20) give byte for byte what the whole-file
 * writers give for the same features, however the rows are cut into batches (empty batches,
 * one row, a CRS other than WGS84, points, polygons, no geometry, no rows). The cursor of the
 * OGC items route round-trips any key.
 */
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { streamGeoJson, writeGeoJson } from '../../server/interop/formats/write-geojson.ts';
import { streamCsv, writeCsv } from '../../server/interop/formats/write-csv.ts';
import type { WriteOptions } from '../../server/interop/formats/types.ts';
import { decodeCursor, encodeCursor } from '../../server/ogc/ogc.cursor.ts';

const square = (x: number): Feature => ({
  type: 'Feature',
  properties: { code: `G${x}`, name: `网格 "${x}", 一`, households: x, services: ['a', 'b'] },
  geometry: {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [116 + x / 1000, 39.5],
          [116.0005 + x / 1000, 39.5],
          [116.0005 + x / 1000, 39.5005],
          [116 + x / 1000, 39.5],
        ],
      ],
    ],
  },
});
const point = (x: number): Feature => ({
  type: 'Feature',
  properties: { code: `S${x}`, phone: null },
  geometry: { type: 'Point', coordinates: [116.1 + x / 1e4, 39.6] },
});
const bare = (x: number): Feature =>
  ({ type: 'Feature', properties: { code: `P${x}`, members: x }, geometry: null }) as unknown as Feature;

async function* batchesOf(features: Feature[], cuts: number[]): AsyncGenerator<Feature[]> {
  let at = 0;
  for (const cut of [...cuts, features.length]) {
    yield features.slice(at, Math.max(at, cut));
    at = Math.max(at, cut);
  }
}
const joined = async (chunks: AsyncGenerator<string>) => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};
const kinds = (features: Feature[]) => ({
  any: features.some((f) => f.geometry),
  pointsOnly: features.every((f) => !f.geometry || f.geometry.type === 'Point'),
});

describe('streamed writers equal the whole-file writers', () => {
  const layers = {
    polygons: Array.from({ length: 25 }, (_, i) => square(i)),
    points: Array.from({ length: 9 }, (_, i) => point(i)),
    bare: Array.from({ length: 4 }, (_, i) => bare(i)),
    empty: [] as Feature[],
  };
  const optionSets: WriteOptions[] = [
    { name: 'x' },
    { name: 'x', crs: 'EPSG:4527' },
    { name: 'x', crs: 'EPSG:4527', geojsonCrsMember: true },
  ];
  for (const [name, features] of Object.entries(layers)) {
    for (const options of optionSets) {
      for (const cuts of [[], [0, 0, 1], [3, 10, 10, 24]]) {
        it(`${name} ${options.crs ?? 'WGS84'}${options.geojsonCrsMember ? ' +crs' : ''} cut at ${cuts.join(',') || 'nothing'}`, async () => {
          const geojson = await joined(streamGeoJson(batchesOf(features, cuts), options));
          expect(geojson).toBe(new TextDecoder().decode(writeGeoJson(features, options)));
          JSON.parse(geojson);
          const csv = await joined(streamCsv(batchesOf(features, cuts), options, kinds(features)));
          expect(csv).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(writeCsv(features, options)));
        });
      }
    }
  }
});

describe('the items cursor', () => {
  it('round-trips any key, in both directions', () => {
    for (const key of ['', 'A', 'A ', '站点１', 'e\u0301', '"\\\n', '131002003001001', 'x'.repeat(500)]) {
      for (const direction of ['after', 'before'] as const) {
        const text = encodeCursor({ direction, key });
        expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(text)).toEqual({ direction, key });
      }
    }
    expect(decodeCursor(undefined)).toBeUndefined();
    for (const bad of ['', '!!', 'AAAA', ['a', 'b']]) expect(() => decodeCursor(bad)).toThrow(/cursor/);
  });
});
