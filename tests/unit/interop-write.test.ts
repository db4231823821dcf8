/**
 * The writers (server/interop/formats/write-*.ts), each read back with our own readers: the
 * round trip is exact to the rounding (7 decimals of a degree, 3 of a metre), the .prj parses
 * back to the system asked, the .cpg says UTF-8, the xlsx ledger has its headers and types.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import ExcelJS from 'exceljs';
import type { Feature, Geometry, Position } from 'geojson';
import { crsFromPrj, fromWgs84, reprojectGeometry, toWgs84 } from '../../server/geo/crs.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { readSource } from '../../server/interop/formats/read-source.ts';
import { writeOutput } from '../../server/interop/formats/write-output.ts';
import { shortFieldNames } from '../../server/interop/formats/write-shapefile.ts';
import { asHttpError, HttpError } from '../../server/http/errors.ts';

/** Stations and grids near Tangshan, with more decimals than any output keeps. */
const FEATURES: Feature[] = [
  {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [118.180123456, 39.630711111] },
    properties: {
      code: 'ST-001',
      name: '友谊路党群服务站',
      community_code: '130203001001',
      households: 321,
      phone_public: true,
      services: ['党建', '医疗'],
    },
  },
  {
    type: 'Feature',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [118.18, 39.63],
          [118.181, 39.63],
          [118.181, 39.631],
          [118.18, 39.631],
          [118.18, 39.63],
        ],
      ],
    },
    properties: {
      code: 'G-001',
      name: '龙泉社区第一网格',
      community_code: '130203001002',
      households: 1234.5,
      phone_public: false,
      services: [],
    },
  },
  {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [118.2, 39.7] },
    properties: {
      code: 'ST-002',
      name: '凤凰山服务站（北门）',
      community_code: null,
      households: null,
      phone_public: null,
      services: ['文体'],
    },
  },
];

