/**
 * The format readers (server/interop/formats/read-*.ts) on files made in the tests
 * (tests/helpers/interop-files.ts): coordinates as in the file and, once reprojected, within
 * 1 m of known places; Chinese text decoded exactly; hostile files refused with the right code.
 */
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import ExcelJS from 'exceljs';
import type { Point, Position } from 'geojson';
import { HttpError } from '../../server/http/errors.ts';
import { checkPlausible, reprojectGeometry, samplePositions, toWgs84 } from '../../server/geo/crs.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { readSource, formatFromName } from '../../server/interop/formats/read-source.ts';
import { checkEntryName } from '../../server/interop/formats/safe-unzip.ts';
import {
  encodeGbk,
  gbkShapefileZip,
  gcj02Csv,
  kml,
  kmlWithDoctype,
  shapefileZipWithoutPrj,
  zipBomb,
  zipWithSymlink,
  zipWithTraversal,
} from '../helpers/interop-files.ts';

const metres = (a: Position, b: Position) => geodesicDistanceM([a[0]!, a[1]!], [b[0]!, b[1]!]);
const bytes = (text: string) => strToU8(text);

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('expected a refusal');
}

describe('GeoJSON', () => {
  it('reads a FeatureCollection, a Feature and a bare geometry, with the legacy crs member as declaredCrs', async () => {
    const fc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4527' } },
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [39500000, 4379565.389] },
          properties: { 名称: '一号', households: 12 },
        },
        { type: 'Feature', geometry: null, properties: { code: 'x' } },
      ],
    };
    const parsed = await readSource(bytes('\uFEFF' + JSON.stringify(fc)), 'grids.geojson');
    expect(parsed.declaredCrs).toBe('EPSG:4527');
    expect(parsed.columns).toEqual(['名称', 'households', 'code']);
    expect(parsed.features[0]).toEqual({
      geometry: { type: 'Point', coordinates: [39500000, 4379565.389] },
      properties: { 名称: '一号', households: 12 },
    });
    expect(parsed.features[1]!.geometry).toBeNull();
    expect(
      (
        await readSource(
          bytes('{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":null}'),
          'a.json',
        )
      ).features,
    ).toHaveLength(1);
    expect((await readSource(bytes('{"type":"Point","coordinates":[1,2]}'), 'a.json')).declaredCrs).toBeUndefined();
  });

  it('refuses bad JSON, non-GeoJSON and non-finite or text coordinates, naming the feature', async () => {
    expect((await refusal(readSource(bytes('{"type":'), 'a.geojson'))).code).toBe('invalid_file');
    expect((await refusal(readSource(bytes('{"type":"Topology"}'), 'a.geojson'))).code).toBe('invalid_file');
    const bad = (coords: string) =>
      `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}},{"type":"Feature","geometry":{"type":"LineString","coordinates":${coords}},"properties":{}}]}`;
    for (const coords of ['[[1,2],[1,"3"]]', '[[1,2],[1,null]]', '[[1,2],[1e999,3]]', '[1,2]', '[[1]]']) {
      const error = await refusal(readSource(bytes(bad(coords)), 'a.geojson'));
      expect(error.code, coords).toBe('invalid_coordinates');
      expect(error.message).toContain('Feature 1');
    }
  });

  it('enforces the size, feature and vertex limits with 413s naming the limit', async () => {
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      features: Array.from({ length: 5 }, (_, i) => ({
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [i, 0],
            [i, 1],
            [i, 2],
          ],
        },
        properties: {},
      })),
    });
    for (const [limits, param] of [
      [{ maxBytes: 100 }, 'maxBytes'],
      [{ maxFeatures: 4 }, 'maxFeatures'],
      [{ maxVertices: 14 }, 'maxVertices'],
    ] as const) {
      const error = await refusal(readSource(bytes(fc), 'a.geojson', undefined, { limits }));
      expect(error.status).toBe(413);
      expect(error.code).toBe('too_large');
      expect(error.param).toBe(param);
    }
    expect(
      (await readSource(bytes(fc), 'a.geojson', undefined, { limits: { maxFeatures: 5, maxVertices: 15 } })).features,
    ).toHaveLength(5);
  });

  it('tells the format from the name', () => {
    expect(
      ['a.geojson', 'a.JSON', 'a.shp.zip', 'a.zip', 'a.kml', 'a.kmz', 'a.csv', 'a.xlsx'].map(formatFromName),
    ).toEqual(['geojson', 'geojson', 'shapefile', 'shapefile', 'kml', 'kml', 'csv', 'xlsx']);
    expect(() => formatFromName('a.dwg')).toThrow(HttpError);
  });
});

