/**
 * Coordinate systems (server/geo/crs.ts) against references that do not use proj4 or gcoord:
 * - Gauss–Krüger on the central meridian: easting exactly 500000 (+ zone prefix), northing =
 *   the GRS80 meridian arc from GeographicLib; off the meridian, planar distance / TM scale
 *   factor = GeographicLib's geodesic distance; PROJ 9 (GDAL 3.6 gdaltransform) values.
 * - GCJ-02 / BD-09: DESIGN.md's measured pair.
 * - .prj files written by GDAL 3.6.2 `gdalsrsinfo` (tests/fixtures/prj/), ESRI, OGC WKT1, WKT2.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { asHttpError, type HttpError } from '../../server/http/errors.ts';
import {
  checkPlausible,
  CrsError,
  crsFromPrj,
  fromWgs84,
  gaussKruger,
  parseCrsName,
  prjOf,
  readPrj,
  reprojectGeometry,
  samplePositions,
  toWgs84,
} from '../../server/geo/crs.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';
import { GCJ02_ANCHOR, GRS80, meridianArc } from '../helpers/interop-files.ts';

const PRJ_DIR = new URL('../fixtures/prj/', import.meta.url);
const prj = (name: string) => readFileSync(new URL(name, PRJ_DIR), 'utf8');
const metres = (a: Position, b: Position) => geodesicDistanceM([a[0]!, a[1]!], [b[0]!, b[1]!]);
const geodesicM = (a: Position, b: Position) => GRS80.Inverse(a[1]!, a[0]!, b[1]!, b[0]!).s12!;

/** The refusal as the client sees it: geometry throws a CrsError, the HTTP layer answers it. */
function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CrsError);
    return asHttpError(error)!;
  }
  throw new Error('expected a refusal');
}

describe('parseCrsName', () => {
  it('accepts the names offices and files use, canonically', () => {
    const cases: [string, string][] = [
      ['EPSG:4326', 'EPSG:4326'],
      ['4326', 'EPSG:4326'],
      ['wgs84', 'EPSG:4326'],
      ['WGS 84', 'EPSG:4326'],
      ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
      ['cgcs2000', 'EPSG:4490'],
      ['EPSG:4490', 'EPSG:4490'],
      ['urn:ogc:def:crs:EPSG::4490', 'EPSG:4490'],
      ['EPSG:4513', 'EPSG:4513'],
      ['epsg:4527', 'EPSG:4527'],
      ['4554', 'EPSG:4554'],
      ['gcj02', 'GCJ-02'],
      ['GCJ-02', 'GCJ-02'],
      ['bd09', 'BD-09'],
      ['BD-09', 'BD-09'],
    ];
    for (const [text, name] of cases) expect(parseCrsName(text), text).toBe(name);
  });

  it('refuses anything else with a 400 on crs that lists what is accepted', () => {
    for (const text of ['EPSG:3857', 'EPSG:4512', 'EPSG:4555', 'beijing54', '']) {
      const error = refusal(() => parseCrsName(text));
      expect(error.status).toBe(400);
      expect(error.param).toBe('crs');
      expect(error.message).toContain('EPSG:4513–4533');
      expect(error.message).toContain('GCJ-02');
    }
  });

  it('knows every 3-degree zone: 4513 = zone 25 (75°E) … 4533 = zone 45, 4534 = CM 75°E … 4554 = CM 135°E', () => {
    expect(gaussKruger(4513)).toMatchObject({
      zone: 25,
      centralMeridian: 75,
      prefixed: true,
      falseEasting: 25_500_000,
    });
    expect(gaussKruger(4527)).toMatchObject({
      zone: 39,
      centralMeridian: 117,
      prefixed: true,
      falseEasting: 39_500_000,
    });
    expect(gaussKruger(4533)).toMatchObject({ zone: 45, centralMeridian: 135, prefixed: true });
    expect(gaussKruger(4534)).toMatchObject({ centralMeridian: 75, prefixed: false, falseEasting: 500_000 });
    expect(gaussKruger(4548)).toMatchObject({ centralMeridian: 117, prefixed: false });
    expect(gaussKruger(4554)).toMatchObject({ centralMeridian: 135, prefixed: false });
    expect(gaussKruger(4512)).toBeUndefined();
    expect(gaussKruger(4555)).toBeUndefined();
  });
});

