/**
 * Query parameters of the public API: a resident's point in the crs a map app gives
 * (converted to WGS84 once, here at the edge, with gcoord), the station kinds and the limit.
 * Every refusal is a 400 naming the parameter.
 */
import gcoord from 'gcoord';
import { badRequest } from '../http/errors.ts';
import { parseStationKinds } from '../http/params.ts';
import { PUBLIC_CRS, type PublicCrs } from '../../common/contracts/public.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';

/** China's extent, generously (Kashgar to Fuyuan, Zengmu Ansha to Mohe). */
export const CHINA_EXTENT = { minLon: 73, maxLon: 136, minLat: 3, maxLat: 54 } as const;
/** Stations per answer: 5 by default; asking for more than 20 is a 400 (not silently clamped). */
export const DEFAULT_STATIONS = 5;
export const MAX_STATIONS = 20;
export const DEFAULT_SEARCH_HITS = 10;
export const MAX_SEARCH_HITS = 50;

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export interface PublicPoint {
  /** WGS84 lon/lat. */
  lon: number;
  lat: number;
  crs: PublicCrs;
}

function single(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(param, `${param} must be given once`);
  return value;
}

function coordinate(value: unknown, param: 'lon' | 'lat'): number {
  const text = single(value, param);
  if (text === undefined || text.trim() === '')
    throw badRequest(param, `${param} is required (WGS84 degrees unless crs says otherwise)`);
  // Number() accepts "0x10", "1e999" (Infinity) and " 12 ": only plain decimals are coordinates.
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text))
    throw badRequest(param, `${param} must be a number, got "${text.slice(0, 40)}"`);
  const n = Number(text);
  if (!Number.isFinite(n)) throw badRequest(param, `${param} must be a finite number`);
  return n;
}

function inRange(n: number, param: 'lon' | 'lat'): void {
  const bound = param === 'lon' ? 180 : 90;
  if (Math.abs(n) > bound) throw badRequest(param, `${param} must be between -${bound} and ${bound}, got ${n}`);
}

export function parseCrs(value: unknown): PublicCrs {
  const text = single(value, 'crs');
  if (text === undefined) return 'wgs84';
  const crs = text.toLowerCase();
  if (!(PUBLIC_CRS as readonly string[]).includes(crs))
    throw badRequest('crs', `crs must be one of: ${PUBLIC_CRS.join(', ')}`);
  return crs as PublicCrs;
}

const inChina = (lon: number, lat: number) =>
  lon >= CHINA_EXTENT.minLon && lon <= CHINA_EXTENT.maxLon && lat >= CHINA_EXTENT.minLat && lat <= CHINA_EXTENT.maxLat;

/** lon, lat and crs → a WGS84 point inside China's extent. */
export function parsePublicPoint(query: Record<string, unknown>): PublicPoint {
  const lon = coordinate(query.lon, 'lon');
  const lat = coordinate(query.lat, 'lat');
  const crs = parseCrs(query.crs);
  // Checked before the ranges: lat=116.7 is out of range *because* it was swapped.
  if (!inChina(lon, lat) && inChina(lat, lon)) {
    throw badRequest(
      'lon',
      `lon=${lon}, lat=${lat} look swapped: lon=${lat}, lat=${lon} is in China, the point as given is not`,
    );
  }
  inRange(lon, 'lon');
  inRange(lat, 'lat');
  if (!inChina(lon, lat)) {
    const param = lon < CHINA_EXTENT.minLon || lon > CHINA_EXTENT.maxLon ? 'lon' : 'lat';
    throw badRequest(param, `lon=${lon}, lat=${lat} is outside China (lon 73–136, lat 3–54)`);
  }
  if (crs === 'wgs84') return { lon, lat, crs };
  const [x, y] = gcoord.transform([lon, lat], GCOORD_CRS[crs], gcoord.WGS84) as [number, number];
  return { lon: x, lat: y, crs };
}

/** A WGS84 position as the crs asked for (station answers go back in the caller's crs). */
export function toCrs(lon: number, lat: number, crs: PublicCrs): [number, number] {
  if (crs === 'wgs84') return [lon, lat];
  return gcoord.transform([lon, lat], gcoord.WGS84, GCOORD_CRS[crs]) as [number, number];
}

export function parseLimit(value: unknown, fallback: number, max: number, param = 'limit'): number {
  const text = single(value, param);
  if (text === undefined) return fallback;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw badRequest(param, `${param} must be a whole number from 1 to ${max}`);
  return n;
}

export function parsePublicKinds(value: unknown): StationKind[] | undefined {
  const kinds = parseStationKinds(value, 'kind');
  return kinds?.length ? [...new Set(kinds)] : undefined;
}

export function parseSearchQuery(value: unknown): string {
  const text = single(value, 'q')?.trim();
  if (!text)
    throw badRequest('q', 'q is required: part of a name or an address, its pinyin (yucai) or pinyin initials (ljsq)');
  if (text.length > 50) throw badRequest('q', 'q must be at most 50 characters');
  return text;
}
