/**
 * The shapes shared by the import service and the per-layer writers, and the pure rules
 * that decide create / update / unchanged: a feature is unchanged when every mapped field
 * equals the stored value and its geometry lies within 1 cm of the stored one, so an export
 * imported again writes nothing.
 */
import type { Geometry } from 'geojson';
import type { ImportReport } from '../../common/contracts/interop.ts';
import type { AuthUser } from '../auth/permissions.ts';
import { forbidden } from '../auth/permissions.ts';
import type { FieldValue, Mapping } from './mapping.ts';

/** One feature after mapping and reprojection (WGS84). */
export interface ImportRow {
  /** Position in the file (0-based). */
  index: number;
  values: Record<string, FieldValue>;
  geometry: Geometry | null;
}

export type Invalid = ImportReport['invalid'][number];

export interface LayerOutcome {
  create: number;
  update: number;
  unchanged: number;
  invalid: Invalid[];
  topology?: ImportReport['topology'];
  warnings: string[];
  /** The last step of a commit (grids: publish the drafts), run only when nothing is invalid. */
  finish?: () => Promise<void>;
  /** Grids imported as they are: the changesets (one per street) that flag the accepted problems. */
  changesets?: number[];
}

export interface ApplyContext {
  user: AuthUser;
  /** The uploaded file's name (a draft is titled after it). */
  filename: string;
  mapping: Mapping;
  region?: string;
  commit: boolean;
  /** Grids imported as they are (admin, with a reason; ADR 0014). */
  asIs?: { reason: string };
}

/**
 * Geometry "the same" within 1 cm: the Hausdorff distance in degrees, against 1 cm in
 * degrees of latitude (a degree of longitude is shorter in China, so this is the strict side).
 */
export const SAME_GEOMETRY_DEGREES = 0.01 / 111_320;

export const emptyOutcome = (): LayerOutcome => ({ create: 0, update: 0, unchanged: 0, invalid: [], warnings: [] });

/** Equal as stored: numbers by value, lists element by element, null and '' alike for text. */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === '' || v === undefined ? null : v);
  const x = norm(a);
  const y = norm(b);
  if (Array.isArray(x) || Array.isArray(y)) {
    const xs = (x as unknown[] | null) ?? [];
    const ys = (y as unknown[] | null) ?? [];
    return xs.length === ys.length && xs.every((v, i) => String(v) === String(ys[i]));
  }
  if (typeof x === 'number' || typeof y === 'number') return x !== null && y !== null && Number(x) === Number(y);
  return x === y;
}

/** The mapped fields whose value differs from the stored row. */
export function changedFields(values: Record<string, FieldValue>, stored: object, fields: readonly string[]): string[] {
  return fields.filter(
    (field) => field in values && !sameValue(values[field], (stored as Record<string, unknown>)[field]),
  );
}

export const featureName = (row: ImportRow, code?: string) => `Feature ${row.index}${code ? ` (${code})` : ''}`;

/** 403 naming the feature unless the user edits its street (admins edit every street; a district is admin only). */
export function requireFeatureStreet(
  user: AuthUser,
  row: ImportRow,
  code: string | undefined,
  street: string | null,
): void {
  if (user.role === 'admin') return;
  if (street === null || user.street_code !== street) {
    throw forbidden(
      `${featureName(row, code)} lies in ${street ? `street ${street}` : 'no street'}; your account edits street ${user.street_code ?? '(none)'}`,
    );
  }
}

/** A problem with one feature. */
export const invalid = (row: ImportRow, field: string | undefined, reason: string, code?: string): Invalid => ({
  index: row.index,
  ...(code ? { code } : {}),
  ...(field ? { field } : {}),
  reason,
});
