/**
 * Shared by the writers: coordinates into the output system and rounded to what it means
 * (7 decimals of a degree ≈ 1 cm; 3 decimals of a metre = 1 mm), and property values as
 * flat cells for the formats without nesting (arrays joined with 、, objects as JSON).
 */
import type { Feature, Geometry, Position } from 'geojson';
import type { CrsName } from '../../../common/contracts/interop.ts';
import { fromWgs84, isGeographic, parseCrsName, reprojectGeometry } from '../../geo/crs.ts';

export const DEGREE_DECIMALS = 7;
export const METRE_DECIMALS = 3;

export function roundTo(decimals: number): (v: number) => number {
  const f = 10 ** decimals;
  return (v) => Math.round(v * f) / f + 0; // + 0 turns -0 into 0
}

/** Features reprojected from WGS84 into `crs` and rounded for it. */
export function toOutputCrs(features: Feature[], crs: CrsName = 'EPSG:4326'): Feature[] {
  const name = parseCrsName(crs);
  const round = roundTo(isGeographic(name) ? DEGREE_DECIMALS : METRE_DECIMALS);
  const project = fromWgs84(name);
  const transform = (p: Position) => project(p).map(round);
  return features.map((f) => ({
    ...f,
    geometry: f.geometry ? reprojectGeometry(f.geometry as Geometry, transform) : f.geometry,
  }));
}

/** A property value as one cell: arrays joined with 、 (the importer splits on it), objects as JSON. */
export function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join('、');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  return JSON.stringify(value);
}

/** Column keys in output order: `columns` if given, else the union of property keys in first-seen order. */
export function columnKeys(features: Feature[], columns?: { key: string }[]): string[] {
  if (columns) return columns.map((c) => c.key);
  const keys = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) keys.add(k);
  return [...keys];
}

/** A file name without characters that break downloads or archives. */
export const safeName = (name: string) =>
  name
    .replace(/[\\/:*?"<>|\0]+/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 100) || 'export';
