/**
 * Zipped Shapefile: mapshaper writes .shp/.shx/.dbf (UTF-8 text), we add the .prj (prjOf) and
 * a .cpg saying UTF-8, and zip them with fflate. A Shapefile holds one geometry type, so a
 * mixed layer becomes one Shapefile per type (name_points, name_lines, name_polygons) in the
 * same zip; the reader reads them back as one layer.
 *
 * dBASE field names stop at 10 bytes. Short names are deterministic (shortFieldNames): the
 * caller's names first (the import's layer fields carry a `short` name, e.g. community_code
 * → comm_code, so an export maps back onto itself), then a small table of our long keys, then
 * truncation, with ~1, ~2 … on a clash.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Feature, Geometry } from 'geojson';
import { prjOf } from '../../geo/crs.ts';
import { HttpError } from '../../http/errors.ts';
import { cell, columnKeys, safeName, toOutputCrs } from './write-common.ts';
import type { WriteOptions } from './types.ts';

/** Our keys longer than 10 characters and the names the layer specs use for them. */
export const KNOWN_SHORT_NAMES: Readonly<Record<string, string>> = {
  community_code: 'comm_code',
  parent_code: 'parent',
  region_code: 'region',
  compound_code: 'compound',
  building_code: 'bldg_code',
  secretary_name: 'secretary',
  member_count: 'members',
  phone_public: 'phone_pub',
  opening_hours: 'hours',
  households_source: 'hh_source',
  area_estimate: 'area_est',
  display_name: 'disp_name',
};

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** The longest prefix of `s` within `bytes` UTF-8 bytes (never splitting a character). */
function truncateBytes(s: string, bytes: number): string {
  let out = '';
  for (const ch of s) {
    if (utf8Length(out + ch) > bytes) break;
    out += ch;
  }
  return out;
}

/**
 * Deterministic dBASE field names (≤ 10 UTF-8 bytes, unique case-insensitively) for `keys`
 * in order: `given[key]`, else KNOWN_SHORT_NAMES, else the key itself if short, else truncated.
 * @example shortFieldNames(['community_code', 'name']) // Map { community_code → comm_code, name → name }
 */
export function shortFieldNames(keys: string[], given: Record<string, string> = {}): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const key of keys) {
    const base = truncateBytes(given[key] ?? KNOWN_SHORT_NAMES[key] ?? key, 10) || 'field';
    let name = base;
    for (let n = 1; used.has(name.toLowerCase()); n++) name = `${truncateBytes(base, 10 - String(n).length - 1)}~${n}`;
    used.add(name.toLowerCase());
    out.set(key, name);
  }
  return out;
}

type Family = 'points' | 'lines' | 'polygons';
const FAMILY: Record<string, Family> = {
  Point: 'points',
  MultiPoint: 'points',
  LineString: 'lines',
  MultiLineString: 'lines',
  Polygon: 'polygons',
  MultiPolygon: 'polygons',
};

function familyOf(g: Geometry | null, index: number): Family | null {
  if (!g) return null;
  const family = FAMILY[g.type];
  if (!family)
    throw new HttpError(
      400,
      'unsupported_geometry',
      `Feature ${index} is a ${g.type}, which a Shapefile cannot hold`,
      'format',
    );
  return family;
}

/** Writes WGS84 features as a zipped Shapefile in options.crs (default EPSG:4326). */
export async function writeShapefile(features: Feature[], options: WriteOptions): Promise<Uint8Array> {
  const crs = options.crs ?? 'EPSG:4326';
  const projected = toOutputCrs(features, crs);
  const keys = columnKeys(features, options.columns);
  const names = shortFieldNames(keys, options.shapefileFieldNames);
  const groups = new Map<Family, Feature[]>();
  const nulls: Feature[] = [];
  projected.forEach((f, i) => {
    const family = familyOf(f.geometry, i);
    const row: Feature = {
      type: 'Feature',
      geometry: f.geometry,
      properties: Object.fromEntries(keys.map((k) => [names.get(k)!, cell(f.properties?.[k])])),
    };
    if (!family) nulls.push(row);
    else groups.set(family, [...(groups.get(family) ?? []), row]);
  });
  // Features without geometry go with the first group (null shapes), or alone as an attribute table.
  const first = [...groups.keys()][0];
  if (first) groups.get(first)!.push(...nulls);
  else groups.set('points', nulls);

  // Loaded on first use: mapshaper is ~0.6 s of module loading that every start paid for.
  const { default: mapshaper } = await import('mapshaper');
  const base = safeName(options.name);
  const files: Zippable = {};
  for (const [family, rows] of groups) {
    const layer = groups.size > 1 ? `${base}_${family}` : base;
    const out = await mapshaper.applyCommands(`-i in.json -o format=shapefile encoding=utf8 "${layer}.shp"`, {
      'in.json': { type: 'FeatureCollection', features: rows },
    });
    for (const ext of ['shp', 'shx', 'dbf']) {
      const body = out[`${layer}.${ext}`];
      if (body !== undefined)
        files[`${layer}.${ext}`] = typeof body === 'string' ? strToU8(body) : new Uint8Array(body);
    }
    files[`${layer}.prj`] = strToU8(prjOf(crs));
    files[`${layer}.cpg`] = strToU8('UTF-8');
  }
  return zipSync(files);
}
