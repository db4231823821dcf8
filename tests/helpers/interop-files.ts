/**
 * Import files made in the tests, with known answers: a GBK Shapefile in Gauss–Krüger metres,
 * a GCJ-02 CSV, KML, and hostile archives/XML. Shared by the unit tests of the readers and the
 * API tests of the import service.
 *
 * Known coordinates come from sources independent of proj4 and gcoord: points on a zone's
 * central meridian have easting exactly 500000 (+ zone prefix) and northing equal to the GRS80
 * meridian arc length, computed here with GeographicLib; the GCJ-02 anchor is DESIGN.md's.
 */
import mapshaper from 'mapshaper';
import { strToU8, zipSync, type Zippable } from 'fflate';
import geodesic from 'geographiclib-geodesic';
import type { FeatureCollection } from 'geojson';
import { prjOf } from '../../server/geo/crs.ts';

/** The GRS80 (= CGCS2000) ellipsoid; WGS84's differs by 0.1 mm in the flattening. */
export const GRS80 = new geodesic.Geodesic.Geodesic(6378137, 1 / 298.257222101);

/** Northing of a point on a Gauss–Krüger central meridian: the meridian arc from the equator. */
export const meridianArc = (lat: number) => GRS80.Inverse(0, 0, lat, 0).s12!;

export interface KnownPlace {
  name: string;
  code: string;
  /** WGS84/CGCS2000 degrees. */
  lon: number;
  lat: number;
  /** In the file's system (metres for Gauss–Krüger). */
  x: number;
  y: number;
}

/** Station-like names with characters outside GB2312's first level and a rare one (GBK only). */
const NAMES = ['新华道街道党群服务中心', '龙泉社区第一网格', '凤凰山公园服务站（北门）'];

export interface GbkShapefileOptions {
  /** 39 → EPSG:4527 (zone prefix, CM 117°E); 'cm117' → EPSG:4548 (no prefix). Default 39. */
  zone?: 39 | 'cm117';
  /** The .cpg text: default 'GBK'; false for none (then `ldid` decides). */
  cpg?: string | false;
  /** Byte 29 of the .dbf (language driver), e.g. 0x4d for GBK, 0x57 for "ANSI". Default 0. */
  ldid?: number;
  /** Include the .prj (default true). */
  prj?: boolean;
  /** Put the files in this folder inside the zip. */
  folder?: string;
  /** 'point' (default) or 'polygon': 100 m squares whose south-west corner is the place. */
  geometry?: 'point' | 'polygon';
}

/** Three places on the central meridian 117°E (Tangshan's zone 39), with GeographicLib northings. */
export function knownPlaces(zone: 39 | 'cm117' = 39): KnownPlace[] {
  const prefix = zone === 39 ? 39e6 : 0;
  return [39.55, 39.63, 39.71].map((lat, i) => ({
    name: NAMES[i]!,
    code: `13020300${i + 1}`,
    lon: 117,
    lat,
    x: prefix + 500000,
    y: meridianArc(lat),
  }));
}

/**
 * A real zipped Shapefile (.shp/.shx/.dbf/.prj/.cpg via mapshaper) whose .dbf text is GBK and
 * whose .prj is CGCS2000 3-degree Gauss–Krüger. Columns: name (Chinese), code, households.
 */
export async function gbkShapefileZip(
  options: GbkShapefileOptions = {},
): Promise<{ zip: Uint8Array; places: KnownPlace[]; crs: string }> {
  const zone = options.zone ?? 39;
  const crs = zone === 39 ? 'EPSG:4527' : 'EPSG:4548';
  const places = knownPlaces(zone);
  const fc: FeatureCollection = {
    type: 'FeatureCollection',
    features: places.map((p, i) => ({
      type: 'Feature',
      geometry:
        options.geometry === 'polygon'
          ? {
              type: 'Polygon',
              coordinates: [
                [
                  [p.x, p.y],
                  [p.x, p.y + 100],
                  [p.x + 100, p.y + 100],
                  [p.x + 100, p.y],
                  [p.x, p.y],
                ],
              ],
            }
          : { type: 'Point', coordinates: [p.x, p.y] },
      properties: { name: p.name, code: p.code, households: 100 * (i + 1) },
    })),
  };
  const out = await mapshaper.applyCommands('-i in.json -o format=shapefile encoding=gbk places.shp', {
    'in.json': fc,
  });
  const dir = options.folder ? `${options.folder}/` : '';
  const dbf = new Uint8Array(out['places.dbf'] as Buffer);
  dbf[29] = options.ldid ?? 0;
  const files: Zippable = {
    [`${dir}places.shp`]: new Uint8Array(out['places.shp'] as Buffer),
    [`${dir}places.shx`]: new Uint8Array(out['places.shx'] as Buffer),
    [`${dir}places.dbf`]: dbf,
  };
  if (options.prj !== false) files[`${dir}places.prj`] = strToU8(prjOf(crs));
  if (options.cpg !== false) files[`${dir}places.cpg`] = strToU8(options.cpg ?? 'GBK');
  return { zip: zipSync(files), places, crs };
}

/** A zipped Gauss–Krüger Shapefile with no .prj (UTF-8 .cpg): the importer must ask for the system. */
export async function shapefileZipWithoutPrj(): Promise<{ zip: Uint8Array; places: KnownPlace[] }> {
  const { zip, places } = await gbkShapefileZip({ prj: false });
  return { zip, places };
}