describe('Shapefile', () => {
  it('reads a GBK Shapefile with a Gauss–Krüger .prj: Chinese names exact, coordinates as in the file, within 1 m once reprojected', async () => {
    for (const zone of [39, 'cm117'] as const) {
      const { zip, places, crs } = await gbkShapefileZip({ zone, folder: '数据/网格' });
      const parsed = await readSource(zip, '网格.zip');
      expect(parsed.format).toBe('shapefile');
      expect(parsed.declaredCrs).toBe(crs);
      expect(parsed.encoding).toBe('gbk');
      expect(parsed.warnings).toEqual([]);
      expect(parsed.columns).toEqual(['name', 'code', 'households']);
      expect(parsed.features.map((f) => f.properties)).toEqual(
        places.map((p, i) => ({ name: p.name, code: p.code, households: 100 * (i + 1) })),
      );
      const toWgs = toWgs84(parsed.declaredCrs!);
      parsed.features.forEach((f, i) => {
        const xy = (f.geometry as Point).coordinates;
        expect(xy).toEqual([places[i]!.x, places[i]!.y]);
        expect(metres(toWgs(xy), [places[i]!.lon, places[i]!.lat])).toBeLessThan(1);
      });
      expect(() => checkPlausible(samplePositions(parsed.features.map((f) => f.geometry)), crs)).not.toThrow();
      expect(() => checkPlausible(samplePositions(parsed.features.map((f) => f.geometry)), 'EPSG:4326')).toThrow(
        /zone 39 \(EPSG:4527\)|EPSG:4534–4554/,
      );
    }
  });

  it('reads polygons with RFC 7946 ring orientation', async () => {
    const { zip, places } = await gbkShapefileZip({ geometry: 'polygon' });
    const parsed = await readSource(zip, 'grids.zip');
    const ring = (parsed.features[0]!.geometry as { coordinates: Position[][] }).coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(new Set(ring.map((p) => p.join()))).toEqual(
      new Set(
        [
          [0, 0],
          [0, 100],
          [100, 100],
          [100, 0],
        ].map(([dx, dy]) => [places[0]!.x + dx!, places[0]!.y + dy!].join()),
      ),
    );
    const area2 = ring.reduce((s, p, i) => {
      const q = ring[(i + 1) % ring.length]!;
      return s + p[0]! * q[1]! - q[0]! * p[1]!;
    }, 0);
    expect(area2 / 2).toBeCloseTo(10_000, 3); // counter-clockwise, 100 m × 100 m
    const wgs = reprojectGeometry(parsed.features[0]!.geometry!, toWgs84(parsed.declaredCrs!));
    expect(wgs.type).toBe('Polygon');
  });

  it('decodes by the override, else the .cpg, else the language byte, else UTF-8 → GB18030; wrong guesses are reported', async () => {
    const first = '新华道街道党群服务中心';
    const read = async (options: Parameters<typeof gbkShapefileZip>[0], encoding?: string) =>
      readSource((await gbkShapefileZip(options)).zip, 'a.zip', undefined, encoding ? { encoding } : {});
    const byLdid = await read({ cpg: false, ldid: 0x4d });
    expect([byLdid.encoding, byLdid.features[0]!.properties.name, byLdid.warnings]).toEqual(['gbk', first, []]);
    const ansi = await read({ cpg: false, ldid: 0x57 });
    expect(ansi.features[0]!.properties.name).toBe(first);
    expect(ansi.warnings.join(' ')).toMatch(/ANSI.*set encoding/);
    const none = await read({ cpg: false });
    expect([none.encoding, none.features[0]!.properties.name]).toEqual(['gb18030', first]);
    expect(none.warnings.join(' ')).toMatch(/not valid UTF-8/);
    const wrongCpg = await read({ cpg: 'UTF-8' });
    expect([wrongCpg.encoding, wrongCpg.features[0]!.properties.name]).toEqual(['gb18030', first]);
    expect(wrongCpg.warnings.join(' ')).toMatch(/\.cpg says UTF-8/);
    // The override beats the .cpg, even when it is wrong (then the names are garbled, as asked).
    const overridden = await read({ cpg: 'GBK' }, 'big5');
    expect(overridden.encoding).toBe('big5');
    expect(overridden.features[0]!.properties.name).not.toBe(first);
    const rightOverride = await read({ cpg: 'UTF-8' }, 'gbk');
    expect([rightOverride.encoding, rightOverride.features[0]!.properties.name, rightOverride.warnings]).toEqual([
      'gbk',
      first,
      [],
    ]);
    expect((await refusal(read({}, 'klingon'))).param).toBe('encoding');
  });

  it('without a .prj: warns that the system must be declared', async () => {
    const parsed = await readSource((await shapefileZipWithoutPrj()).zip, 'a.zip');
    expect(parsed.declaredCrs).toBeUndefined();
    expect(parsed.warnings).toContain('no .prj for "places": the coordinate system must be declared');
  });

  it('refuses unsafe archives with the right code', async () => {
    const cases: [Uint8Array, number, string, RegExp][] = [
      [await zipWithTraversal(), 400, 'unsafe_archive', /outside the archive/],
      [await zipWithTraversal('..\\..\\evil.txt'), 400, 'unsafe_archive', /outside the archive/],
      [await zipWithTraversal('/etc/cron.d/evil'), 400, 'unsafe_archive', /absolute path/],
      [await zipWithSymlink(), 400, 'unsafe_archive', /symbolic link/],
      [zipBomb({ megabytes: 4 }), 400, 'unsafe_archive', /expands more than 100 times/],
      [zipBomb({ megabytes: 4, lie: true }), 400, 'unsafe_archive', /declared size/],
      [zipBomb({ megabytes: 8 }), 413, 'too_large', /uncompressed size/],
      [bytes('not a zip at all'), 400, 'invalid_file', /not a zip/],
      [zipSync({ 'readme.txt': bytes('hi') }), 400, 'invalid_file', /no \.shp/],
    ];
    for (const [zip, status, code, message] of cases) {
      const error = await refusal(
        readSource(zip, 'a.zip', undefined, { limits: { maxUnzippedBytes: 5 * 1024 * 1024 } }),
      );
      expect([error.status, error.code], String(message)).toEqual([status, code]);
      expect(error.message).toMatch(message);
    }
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, bytes('x')])));
    expect((await refusal(readSource(many, 'a.zip', undefined, { limits: { maxEntries: 4 } }))).param).toBe(
      'maxEntries',
    );
  });

  it('checks entry names', () => {
    for (const name of ['../a.shp', 'a/../../b.shp', 'C:\\x.shp', '\\\\server\\x', 'a\0.shp'])
      expect(() => checkEntryName(name), name).toThrow(HttpError);
    for (const name of ['a.shp', '数据/网格/a.shp', 'a..b.shp']) expect(() => checkEntryName(name), name).not.toThrow();
  });
});