const round = (decimals: number) => (v: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;
/** What a writer should produce for `g` in `crs`: reprojected, then rounded. */
const expectedGeometry = (g: Geometry, crs: string, decimals: number) =>
  reprojectGeometry(g, (p) => fromWgs84(crs)(p).map(round(decimals)));

function positions(g: Geometry): Position[] {
  if (g.type === 'Point') return [g.coordinates];
  if (g.type === 'Polygon') return g.coordinates.flat();
  throw new Error(g.type);
}

describe('GeoJSON', () => {
  it('WGS84 rounded to 7 decimals, no crs member; properties as they were', async () => {
    const out = await writeOutput(FEATURES, 'geojson', { name: '站点' });
    expect([out.filename, out.contentType]).toEqual(['站点.geojson', 'application/geo+json']);
    const doc = JSON.parse(new TextDecoder().decode(out.body));
    expect(doc.crs).toBeUndefined();
    const back = await readSource(out.body, out.filename);
    back.features.forEach((f, i) => {
      expect(f.geometry).toEqual(expectedGeometry(FEATURES[i]!.geometry, 'EPSG:4326', 7));
      expect(f.properties).toEqual(FEATURES[i]!.properties);
    });
    expect((back.features[0]!.geometry as { coordinates: number[] }).coordinates).toEqual([118.1801235, 39.6307111]);
  });

  it('Gauss–Krüger metres to 1 mm, the crs member only when asked, and back to WGS84 within 1 cm', async () => {
    const plain = await writeOutput(FEATURES, 'geojson', { name: 'g', crs: 'EPSG:4527' });
    expect(JSON.parse(new TextDecoder().decode(plain.body)).crs).toBeUndefined();
    const out = await writeOutput(FEATURES, 'geojson', { name: 'g', crs: 'EPSG:4527', geojsonCrsMember: true });
    const back = await readSource(out.body, out.filename);
    expect(back.declaredCrs).toBe('EPSG:4527');
    back.features.forEach((f, i) => {
      expect(f.geometry).toEqual(expectedGeometry(FEATURES[i]!.geometry, 'EPSG:4527', 3));
      const original = positions(FEATURES[i]!.geometry);
      positions(f.geometry!).forEach((p, j) =>
        expect(
          geodesicDistanceM(toWgs84('EPSG:4527')(p) as [number, number], original[j] as [number, number]),
        ).toBeLessThan(0.01),
      );
    });
  });
});

describe('Shapefile', () => {
  for (const crs of ['EPSG:4326', 'EPSG:4527', 'EPSG:4548']) {
    it(`zips one Shapefile per geometry type with a .prj that reads back as ${crs} and a UTF-8 .cpg; round trip exact to the rounding`, async () => {
      const out = await writeOutput(FEATURES, 'shapefile', { name: '网格', crs });
      expect([out.filename, out.contentType]).toEqual(['网格.zip', 'application/zip']);
      const files = unzipSync(out.body);
      expect(Object.keys(files).sort()).toEqual(
        ['points', 'polygons'].flatMap((t) => ['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `网格_${t}.${e}`)).sort(),
      );
      expect(new TextDecoder().decode(files['网格_points.cpg'])).toBe('UTF-8');
      expect(crsFromPrj(new TextDecoder().decode(files['网格_polygons.prj']))).toBe(crs);
      const back = await readSource(out.body, out.filename);
      expect(back.declaredCrs).toBe(crs);
      expect(back.encoding).toBe('utf-8');
      expect(back.columns).toEqual(['code', 'name', 'comm_code', 'households', 'phone_pub', 'services']);
      const decimals = crs === 'EPSG:4326' ? 7 : 3;
      const byCode = new Map(back.features.map((f) => [f.properties.code, f]));
      for (const original of FEATURES) {
        const f = byCode.get(original.properties!.code)!;
        expect(f.geometry).toEqual(expectedGeometry(original.geometry, crs, decimals));
        const p = original.properties!;
        expect(f.properties).toEqual({
          code: p.code,
          name: p.name,
          comm_code: p.community_code,
          households: p.households,
          phone_pub: p.phone_public,
          services: p.services.length ? p.services.join('、') : null,
        });
      }
    });
  }

  it('short field names are deterministic, ≤ 10 bytes and unique', () => {
    const names = shortFieldNames(
      ['community_code', 'name', 'opening_hours', 'very_long_field_a', 'very_long_field_b', '社区网格编码名称', 'Name'],
      { name: 'name' },
    );
    expect([...names.values()]).toEqual(['comm_code', 'name', 'hours', 'very_long_', 'very_lon~1', '社区网', 'Name~1']);
    for (const n of names.values()) expect(new TextEncoder().encode(n).length).toBeLessThanOrEqual(10);
  });

  it('refuses a geometry a Shapefile cannot hold', async () => {
    const collection: Feature = {
      type: 'Feature',
      geometry: { type: 'GeometryCollection', geometries: [] },
      properties: {},
    };
    await expect(writeOutput([collection], 'shapefile', { name: 'x' })).rejects.toBeInstanceOf(HttpError);
  });
});

describe('KML', () => {
  it('is always WGS84 (7 decimals); names and attributes come back as text', async () => {
    const out = await writeOutput(FEATURES, 'kml', { name: '站点', crs: 'EPSG:4527' });
    const back = await readSource(out.body, out.filename);
    expect(back.declaredCrs).toBe('EPSG:4326');
    back.features.forEach((f, i) => {
      expect(f.geometry).toEqual(expectedGeometry(FEATURES[i]!.geometry, 'EPSG:4326', 7));
      const p = FEATURES[i]!.properties!;
      expect(f.properties.name).toBe(p.name);
      expect(f.properties.households ?? null).toBe(p.households === null ? null : String(p.households));
    });
  });
});

describe('CSV', () => {
  it('UTF-8 with a BOM; points as lon/lat, other geometry as WKT; round trip exact to the rounding', async () => {
    const points = FEATURES.filter((f) => f.geometry.type === 'Point');
    const out = await writeOutput(points, 'csv', {
      name: '站点',
      columns: [
        { key: 'code', header: '编号' },
        { key: 'name', header: '名称' },
        { key: 'services', header: '服务内容' },
      ],
    });
    expect([...out.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(out.body);
    expect(text.split('\r\n')[0]).toBe('编号,名称,服务内容,lon,lat'); // TextDecoder drops the BOM checked above
    const back = await readSource(out.body, out.filename);
    expect(back.columns).toEqual(['编号', '名称', '服务内容']);
    back.features.forEach((f, i) => {
      expect(f.geometry).toEqual(expectedGeometry(points[i]!.geometry, 'EPSG:4326', 7));
      expect(f.properties).toEqual({
        编号: points[i]!.properties!.code,
        名称: points[i]!.properties!.name,
        服务内容: points[i]!.properties!.services.join('、'),
      });
    });

    const mixed = await writeOutput(FEATURES, 'csv', { name: 'm', crs: 'EPSG:4548' });
    expect(new TextDecoder().decode(mixed.body).split('\r\n')[0]).toMatch(/,wkt$/);
    const mixedBack = await readSource(mixed.body, mixed.filename);
    mixedBack.features.forEach((f, i) =>
      expect(f.geometry).toEqual(expectedGeometry(FEATURES[i]!.geometry, 'EPSG:4548', 3)),
    );
  });
});

describe('xlsx ledger (台账)', () => {
  it('has the Chinese headers in a bold frozen row with an autofilter, numbers as numbers, 是/否', async () => {
    const columns = [
      { key: 'code', header: '编号' },
      { key: 'name', header: '名称' },
      { key: 'households', header: '户数', type: 'number' as const },
      { key: 'phone_public', header: '电话公开', type: 'boolean' as const },
      { key: 'services', header: '服务内容' },
    ];
    const out = await writeOutput(FEATURES, 'xlsx', { name: '站点台账', title: '服务站点台账', columns });
    expect(out.filename).toBe('站点台账.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(out.body) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('服务站点台账');
    expect(sheet.getRow(1).values).toEqual([undefined, '编号', '名称', '户数', '电话公开', '服务内容']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getRow(2).getCell(3).value).toBe(321);
    expect(sheet.getRow(3).getCell(3).value).toBe(1234.5);
    expect(sheet.getRow(2).getCell(4).value).toBe('是');
    const back = await readSource(out.body, out.filename);
    expect(back.columns).toEqual(columns.map((c) => c.header));
    expect(back.features.map((f) => f.properties)).toEqual(
      FEATURES.map((f) => {
        const p = f.properties!;
        return {
          编号: p.code,
          名称: p.name,
          户数: p.households,
          电话公开: p.phone_public === null ? null : p.phone_public ? '是' : '否',
          服务内容: p.services.join('、') || null,
        };
      }),
    );
  });
});

describe('writeOutput', () => {
  it('refuses an unknown system or format with a 400', async () => {
    // The system is refused by geometry (a CrsError), answered by the HTTP layer.
    await expect(
      writeOutput(FEATURES, 'geojson', { name: 'x', crs: 'EPSG:3857' }).catch(asHttpError),
    ).resolves.toMatchObject({ status: 400, param: 'crs' });
    await expect(writeOutput(FEATURES, 'dwg' as never, { name: 'x' })).rejects.toMatchObject({
      status: 400,
      param: 'format',
    });
  });
});
