/**
 * Name search for the finder and the main app: streets, communities (村 too), compounds, roads,
 * grids, stations and addresses (门牌: station addresses and building names), by Chinese, full
 * pinyin ("yucai" → 育才社区) or pinyin initials ("ljsq" → 丽景社区). The pinyin of each distinct
 * name is computed once (pinyin-pro, its dictionary handles 多音字) and kept across rebuilds; a
 * query is a scan of plain strings (~285,000 at city scale, a few ms).
 *
 * Ranking: exact (name, full pinyin or code) > prefix (name or full pinyin) > initials (exact,
 * then prefix) > substring (name, pinyin from a syllable start, initials); then by kind weight
 * (SEARCH_KINDS order), shorter names, code.
 */
import { pinyin } from 'pinyin-pro';
import { SEARCH_KINDS, type PublicSearchHit, type SearchKind } from '../../common/contracts/public.ts';

export type SearchType = SearchKind;
export type MatchKind = PublicSearchHit['match'];

export interface SearchEntry {
  type: SearchType;
  code: string;
  name: string;
  /** WGS84 point to centre on. */
  lon: number;
  lat: number;
  /** [west, south, east, north] to frame, or null for a point. */
  bbox: [number, number, number, number] | null;
  context: string;
  /** Households of a street, community or grid: for signed-in answers only, never public. */
  households: number | null;
}

export interface NamePinyin {
  /** Syllables joined, lower-case, no tones; Latin letters and digits kept as written ("第12网格" → "di12wangge"). */
  full: string;
  /** Offsets in `full` where a syllable starts. */
  starts: number[];
  /** First letters ("第12网格" → "d12wg"). */
  initials: string;
}

export interface SearchIndex {
  entries: SearchEntry[];
  /** Lower-cased names, full pinyin, syllable starts, initials and codes, parallel to entries. */
  names: string[];
  full: string[];
  starts: number[][];
  initials: string[];
  codes: string[];
}

const KIND_WEIGHT = Object.fromEntries(SEARCH_KINDS.map((kind, i) => [kind, i])) as Record<SearchType, number>;
const pinyinCache = new Map<string, NamePinyin>();

const HAN = /\p{Script=Han}/u;

/** The name cut as pinyin-pro's `nonZh: 'consecutive'` answers it: one piece per Han character, one per run of others. */
function segments(name: string): { text: string; han: boolean }[] {
  const out: { text: string; han: boolean }[] = [];
  for (const char of name) {
    const han = HAN.test(char);
    const last = out[out.length - 1];
    if (!han && last && !last.han) last.text += char;
    else out.push({ text: char, han });
  }
  return out;
}

/**
 * The full pinyin, syllable starts and initials of a name (cached per distinct name). One
 * `type: 'array'` call per name (~60 µs; `type: 'all'`, which says which piece is Chinese, costs
 * ~300 µs), its pieces matched to the name's own Han / non-Han pieces; ü is written v (lv, nv).
 */
export function namePinyin(name: string): NamePinyin {
  let cached = pinyinCache.get(name);
  if (cached === undefined) {
    const pieces = segments(name);
    let tokens = pinyin(name, { type: 'array', toneType: 'none', nonZh: 'consecutive', v: true });
    let han = pieces.map((p) => p.han);
    if (tokens.length !== pieces.length) {
      const all = pinyin(name, { type: 'all', toneType: 'none', nonZh: 'consecutive', v: true });
      tokens = all.map((item) => (item.isZh ? item.pinyin : item.origin));
      han = all.map((item) => item.isZh);
    }
    let full = '';
    let initials = '';
    const starts: number[] = [];
    tokens.forEach((token, i) => {
      const syllable = token.toLowerCase().replace(/[^a-z0-9]/g, '');
      if (!syllable) return;
      starts.push(full.length);
      full += syllable;
      initials += han[i] ? syllable[0] : syllable;
    });
    cached = { full, starts, initials };
    pinyinCache.set(name, cached);
  }
  return cached;
}