/** WGS84 (116.69, 39.50) is GCJ-02 (116.69593, 39.50110) (DESIGN.md, gcoord); ~1 m rounding. */
export const GCJ02_ANCHOR = {
  wgs84: [116.69, 39.5] as const,
  gcj02: [116.69593, 39.5011] as const,
  bd09: [116.70256, 39.50676] as const,
};

/**
 * A CSV of stations with GCJ-02 coordinates in 经度/纬度 columns (as copied from Amap),
 * UTF-8 with a BOM (as Excel saves it) or GBK. The first row is DESIGN.md's anchor.
 */
export function gcj02Csv(options: { encoding?: 'utf-8' | 'gbk'; bom?: boolean } = {}): {
  csv: Uint8Array;
  expected: { name: string; lon: number; lat: number }[];
} {
  const rows = [
    ['名称', '经度', '纬度', '地址'],
    [
      '滦南县第一网格服务站',
      String(GCJ02_ANCHOR.gcj02[0]),
      String(GCJ02_ANCHOR.gcj02[1]),
      '河北省唐山市滦南县友谊路1号',
    ],
    ['没有坐标的服务站', '', '', '待定'],
  ];
  const text =
    rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') +
    '\r\n';
  const bytes = options.encoding === 'gbk' ? encodeGbk(text) : strToU8((options.bom === false ? '' : '\uFEFF') + text);
  return { csv: bytes, expected: [{ name: rows[1]![0]!, lon: GCJ02_ANCHOR.wgs84[0], lat: GCJ02_ANCHOR.wgs84[1] }] };
}

/** GBK bytes of a string, by inverting Node's GBK decoder over the two-byte range (test helper only). */
export function encodeGbk(text: string): Uint8Array {
  const table = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const pair = table.get(ch);
      if (pair === undefined) throw new Error(`"${ch}" has no GBK encoding`);
      out.push(pair >> 8, pair & 0xff);
    }
  }
  return new Uint8Array(out);
}

let gbk: Map<string, number> | undefined;
function gbkTable(): Map<string, number> {
  if (gbk) return gbk;
  gbk = new Map();
  const decoder = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== '\uFFFD' && !gbk.has(ch)) gbk.set(ch, (hi << 8) | lo);
    }
  }
  return gbk;
}

/** A KML with a Point and a Polygon placemark, Chinese names and ExtendedData (WGS84 by definition). */
export function kml(): { kml: Uint8Array; expected: { name: string; point?: [number, number] }[] } {
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>网格服务站</name>
    <Placemark>
      <name>友谊路服务站</name>
      <ExtendedData><Data name="code"><value>ST-001</value></Data><Data name="households"><value>321</value></Data></ExtendedData>
      <Point><coordinates>118.18012,39.63071,0</coordinates></Point>
    </Placemark>
    <Placemark>
      <name>龙泉社区第一网格</name>
      <ExtendedData><Data name="code"><value>G-001</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        118.18,39.63,0 118.181,39.63,0 118.181,39.631,0 118.18,39.631,0 118.18,39.63,0
      </coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
  </Document>
</kml>`;
  return {
    kml: strToU8(text),
    expected: [{ name: '友谊路服务站', point: [118.18012, 39.63071] }, { name: '龙泉社区第一网格' }],
  };
}

/** A "billion laughs" KML: the reader must refuse it before any parser sees it. */
export function kmlWithDoctype(): Uint8Array {
  return strToU8(`<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&c;</name><Point><coordinates>118,39</coordinates></Point></Placemark></kml>`);
}

/** A Shapefile zip with an extra "../../evil.txt" entry (zip slip). */
export async function zipWithTraversal(name = '../../evil.txt'): Promise<Uint8Array> {
  const { zip } = await gbkShapefileZip();
  const { unzipSync } = await import('fflate');
  return zipSync({ ...unzipSync(zip), [name]: strToU8('owned') });
}

/** A Shapefile zip with a unix symlink entry (mode 0o120777) pointing at /etc/passwd. */
export async function zipWithSymlink(): Promise<Uint8Array> {
  const { zip } = await gbkShapefileZip();
  const { unzipSync } = await import('fflate');
  return zipSync({
    ...unzipSync(zip),
    'link.dbf': [strToU8('/etc/passwd'), { os: 3, attrs: 0o120777 << 16, level: 0 }],
  });
}

/**
 * A zip whose one entry inflates from ~`megabytes` KB to `megabytes` MB of zeros (ratio ~1000).
 * `lie: true` also rewrites both headers to declare 1 KB, so only counting the inflated bytes catches it.
 */
export function zipBomb(options: { megabytes?: number; lie?: boolean } = {}): Uint8Array {
  const size = (options.megabytes ?? 20) * 1024 * 1024;
  const zip = zipSync({ 'bomb.shp': [new Uint8Array(size), { level: 9 }] });
  if (options.lie) {
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let o = 0; o + 4 <= zip.length; o++) {
      const sig = view.getUint32(o, true);
      if (sig === 0x04034b50 && view.getUint32(o + 22, true) === size) view.setUint32(o + 22, 1024, true);
      if (sig === 0x02014b50 && view.getUint32(o + 24, true) === size) view.setUint32(o + 24, 1024, true);
    }
  }
  return zip;
}
