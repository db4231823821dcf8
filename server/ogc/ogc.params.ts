/**
 * Parsing the /ogc query string (pure: no Express, no SQL). Everything wrong is a 400 that
 * names the parameter; a limit over the maximum is refused rather than clamped, so a client
 * never silently gets fewer features than it asked for without a `next` link telling it so.
 */
import { badRequest } from '../http/errors.ts';
import { parseBBox } from '../http/params.ts';
import { ITEMS_PARAMETERS, type OgcCollection } from './ogc.collections.ts';
import type { ItemsQuery } from './ogc.queries.ts';
import { decodeCursor } from './ogc.cursor.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export type OgcFormat = 'json' | 'html';

type Query = Record<string, unknown>;

function integer(value: unknown, param: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value.trim())) {
    throw badRequest(param, `${param} must be a whole number from ${min} to ${max}`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw badRequest(param, `${param} must be a whole number from ${min} to ${max}`);
  return n;
}

/**
 * `f=json|html` wins; otherwise the Accept header (a browser's text/html first → html).
 * `accepts` is Express's content negotiation, passed in to keep this file pure.
 */
export function parseFormat(query: Query, accepts: (types: string[]) => string | false): OgcFormat {
  const f = query.f;
  if (f !== undefined) {
    if (f === 'json' || f === 'geojson') return 'json';
    if (f === 'html') return 'html';
    throw badRequest('f', 'f must be json or html');
  }
  return accepts(['application/json', 'application/geo+json', 'text/html']) === 'text/html' ? 'html' : 'json';
}

/** Parameters of routes other than items: only `f` (and `lang`) are known. */
export function checkPlainQuery(query: Query): void {
  for (const name of Object.keys(query)) {
    if (name !== 'f' && name !== 'lang') throw badRequest(name, `Unknown query parameter "${name}"`);
  }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i;

function instant(text: string, whole: string): string | undefined {
  if (text === '' || text === '..') return undefined;
  if (!INSTANT.test(text) || Number.isNaN(Date.parse(text)))
    throw badRequest(
      'datetime',
      `datetime must be an RFC 3339 date or date-time, or an interval of two ("a/b", ".." for an open end); got "${whole.slice(0, 60)}"`,
    );
  // A date alone is that day in UTC.
  return text.length === 10 ? `${text}T00:00:00Z` : text;
}

/**
 * `datetime` (OGC API Features Part 1, 7.15.4): an instant, or an interval "start/end" with
 * ".." or nothing for an open end; both ends included. A date alone is its whole UTC day.
 */
export function parseDatetime(value: unknown): ItemsQuery['datetime'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('datetime', 'datetime must be given once');
  const parts = value.trim().split('/');
  if (parts.length > 2) throw badRequest('datetime', `datetime has at most one "/"; got "${value.slice(0, 60)}"`);
  if (parts.length === 1) {
    const at = instant(parts[0]!, value);
    if (!at) throw badRequest('datetime', 'datetime: an instant cannot be open ("..")');
    if (parts[0]!.length === 10) return { start: at, end: `${parts[0]}T23:59:59.999Z` };
    return { start: at, end: at };
  }
  const start = instant(parts[0]!, value);
  const end = parts[1]!.length === 10 ? `${parts[1]}T23:59:59.999Z` : instant(parts[1]!, value);
  if (start && end && Date.parse(start) > Date.parse(end))
    throw badRequest('datetime', `datetime: the interval "${value.slice(0, 60)}" ends before it starts`);
  return { start, end };
}

/** bbox, datetime, limit, cursor (or the older offset) and property filters of the items route. */
export function parseItemsQuery(query: Query, collection: OgcCollection): ItemsQuery {
  const filters: [string, string][] = [];
  for (const [name, value] of Object.entries(query)) {
    if ((ITEMS_PARAMETERS as readonly string[]).includes(name)) continue;
    const property = collection.properties.find((p) => p.name === name);
    if (!property) {
      throw badRequest(
        name,
        `Unknown query parameter "${name}"; the filters of ${collection.id} are: ${filterNames(collection).join(', ')}`,
      );
    }
    if (!property.filter)
      throw badRequest(
        name,
        `${collection.id} cannot be filtered by ${name}; filters: ${filterNames(collection).join(', ')}`,
      );
    if (typeof value !== 'string') throw badRequest(name, `${name} must be given once`);
    filters.push([name, value]);
  }
  const cursor = decodeCursor(query.cursor);
  const offset = integer(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  if (cursor && query.offset !== undefined) throw badRequest('cursor', 'give cursor or offset, not both');
  return {
    bbox: parseBBox(query.bbox, 'bbox'),
    datetime: parseDatetime(query.datetime),
    limit: integer(query.limit, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset,
    ...(cursor ? { cursor } : {}),
    filters,
  };
}

export function filterNames(collection: OgcCollection): string[] {
  return collection.properties.filter((p) => p.filter).map((p) => p.name);
}

/** `base` + path + the query with some parameters replaced (undefined: removed). */
export function linkTo(
  base: string,
  path: string,
  query: Query,
  changes: Record<string, string | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...changes })) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, String(item));
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}
