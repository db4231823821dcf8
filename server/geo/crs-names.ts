/**
 * The names of the coordinate systems we read, and the Gauss–Krüger zones behind the EPSG codes:
 * what crs.ts (transforms), crs-prj.ts (.prj files) and crs-plausible.ts (the sanity check) share.
 * Import them through crs.ts.
 */
import type { CrsName } from '../../common/contracts/interop.ts';
import { CrsError } from './crs-error.ts';

/** CGCS2000 3-degree Gauss–Krüger: zones 25–45 (with prefix) = EPSG:4513–4533, CM 75–135°E (no prefix) = EPSG:4534–4554. */
const GK_PREFIX_FIRST = 4513;
const GK_CM_FIRST = 4534;
const GK_ZONE_MIN = 25;
const GK_ZONE_MAX = 45;

export const ACCEPTED_CRS_TEXT =
  'EPSG:4326 (WGS84), EPSG:4490 (CGCS2000), EPSG:4513–4533 (CGCS2000 3-degree Gauss–Krüger zones 25–45), ' +
  'EPSG:4534–4554 (CGCS2000 3-degree Gauss–Krüger CM 75°E–135°E), GCJ-02, BD-09';

/** A Gauss–Krüger system: its zone, central meridian and whether the easting carries the zone prefix. */
export interface GaussKruger {
  epsg: number;
  zone: number;
  centralMeridian: number;
  prefixed: boolean;
  falseEasting: number;
}

/** The Gauss–Krüger description of an EPSG code in 4513–4554, or undefined. */
export function gaussKruger(epsg: number): GaussKruger | undefined {
  if (epsg >= GK_PREFIX_FIRST && epsg < GK_CM_FIRST) {
    const zone = GK_ZONE_MIN + epsg - GK_PREFIX_FIRST;
    return { epsg, zone, centralMeridian: 3 * zone, prefixed: true, falseEasting: zone * 1e6 + 500000 };
  }
  if (epsg >= GK_CM_FIRST && epsg <= GK_CM_FIRST + GK_ZONE_MAX - GK_ZONE_MIN) {
    const zone = GK_ZONE_MIN + epsg - GK_CM_FIRST;
    return { epsg, zone, centralMeridian: 3 * zone, prefixed: false, falseEasting: 500000 };
  }
  return undefined;
}

/** EPSG code of the 3-degree GK zone with this central meridian, with or without the prefix. */
export function gkEpsg(centralMeridian: number, prefixed: boolean): number | undefined {
  const zone = centralMeridian / 3;
  if (!Number.isInteger(zone) || zone < GK_ZONE_MIN || zone > GK_ZONE_MAX) return undefined;
  return (prefixed ? GK_PREFIX_FIRST : GK_CM_FIRST) + zone - GK_ZONE_MIN;
}

/** The EPSG number of an 'EPSG:n' name, or undefined (GCJ-02, BD-09). */
export function epsgOf(crs: CrsName): number | undefined {
  const m = /^EPSG:(\d+)$/.exec(crs);
  return m ? Number(m[1]) : undefined;
}

/** True for systems whose coordinates are degrees (WGS84, CGCS2000, GCJ-02, BD-09). */
export function isGeographic(crs: CrsName): boolean {
  return gaussKruger(epsgOf(crs) ?? 0) === undefined;
}

/**
 * The canonical name ('EPSG:4326', 'EPSG:4490', 'EPSG:45xx', 'GCJ-02', 'BD-09') of what a user
 * or a file wrote. Also accepts OGC URNs/URLs and CRS84 (GeoJSON's legacy `crs` member).
 * @example parseCrsName('cgcs2000') // 'EPSG:4490'
 */
export function parseCrsName(text: string): CrsName {
  const t = String(text ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
  if (
    [
      'wgs84',
      'wgs1984',
      'crs84',
      'urn:ogc:def:crs:ogc:1.3:crs84',
      'urn:ogc:def:crs:ogc::crs84',
      'http://www.opengis.net/def/crs/ogc/1.3/crs84',
    ].includes(t)
  )
    return 'EPSG:4326';
  if (['cgcs2000', 'cgcs'].includes(t)) return 'EPSG:4490';
  if (['gcj02', 'gcj-02', 'gcj'].includes(t)) return 'GCJ-02';
  if (['bd09', 'bd-09', 'bd09ll', 'baidu'].includes(t)) return 'BD-09';
  const m = /^(?:epsg:|urn:ogc:def:crs:epsg:[\d.]*:|http:\/\/www\.opengis\.net\/def\/crs\/epsg\/0\/)?(\d+)$/.exec(t);
  if (m) {
    const code = Number(m[1]);
    if (code === 4326 || code === 4490 || gaussKruger(code)) return `EPSG:${code}`;
  }
  throw new CrsError('unknown_crs', `Unknown coordinate system "${text}"; accepted: ${ACCEPTED_CRS_TEXT}`);
}