describe('CSV', () => {
  for (const encoding of ['utf-8', 'gbk'] as const) {
    it(`reads a GCJ-02 CSV (${encoding}) with 经度/纬度 columns: within 1 m of the WGS84 anchor once converted; rows without coordinates kept`, async () => {
      const { csv, expected } = gcj02Csv({ encoding });
      const parsed = await readSource(csv, '站点.csv');
      expect(parsed.columns).toEqual(['名称', '地址']);
      expect(parsed.features).toHaveLength(2);
      expect(parsed.features[0]!.properties).toEqual({ 名称: expected[0]!.name, 地址: '河北省唐山市滦南县友谊路1号' });
      const wgs = toWgs84('GCJ-02')((parsed.features[0]!.geometry as Point).coordinates);
      expect(metres(wgs, [expected[0]!.lon, expected[0]!.lat])).toBeLessThan(1);
      expect(parsed.features[1]).toEqual({ geometry: null, properties: { 名称: '没有坐标的服务站', 地址: '待定' } });
      if (encoding === 'gbk') expect(parsed.warnings.join(' ')).toMatch(/GB18030/);
      const overridden = await readSource(csv, '站点.csv', undefined, { encoding });
      expect([overridden.encoding, overridden.features[0]!.properties.名称, overridden.warnings]).toEqual([
        encoding,
        expected[0]!.name,
        [],
      ]);
    });
  }

  it('reads WKT/EWKT columns and named columns, and refuses text in a coordinate column', async () => {
    const wkt = await readSource(
      bytes(
        'name,wkt\n甲,"SRID=4527;POLYGON((39500000 4370000,39500100 4370000,39500100 4370100,39500000 4370000))"\n乙,\n',
      ),
      'a.csv',
    );
    expect(wkt.declaredCrs).toBe('EPSG:4527');
    expect(wkt.features[0]!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [39500000, 4370000],
          [39500100, 4370000],
          [39500100, 4370100],
          [39500000, 4370000],
        ],
      ],
    });
    expect(wkt.features[1]!.geometry).toBeNull();
    const named = await readSource(bytes('站名\tE\tN\n甲\t118.1\t39.6\n'), 'a.csv', undefined, {
      csv: { lon: 'E', lat: 'N' },
    });
    expect(named.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [118.1, 39.6] });
    expect((await refusal(readSource(bytes('name,lon,lat\n甲,118.1,北纬39\n'), 'a.csv'))).code).toBe(
      'invalid_coordinates',
    );
    expect((await refusal(readSource(bytes('name,lon\n甲,1\n'), 'a.csv'))).param).toBe('csv');
    expect(
      (await refusal(readSource(bytes('name\n甲\n'), 'a.csv', undefined, { csv: { wkt: 'geometry' } }))).message,
    ).toContain('no column "geometry"');
  });
});

