/**
 * From a file's columns to a layer's fields, as pure functions: guess the mapping from the
 * column names (remembered mapping first, then exact names, Shapefile short names, then the
 * synonyms offices use), and turn one row into typed, checked values with a reason per
 * field that fails. Nothing here reads the database: existence checks (does the parent
 * exist, is the point in a community) belong to the service.
 */
import { z } from 'zod';
import type { InteropLayer } from '../../common/contracts/interop.ts';
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { LAYERS, type FieldSpec } from './layers.ts';

export type Mapping = Record<string, string>;
export type FieldValue = string | number | boolean | string[] | null;

/** Case, spaces, underscores, hyphens and brackets do not matter in a column name. */
export const normaliseColumn = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）[\]【】.:：]/g, '');

/**
 * The mapping to use: an explicit one (every named column must exist), else the remembered
 * one where its columns exist, completed by matching names. Each column feeds one field.
 */
export function resolveMapping(
  layer: InteropLayer,
  columns: readonly string[],
  explicit?: Mapping,
  remembered?: Mapping,
): Mapping {
  const fields = LAYERS[layer].fields;
  const known = new Set(fields.map((field) => field.name));
  if (explicit) {
    for (const [field, column] of Object.entries(explicit)) {
      if (!known.has(field))
        throw badRequest('mapping', `mapping: ${layer} has no field "${field}" (fields: ${[...known].join(', ')})`);
      if (typeof column !== 'string' || !columns.includes(column)) {
        throw badRequest(
          'mapping',
          `mapping: the file has no column "${String(column)}" for field ${field} (columns: ${columns.join(', ')})`,
        );
      }
    }
  }
  const mapping: Mapping = { ...(explicit ?? {}) };
  const used = new Set(Object.values(mapping));
  const take = (field: string, column: string | undefined) => {
    if (column === undefined || field in mapping || used.has(column)) return;
    mapping[field] = column;
    used.add(column);
  };
  if (!explicit)
    for (const [field, column] of Object.entries(remembered ?? {}))
      if (known.has(field) && columns.includes(column)) take(field, column);
  const byNorm = new Map<string, string>();
  for (const column of columns) if (!byNorm.has(normaliseColumn(column))) byNorm.set(normaliseColumn(column), column);
  const find = (candidate: string) => byNorm.get(normaliseColumn(candidate));
  // Exact names everywhere first, so a synonym of one field never steals another's own column.
  for (const field of fields) take(field.name, find(field.name));
  for (const field of fields) take(field.name, find(field.short));
  for (const field of fields) for (const synonym of field.synonyms) take(field.name, find(synonym));
  return mapping;
}

/** Required fields the mapping leaves out. */
export function missingRequired(layer: InteropLayer, mapping: Mapping): string[] {
  return LAYERS[layer].fields.filter((field) => field.required && !(field.name in mapping)).map((field) => field.name);
}

/** Format rules beyond the type, by `layer.field` or by field name. */
const RULES: Record<string, z.ZodType> = {
  'regions.code': z.string().regex(REGION_CODE, 'a 12-digit region code'),
  'regions.parent_code': z.string().regex(REGION_CODE, 'a 12-digit region code'),
  'grids.code': z.string().regex(GRID_CODE, 'a 15-digit grid code'),
  'grid_workers.grid_code': z.string().regex(GRID_CODE, 'a 15-digit grid code'),
  'grid_workers.phone': z
    .string()
    .regex(/^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$/, 'a mobile (11 digits) or landline number'),
  community_code: z.string().regex(REGION_CODE, 'a 12-digit community code'),
  region_code: z.string().regex(REGION_CODE, 'a 12-digit region code'),
  code: z.string().max(40, 'at most 40 characters'),
  name: z.string().max(100, 'at most 100 characters'),
  households: z.number().max(100_000, 'at most 100000'),
  member_count: z.number().max(100_000, 'at most 100000'),
};

const TRUE = new Set(['true', 't', 'yes', 'y', '1', '是', '公开', '对']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', '否', '不公开', '']);

/** One value as the field's type, or the reason it is not one. */
export function coerceValue(field: FieldSpec, raw: unknown): { value: FieldValue } | { reason: string } {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { value: null };
  switch (field.type) {
    case 'text':
      if (typeof raw === 'object') return { reason: 'expected text' };
      return { value: String(raw).trim() };
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/,/g, '')) : NaN;
      if (!Number.isFinite(n)) return { reason: `expected a number, got "${String(raw)}"` };
      if (field.type === 'integer' && (!Number.isInteger(n) || n < 0))
        return { reason: `expected a whole number ≥ 0, got ${n}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const word = String(raw).trim().toLowerCase();
      if (TRUE.has(word)) return { value: true };
      if (FALSE.has(word)) return { value: false };
      return { reason: `expected yes/no (是/否), got "${String(raw)}"` };
    }
    case 'text[]': {
      const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(/[;；,，、|]/);
      return { value: items.map((s) => s.trim()).filter(Boolean) };
    }
    case 'enum': {
      const text = String(raw).trim();
      const values = field.values ?? [];
      const found = values.find((v) => v === text || v === text.toLowerCase()) ?? field.words?.[text];
      if (!found)
        return {
          reason: `must be one of ${values.join(', ')}${field.words ? ` (or ${Object.keys(field.words).join('、')})` : ''}, got "${text}"`,
        };
      return { value: found };
    }
  }
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * A row's mapped values, typed and checked. Unmapped fields, and mapped ones the feature
 * does not carry, are absent (the import leaves them as they are); a mapped but empty
 * optional field is null.
 */
export function mapRow(
  layer: InteropLayer,
  properties: Record<string, unknown>,
  mapping: Mapping,
): { values: Record<string, FieldValue>; problems: FieldProblem[] } {
  const values: Record<string, FieldValue> = {};
  const problems: FieldProblem[] = [];
  for (const field of LAYERS[layer].fields) {
    const column = mapping[field.name];
    if (column === undefined) {
      if (field.required)
        problems.push({ field: field.name, reason: `${field.name}: no column is mapped to this required field` });
      continue;
    }
    // A GeoJSON/KML feature without the property says nothing about it (a CSV cell that is empty does).
    if (!(column in properties) && !field.required) continue;
    const result = coerceValue(field, properties[column]);
    if ('reason' in result) {
      problems.push({ field: field.name, reason: `${field.name} (column ${column}): ${result.reason}` });
      continue;
    }
    if (result.value === null && field.required) {
      problems.push({ field: field.name, reason: `${field.name} (column ${column}): required, but empty` });
      continue;
    }
    const rule = RULES[`${layer}.${field.name}`] ?? RULES[field.name];
    if (rule && result.value !== null) {
      const checked = rule.safeParse(result.value);
      if (!checked.success) {
        problems.push({
          field: field.name,
          reason: `${field.name} (column ${column}): must be ${checked.error.issues[0]!.message}, got "${String(result.value)}"`,
        });
        continue;
      }
    }
    values[field.name] = result.value;
  }
  return { values, problems };
}

/** Parse the `mapping` form field: a JSON object of field → column. */
export function parseMappingField(text: unknown): Mapping | undefined {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch {
    throw badRequest('mapping', 'mapping must be JSON: {"field": "column", …}');
  }
  const parsed = z.record(z.string(), z.string()).safeParse(value);
  if (!parsed.success) throw badRequest('mapping', 'mapping must be a JSON object of field name → column name');
  return parsed.data;
}