describe('Gauss–Krüger', () => {
  it('on the central meridian: easting 500000 (+ prefix), northing = GRS80 meridian arc (GeographicLib), both ways within 1 mm', () => {
    for (const [crs, cm, prefix] of [
      ['EPSG:4527', 117, 39e6],
      ['EPSG:4548', 117, 0],
      ['EPSG:4513', 75, 25e6],
      ['EPSG:4554', 135, 0],
    ] as const) {
      for (const lat of [18.2, 30, 39.5, 53.4]) {
        const [x, y] = fromWgs84(crs)([cm, lat]);
        expect(Math.abs(x! - (prefix + 500000)), `${crs} ${lat} easting`).toBeLessThan(0.001);
        expect(Math.abs(y! - meridianArc(lat)), `${crs} ${lat} northing`).toBeLessThan(0.001);
        const back = toWgs84(crs)([prefix + 500000, meridianArc(lat)]);
        expect(metres(back, [cm, lat])).toBeLessThan(0.001);
      }
    }
  });

  it('off the meridian: planar distance / scale factor = geodesic distance within 1 m (5 km and 200 km lines, zone 39)', () => {
    const R = (lat: number) => {
      const e2 = 0.0066943800229; // GRS80
      const s = Math.sin((lat * Math.PI) / 180) ** 2;
      return (6378137 * Math.sqrt(1 - e2)) / (1 - e2 * s); // √(ρν)
    };
    const k = (easting: number, lat: number) => {
      const e = (easting - 39_500_000) / R(lat);
      return 1 + e ** 2 / 2 + e ** 4 / 24;
    };
    for (const [a, b] of [
      [
        [118.4, 39.5],
        [118.45, 39.53],
      ],
      [
        [116.0, 39.2],
        [118.3, 39.9],
      ],
    ] as Position[][]) {
      const pa = fromWgs84('EPSG:4527')(a!);
      const pb = fromWgs84('EPSG:4527')(b!);
      const planar = Math.hypot(pb[0]! - pa[0]!, pb[1]! - pa[1]!);
      const mid = (pa[0]! + pb[0]!) / 2;
      const lat = (a![1]! + b![1]!) / 2;
      const scale = (k(pa[0]!, lat) + 4 * k(mid, lat) + k(pb[0]!, lat)) / 6; // Simpson's rule along the line
      expect(Math.abs(planar / scale - geodesicM(a!, b!))).toBeLessThan(1);
    }
  });

  it('matches PROJ 9 (gdaltransform) to 1 mm and round-trips to < 1 mm', () => {
    const proj: [Position, Position][] = [
      [
        [118.4, 39.5],
        [39620421.1008312, 4374950.02808488],
      ],
      [
        [116.0, 39.2],
        [39413617.1055068, 4341183.93409134],
      ],
      [
        [118.3, 39.9],
        [39611175.4921962, 4419234.76493248],
      ],
    ];
    for (const [lonlat, xy] of proj) {
      const p = fromWgs84('EPSG:4527')(lonlat);
      expect(Math.hypot(p[0]! - xy[0]!, p[1]! - xy[1]!)).toBeLessThan(0.001);
      expect(metres(toWgs84('EPSG:4527')(p), lonlat)).toBeLessThan(0.001);
      const noPrefix = fromWgs84('EPSG:4548')(lonlat);
      expect(Math.abs(noPrefix[0]! + 39e6 - p[0]!)).toBeLessThan(0.001);
    }
  });
});

describe('GCJ-02 and BD-09', () => {
  it('DESIGN.md: WGS84 (116.69, 39.50) ↔ GCJ-02 (116.69593, 39.50110) ↔ BD-09 (116.70256, 39.50676) within 1 m', () => {
    const { wgs84, gcj02, bd09 } = GCJ02_ANCHOR;
    expect(metres(fromWgs84('GCJ-02')([...wgs84]), [...gcj02])).toBeLessThan(1);
    expect(metres(fromWgs84('BD-09')([...wgs84]), [...bd09])).toBeLessThan(1);
    expect(metres(toWgs84('GCJ-02')([...gcj02]), [...wgs84])).toBeLessThan(1);
    expect(metres(toWgs84('BD-09')([...bd09]), [...wgs84])).toBeLessThan(1);
    // The offset is real: undeclared, the point would be hundreds of metres off.
    expect(metres([...gcj02], [...wgs84])).toBeGreaterThan(400);
  });

  it('CGCS2000 geographic is WGS84 here (identity)', () => {
    expect(toWgs84('EPSG:4490')([117.123, 39.456])).toEqual([117.123, 39.456]);
  });
});

describe('reprojectGeometry', () => {
  it('keeps the structure of every geometry type and transforms each position', () => {
    const shift = (p: Position) => [p[0]! + 1, p[1]! + 2];
    const square = [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ];
    expect(reprojectGeometry({ type: 'Point', coordinates: [1, 1] }, shift)).toEqual({
      type: 'Point',
      coordinates: [2, 3],
    });
    expect(reprojectGeometry({ type: 'MultiPolygon', coordinates: [square] }, shift)).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [1, 2],
            [2, 2],
            [2, 3],
            [1, 2],
          ],
        ],
      ],
    });
    expect(
      reprojectGeometry(
        {
          type: 'GeometryCollection',
          geometries: [
            {
              type: 'LineString',
              coordinates: [
                [0, 0],
                [1, 1],
              ],
            },
          ],
        },
        shift,
      ),
    ).toEqual({
      type: 'GeometryCollection',
      geometries: [
        {
          type: 'LineString',
          coordinates: [
            [1, 2],
            [2, 3],
          ],
        },
      ],
    });
  });
});