describe('KML', () => {
  it('reads placemarks with Chinese names and ExtendedData, in WGS84, altitude dropped', async () => {
    const { kml: file, expected } = kml();
    const parsed = await readSource(file, '服务站.kml');
    expect(parsed.declaredCrs).toBe('EPSG:4326');
    expect(parsed.features.map((f) => f.properties.name)).toEqual(expected.map((e) => e.name));
    expect(parsed.features[0]!.geometry).toEqual({ type: 'Point', coordinates: expected[0]!.point });
    expect(parsed.features[0]!.properties).toEqual({ name: '友谊路服务站', code: 'ST-001', households: '321' });
    expect(parsed.features[1]!.geometry!.type).toBe('Polygon');
    const kmz = await readSource(zipSync({ 'doc.kml': file }), '服务站.kmz');
    expect(kmz.features).toEqual(parsed.features);
  });

  it('refuses a DOCTYPE/ENTITY before parsing (also inside a KMZ), and malformed XML', async () => {
    expect((await refusal(readSource(kmlWithDoctype(), 'a.kml'))).code).toBe('unsafe_xml');
    expect((await refusal(readSource(zipSync({ 'doc.kml': kmlWithDoctype() }), 'a.kmz'))).code).toBe('unsafe_xml');
    expect((await refusal(readSource(bytes('<kml><Placemark></kml>'), 'a.kml'))).code).toBe('invalid_file');
    expect((await refusal(readSource(bytes('<gpx></gpx>'), 'a.kml'))).code).toBe('invalid_file');
  });
});

describe('xlsx', () => {
  it('reads the first sheet as attribute rows: numbers stay numbers, codes stay text, formulas give their result', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('党组织台账');
    sheet.addRow(['组织名称', '编号', '党员数', '成立日期']);
    sheet.addRow(['龙泉社区第一党支部', '001', 23, new Date(Date.UTC(2021, 6, 1))]);
    sheet.addRow([]);
    sheet.addRow(['龙泉社区第二党支部', '002', { formula: '20+3', result: 23 }, null]);
    const parsed = await readSource(new Uint8Array(await workbook.xlsx.writeBuffer()), '台账.xlsx');
    expect(parsed.columns).toEqual(['组织名称', '编号', '党员数', '成立日期']);
    expect(parsed.features).toEqual([
      {
        geometry: null,
        properties: { 组织名称: '龙泉社区第一党支部', 编号: '001', 党员数: 23, 成立日期: '2021-07-01' },
      },
      { geometry: null, properties: { 组织名称: '龙泉社区第二党支部', 编号: '002', 党员数: 23, 成立日期: null } },
    ]);
  });

  it('refuses an .xlsx that is a bomb or carries a DOCTYPE', async () => {
    expect((await refusal(readSource(zipBomb({ megabytes: 4 }), 'a.xlsx'))).code).toBe('unsafe_archive');
    const doctype = zipSync({ '[Content_Types].xml': kmlWithDoctype() });
    expect((await refusal(readSource(doctype, 'a.xlsx'))).code).toBe('unsafe_xml');
  });
});

describe('encodeGbk (test helper)', () => {
  it('encodes what Node decodes back', () => {
    const text = '凤凰山公园服务站（北门）';
    expect(new TextDecoder('gbk').decode(encodeGbk(text))).toBe(text);
  });
});