/** Pinyin initials, lower-case; digits and Latin letters kept as they are ("第12网格" → "d12wg"). */
export function pinyinInitials(name: string): string {
  return namePinyin(name).initials;
}

/** Build in slices so a city-sized rebuild never holds the event loop for long. */
export async function buildSearchIndex(entries: SearchEntry[], slice = 5_000): Promise<SearchIndex> {
  const n = entries.length;
  const index: SearchIndex = {
    entries,
    names: new Array<string>(n),
    full: new Array<string>(n),
    starts: new Array<number[]>(n),
    initials: new Array<string>(n),
    codes: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const p = namePinyin(e.name);
    index.names[i] = e.name.toLowerCase();
    index.full[i] = p.full;
    index.starts[i] = p.starts;
    index.initials[i] = p.initials;
    index.codes[i] = e.code.toLowerCase();
    if (i % slice === slice - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return index;
}

/** Ranks, best first; RANK_MATCH says what each means in the answer. */
const EXACT = 0;
const PREFIX = 1;
const INITIALS = 2;
const INITIALS_PREFIX = 3;
const SUBSTRING = 4;
const RANK_MATCH: MatchKind[] = ['exact', 'prefix', 'initials', 'initials', 'substring'];

/** True when `needle` occurs in `full` starting at a syllable ("jing" in "lijing", not "ijin"). */
function atSyllable(full: string, starts: readonly number[], needle: string): boolean {
  for (let at = full.indexOf(needle); at >= 0; at = full.indexOf(needle, at + 1)) {
    if (starts.includes(at)) return true;
  }
  return false;
}

/** How well entry i matches; -1 for no match. `latin`: the needle may be pinyin. */
function rankOf(index: SearchIndex, i: number, needle: string, latin: boolean): number {
  const name = index.names[i]!;
  if (name === needle || index.codes[i] === needle) return EXACT;
  const full = index.full[i]!;
  if (latin && full === needle) return EXACT;
  if (name.startsWith(needle) || (latin && full.startsWith(needle))) return PREFIX;
  if (latin) {
    const initials = index.initials[i]!;
    if (initials === needle) return INITIALS;
    if (initials.startsWith(needle)) return INITIALS_PREFIX;
    if (initials.includes(needle) || atSyllable(full, index.starts[i]!, needle)) return SUBSTRING;
  }
  return name.includes(needle) ? SUBSTRING : -1;
}

/** The query as matched: trimmed, lower-case; pinyin typed with spaces ("li jing") is joined. */
export function normaliseQuery(q: string): { needle: string; latin: boolean } {
  const lower = q.trim().toLowerCase();
  const joined = lower.replace(/[\s']+/g, '');
  const latin = /^[a-z0-9]+$/.test(joined);
  return { needle: latin ? joined : lower, latin };
}

export interface SearchResult {
  entry: SearchEntry;
  match: MatchKind;
}

/** Best hits first: see the ranking in the header comment. */
export function searchNames(index: SearchIndex, q: string, limit: number): SearchResult[] {
  const { needle, latin } = normaliseQuery(q);
  if (!needle) return [];
  const hits: { i: number; rank: number }[] = [];
  for (let i = 0; i < index.entries.length; i++) {
    const rank = rankOf(index, i, needle, latin);
    if (rank >= 0) hits.push({ i, rank });
  }
  const e = index.entries;
  hits.sort(
    (a, b) =>
      a.rank - b.rank ||
      KIND_WEIGHT[e[a.i]!.type] - KIND_WEIGHT[e[b.i]!.type] ||
      e[a.i]!.name.length - e[b.i]!.name.length ||
      (e[a.i]!.code < e[b.i]!.code ? -1 : e[a.i]!.code > e[b.i]!.code ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => ({ entry: e[h.i]!, match: RANK_MATCH[h.rank]! }));
}
