/**
 * Name search for the finder: compounds, communities, stations and grids by a part of their
 * name or by pinyin initials ("hjy" finds 和家园). Initials are computed once per distinct name
 * when the index is built (pinyin-pro, ~40 µs a name) and kept across rebuilds; a query is a
 * scan of plain strings (~285,000 at city scale, a few ms).
 */
import { pinyin } from 'pinyin-pro';
import type { PublicSearchHit } from '../../common/contracts/public.ts';

export type SearchType = PublicSearchHit['type'];

export interface SearchEntry {
  type: SearchType;
  code: string;
  name: string;
  /** WGS84. */
  lon: number;
  lat: number;
  context: string;
}

export interface SearchIndex {
  entries: SearchEntry[];
  /** Lower-cased names and initials, parallel to entries. */
  names: string[];
  initials: string[];
}

const TYPE_ORDER: Record<SearchType, number> = { community: 0, compound: 1, station: 2, grid: 3 };
const initialsCache = new Map<string, string>();

/** Pinyin initials, lower-case; digits and Latin letters kept as they are ("第12网格" → "d12wg"). */
export function pinyinInitials(name: string): string {
  let cached = initialsCache.get(name);
  if (cached === undefined) {
    cached = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
      .join('')
      .toLowerCase()
      .replace(/\s+/g, '');
    initialsCache.set(name, cached);
  }
  return cached;
}

/** Build in slices so a city-sized rebuild never holds the event loop for long. */
export async function buildSearchIndex(entries: SearchEntry[], slice = 5_000): Promise<SearchIndex> {
  const names: string[] = new Array(entries.length);
  const initials: string[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    names[i] = entries[i]!.name.toLowerCase();
    initials[i] = pinyinInitials(entries[i]!.name);
    if (i % slice === slice - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return { entries, names, initials };
}

function quality(haystack: string, needle: string): number {
  if (haystack === needle) return 0;
  if (haystack.startsWith(needle)) return 1;
  return haystack.includes(needle) ? 2 : -1;
}

/** Best hits first: exact, then prefix, then substring; communities before compounds, stations, grids; shorter names first. */
export function searchNames(index: SearchIndex, q: string, limit: number): SearchEntry[] {
  const needle = q.trim().toLowerCase();
  const latin = /^[a-z0-9]+$/.test(needle);
  const hits: { i: number; rank: number }[] = [];
  for (let i = 0; i < index.entries.length; i++) {
    let rank = quality(index.names[i]!, needle);
    if (latin) {
      const byInitials = quality(index.initials[i]!, needle);
      if (byInitials >= 0 && (rank < 0 || byInitials < rank)) rank = byInitials;
    }
    if (rank >= 0) hits.push({ i, rank });
  }
  const e = index.entries;
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      TYPE_ORDER[e[a.i]!.type] - TYPE_ORDER[e[b.i]!.type] ||
      e[a.i]!.name.length - e[b.i]!.name.length ||
      (e[a.i]!.code < e[b.i]!.code ? -1 : e[a.i]!.code > e[b.i]!.code ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => e[h.i]!);
}
