/** Query-parameter parsing that names the offending parameter in a 400. */
import { z } from 'zod';
import { badRequest } from './errors.ts';
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';

export type BBox = [number, number, number, number];

/** Parse `minLon,minLat,maxLon,maxLat` in WGS84 degrees. */
export function parseBBox(value: unknown, param = 'bbox'): BBox | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(param, `${param} must be given once as minLon,minLat,maxLon,maxLat`);
  const parts = value.split(',');
  if (parts.length !== 4) throw badRequest(param, `${param} must have 4 numbers: minLon,minLat,maxLon,maxLat`);
  const nums = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (nums.some((n) => !Number.isFinite(n))) throw badRequest(param, `${param} must contain numbers only`);
  const [minLon, minLat, maxLon, maxLat] = nums as BBox;
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw badRequest(param, `${param} is outside WGS84 range (lon -180..180, lat -90..90)`);
  }
  if (minLon > maxLon || minLat > maxLat) throw badRequest(param, `${param} must have min before max`);
  return [minLon, minLat, maxLon, maxLat];
}

export function parseRegionCode(value: unknown, param = 'region'): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !REGION_CODE.test(value)) {
    throw badRequest(param, `${param} must be a 12-digit region code`);
  }
  return value;
}

export function parseGridCode(value: unknown, param = 'code'): string {
  if (typeof value !== 'string' || !GRID_CODE.test(value))
    throw badRequest(param, `${param} must be a 15-digit grid code`);
  return value;
}

/** A whole number from a path segment (a draft, changeset or exception number): `what` says which. */
export function parseIdParam(value: unknown, param: string, what: string): number {
  const id = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(id)) throw badRequest(param, `${param} must be ${what}`);
  return id;
}

export function parseEnum<T extends string>(value: unknown, allowed: readonly T[], param: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(param, `${param} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

/**
 * Validate a JSON body with a zod schema; the first issue names the field. A key the schema
 * does not know (`.strict()`: a server-owned `code` or `version`, or `__proto__`) is named
 * itself, so the client learns which field to drop.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  checkShape(body);
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const param = [...path, issue.keys[0]].join('.');
    throw badRequest(
      param,
      `${param}: unknown field; the server sets it or it does not exist here${issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(', ')})` : ''}`,
    );
  }
  const param = path.join('.') || 'body';
  throw badRequest(
    param.length > 200 ? `${param.slice(0, 200)}…` : param,
    `${param.length > 200 ? `${param.slice(0, 200)}…` : param}: ${issue.message}`,
  );
}

/** `kinds=a,b` or `kinds=a&kinds=b`; each must be one of the station kinds. */
export function parseStationKinds(value: unknown, param = 'kind'): StationKind[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
  for (const kind of list) {
    if (kind === null || !(STATION_KINDS as readonly string[]).includes(kind)) {
      throw badRequest(param, `${param} must be one of: ${STATION_KINDS.join(', ')}`);
    }
  }
  return list as StationKind[];
}

/** A number given once, with `min < value <= max`. */
export function parseNumberInRange(value: unknown, param: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= min || n > max)
    throw badRequest(param, `${param} must be a number greater than ${min} and at most ${max}`);
  return n;
}

/** Keys that reach an object's prototype when code copies properties naively. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any body of this API (a MultiPolygon's positions are at depth 5 inside a Feature). */
export const MAX_BODY_DEPTH = 32;

/**
 * Refuses a body nested deeper than MAX_BODY_DEPTH, or with a `__proto__`, `constructor` or
 * `prototype` key anywhere (JSON.parse makes them own keys, harmless until some code merges
 * them into another object): a 400 naming where. Walked without recursion.
 */
export function checkShape(body: unknown): void {
  const stack: [unknown, string, number][] = [[body, '', 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_BODY_DEPTH)
      throw badRequest(path || 'body', `${path || 'body'}: nested more than ${MAX_BODY_DEPTH} levels deep`);
    if (Array.isArray(value)) {
      // Positions are arrays of numbers: no need to push each one.
      if (value.every((v) => typeof v === 'number')) continue;
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], path ? `${path}.${i}` : String(i), depth + 1]);
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) throw badRequest(at, `${at}: the key "${key}" is not allowed`);
      stack.push([(value as Record<string, unknown>)[key], at, depth + 1]);
    }
  }
}

/**
 * A list route's query may only hold the parameters it reads: an unknown one (`sort`,
 * `limit`, a column name) is a 400 naming it, rather than an answer that silently ignores
 * what the client asked for.
 */
export function checkQuery(query: Record<string, unknown>, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name))
      throw badRequest(name, `Unknown query parameter "${name}"; this route takes ${known.join(', ')}`);
  }
}