describe('.prj', () => {
  it('reads GDAL-written ESRI, OGC WKT1 and WKT2 files by their parameters', () => {
    const expected: Record<string, string> = {
      'esri-4326.prj': 'EPSG:4326',
      'ogc-4326.prj': 'EPSG:4326',
      'esri-4490.prj': 'EPSG:4490',
      'ogc-4490.prj': 'EPSG:4490',
      'esri-4513.prj': 'EPSG:4513',
      'ogc-4513.prj': 'EPSG:4513',
      'esri-4527.prj': 'EPSG:4527',
      'ogc-4527.prj': 'EPSG:4527',
      'esri-4548.prj': 'EPSG:4548',
      'ogc-4548.prj': 'EPSG:4548',
      'esri-4554.prj': 'EPSG:4554',
      'ogc-4554.prj': 'EPSG:4554',
      'wkt2-4548.prj': 'EPSG:4548',
    };
    for (const file of readdirSync(PRJ_DIR)) {
      if (expected[file]) expect(crsFromPrj(prj(file)), file).toBe(expected[file]);
    }
  });

  it('trusts the parameters over the name', () => {
    const lying = prj('esri-4527.prj')
      .replace('39500000.0', '40500000.0')
      .replace('"Central_Meridian",117.0', '"Central_Meridian",120.0');
    expect(lying).toContain('GK_Zone_39');
    expect(crsFromPrj(lying)).toBe('EPSG:4528');
  });

  it('refuses other datums and 6-degree zones with a reason', () => {
    const beijing = readPrj(prj('beijing1954-gk-cm117.prj'));
    expect(beijing.crs).toBeUndefined();
    expect(beijing.reason).toMatch(/Beijing/);
    const sixDegree = readPrj(prj('cgcs2000-6deg-zone13.prj'));
    expect(sixDegree.crs).toBeUndefined();
    expect(sixDegree.reason).toMatch(/6-degree/);
    expect(readPrj('not wkt').crs).toBeUndefined();
  });

  it('prjOf writes what ArcGIS writes (ESRI WKT, as GDAL does) and reads back for every system', () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(prjOf('EPSG:4527'))).toBe(squash(prj('esri-4527.prj')));
    expect(squash(prjOf('EPSG:4548'))).toBe(squash(prj('esri-4548.prj')));
    expect(squash(prjOf('EPSG:4490'))).toBe(squash(prj('esri-4490.prj')));
    for (let code = 4513; code <= 4554; code++) expect(crsFromPrj(prjOf(`EPSG:${code}`))).toBe(`EPSG:${code}`);
    for (const crs of ['EPSG:4326', 'EPSG:4490', 'GCJ-02', 'BD-09']) expect(crsFromPrj(prjOf(crs))).toBe(crs);
  });
});

describe('checkPlausible', () => {
  const message = (positions: Position[], crs: string) => {
    const error = refusal(() => checkPlausible(positions, crs));
    expect(error.status).toBe(400);
    expect(error.code).toBe('crs_mismatch');
    expect(error.param).toBe('crs');
    return error.message;
  };

  it('names the Gauss–Krüger zone of metres declared as degrees', () => {
    expect(message([[39500000, 4370000]], 'EPSG:4326')).toContain(
      'these look like CGCS2000 3-degree Gauss–Krüger metres, zone 39 (EPSG:4527)',
    );
    expect(message([[40512345, 3450000]], 'cgcs2000')).toContain('zone 40 (EPSG:4528)');
  });

  it('points eastings without a prefix to the CM systems that are plausible for China', () => {
    const text = message([[512345, 4370000]], 'GCJ-02');
    expect(text).toContain('EPSG:4534–4554');
    expect(text).toContain('75°E–135°E');
  });

  it('catches swapped latitude/longitude, degrees declared as metres, a wrong zone and a wrong prefix', () => {
    expect(message([[39.6, 118.2]], 'EPSG:4326')).toMatch(/wrong order/);
    expect(message([[118.2, 39.6]], 'EPSG:4527')).toMatch(/look like degrees/);
    expect(message([[40500000, 4370000]], 'EPSG:4527')).toContain('zone 40 (EPSG:4528)');
    expect(message([[500000, 4370000]], 'EPSG:4527')).toContain('EPSG:4548');
    expect(message([[39500000, 4370000]], 'EPSG:4548')).toContain('EPSG:4527');
    expect(message([[18500000, 4370000]], 'EPSG:4326')).toMatch(/6-degree/);
  });

  it('accepts coordinates that fit, and counts the misfits among the sample', () => {
    expect(() =>
      checkPlausible(
        [
          [118.2, 39.6],
          [-70, -33],
        ],
        'EPSG:4326',
      ),
    ).not.toThrow();
    expect(() => checkPlausible([[39512345, 4370000]], 'EPSG:4527')).not.toThrow();
    expect(() => checkPlausible([[412345, 4370000]], 'EPSG:4548')).not.toThrow();
    expect(
      message(
        [
          [118.2, 39.6],
          [39500000, 4370000],
          [39500001, 4370001],
        ],
        'EPSG:4326',
      ),
    ).toContain('2 of 3 sampled positions');
  });

  it('samples positions across features', () => {
    const sample = samplePositions([
      { type: 'Point', coordinates: [1, 2] },
      null,
      {
        type: 'LineString',
        coordinates: [
          [3, 4],
          [5, 6],
        ],
      },
    ]);
    expect(sample).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });
});
