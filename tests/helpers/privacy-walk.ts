/**
 * The privacy walk: every GET the OpenAPI document lists, asked anonymously, and every answer
 * searched for what a grid board (公示牌) does not show (common/rules/public-fields.ts):
 * secretaries' and building/unit heads' names, unpublished phones (in full or masked), and
 * household, population or member figures. JSON is walked key by key, vector tiles are
 * decoded, HTML, PDF and workbooks are read as text.
 *
 * A GET whose required parameter has no sample here makes the walk throw: a new route is
 * walked, or the test says why not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import ExcelJS from 'exceljs';
import type { DB } from '../../server/db/schema.ts';
import { tileAt } from '../../server/geo/tile-math.ts';

/** What must never reach an anonymous reader, read from the database. */
export interface PrivateValues {
  /** Party secretaries and building/unit heads (minus anyone who is also a grid worker). */
  names: string[];
  /** Phones the street office has not published, and the phones residents left on their cases. */
  phones: string[];
}

/** Sample values for the walk's parameters, chosen so that each answer has something to leak. */
export interface WalkSamples {
  district: string;
  street: string;
  community: string;
  /** A grid with a secretary, an unpublished grid-worker phone and a building head. */
  grid: string;
  org: string;
  station: string;
  building: string;
  point: [number, number];
  collections: string[];
  /** A resident's case (reported with a phone) and its tracking token: the reporter's page must not echo the phone. */
  ticket?: string;
  token?: string;
}

export async function privateValues(db: Kysely<DB>): Promise<PrivateValues> {
  const { rows: names } = await sql<{ name: string }>`
    SELECT secretary_name AS name FROM party_orgs WHERE secretary_name IS NOT NULL
    UNION SELECT name FROM grid_workers WHERE role IN ('building_head', 'unit_head')
    EXCEPT SELECT name FROM grid_workers WHERE role IN ('full_time', 'part_time')`.execute(db);
  const { rows: phones } = await sql<{ phone: string }>`
    SELECT phone FROM grid_workers WHERE NOT phone_public
    EXCEPT SELECT phone FROM grid_workers WHERE phone_public
    EXCEPT SELECT phone FROM stations WHERE phone IS NOT NULL
    UNION SELECT reporter_phone FROM cases WHERE reporter_phone IS NOT NULL`.execute(db);
  return { names: names.map((r) => r.name), phones: phones.map((r) => r.phone) };
}

export async function walkSamples(db: Kysely<DB>): Promise<WalkSamples> {
  const { rows } = await sql<{
    grid: string;
    community: string;
    street: string;
    district: string;
    org: string;
    x: number;
    y: number;
  }>`
    SELECT g.code AS grid, c.code AS community, s.code AS street, s.parent_code AS district, o.code AS org,
      ST_X(ST_PointOnSurface(g.geom))::float8 AS x, ST_Y(ST_PointOnSurface(g.geom))::float8 AS y
    FROM grids g JOIN regions c ON c.code = g.community_code JOIN regions s ON s.code = c.parent_code
    JOIN org_grids og ON og.grid_code = g.code JOIN party_orgs o ON o.code = og.org_code
    WHERE o.secretary_name IS NOT NULL
      AND EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time' AND NOT w.phone_public)
      AND EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'building_head')
    ORDER BY g.code LIMIT 1`.execute(db);
  const g = rows[0];
  if (!g) throw new Error('privacy walk: no grid with a secretary, an unpublished phone and a building head');
  const station = await sql<{ code: string }>`SELECT code FROM stations ORDER BY code LIMIT 1`.execute(db);
  const building = await sql<{ code: string }>`
    SELECT code FROM buildings WHERE households > 0 ORDER BY code LIMIT 1`.execute(db);
  return {
    district: g.district,
    street: g.street,
    community: g.community,
    grid: g.grid,
    org: g.org,
    station: station.rows[0]!.code,
    building: building.rows[0]!.code,
    point: [g.x, g.y],
    collections: [],
  };
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { enum?: string[] };
}
export interface OpenApiDocument {
  paths: Record<string, { get?: { parameters?: OpenApiParameter[] } }>;
}

/** The values a path parameter is walked with: an enum's every value, else the samples. */
function pathValues(path: string, p: OpenApiParameter, s: WalkSamples): string[] {
  if (p.schema?.enum) return p.schema.enum;
  const [x, y] = s.point;
  const zoom = (z: number) => tileAt(x, y, z);
  const byName: Record<string, string[]> = {
    id: s.collections,
    z: ['14', '12'],
  };
  if (p.name === 'code') {
    if (path.startsWith('/api/regions')) return [s.district, s.street, s.community];
    if (path.includes('/grids/{code}')) return [s.grid];
    if (path.startsWith('/api/party-orgs')) return [s.org];
    if (path.startsWith('/api/public/communities')) return [s.community];
    if (path.startsWith('/api/public/stations')) return [s.station];
  }
  if (p.name === 'x' || p.name === 'y') return ['14', '12'].map((z) => String(zoom(Number(z))[p.name as 'x' | 'y']));
  if (p.name === 'featureId') return ['*'];
  if ((p.name === 'id' || p.name === 'pid') && path.startsWith('/api/drafts')) return ['1'];
  if (p.name === 'ticket' && s.ticket) return [s.ticket];
  const values = byName[p.name];
  if (!values?.length) throw new Error(`privacy walk: no sample for path parameter ${p.name} of GET ${path}`);
  return values;
}

/** Required query parameters by name, and the optional ones that widen the answer. */
function queryValue(path: string, p: OpenApiParameter, s: WalkSamples): string | undefined {
  const [lon, lat] = s.point;
  const values: Record<string, string> = {
    region: s.district,
    street: s.street,
    lon: String(lon),
    lat: String(lat),
    q: '社区',
    layer: 'grids',
    ...(s.token ? { token: s.token } : {}),
  };
  if (p.required) {
    const v = values[p.name];
    if (!v) throw new Error(`privacy walk: no sample for query parameter ${p.name}`);
    return v;
  }
  if (p.name === 'region') return values.region;
  // Every feature of a collection in one page (the OGC maximum).
  if (p.name === 'limit' && path.startsWith('/ogc/')) return '10000';
  return undefined;
}

/** The OGC feature ids to walk per collection. */
async function featureIds(base: string, collection: string): Promise<string[]> {
  const res = await fetch(`${base}/ogc/collections/${collection}/items?limit=3&f=json`);
  const body = (await res.json()) as { features?: { id: string | number }[] };
  return (body.features ?? []).map((f) => String(f.id));
}

/** Every anonymous URL to ask, from the document. */
export async function walkUrls(base: string, doc: OpenApiDocument, samples: WalkSamples): Promise<string[]> {
  const urls: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const get = item.get;
    if (!get) continue;
    const params = get.parameters ?? [];
    let paths: { path: string; collection?: string }[] = [{ path }];
    for (const p of params.filter((q) => q.in === 'path')) {
      const next: typeof paths = [];
      for (const partial of paths) {
        if (p.name === 'featureId') {
          for (const id of await featureIds(base, partial.collection!))
            next.push({ ...partial, path: partial.path.replace(`{${p.name}}`, encodeURIComponent(id)) });
          continue;
        }
        for (const v of pathValues(path, p, samples))
          next.push({
            path: partial.path.replace(`{${p.name}}`, encodeURIComponent(v)),
            collection: p.name === 'id' ? v : partial.collection,
          });
      }
      paths = next;
    }
    const query = new URLSearchParams();
    for (const p of params.filter((q) => q.in === 'query')) {
      const v = queryValue(path, p, samples);
      if (v) query.set(p.name, v);
    }
    const formats = params.some((p) => p.name === 'f' && p.in === 'query') ? ['json', 'html'] : [undefined];
    for (const { path: filled } of paths)
      for (const f of formats) {
        const q = new URLSearchParams(query);
        if (f) q.set('f', f);
        const qs = q.toString();
        urls.push(`${filled}${qs ? `?${qs}` : ''}`);
      }
  }
  return urls;
}

const PRIVATE_KEY = /household|population|member_count|secretary|^band$/i;
const MASKED_PHONE = /\d{3}\*{4}\d{4}/;

/** The text of an answer to search, and its JSON (or decoded tile) to walk key by key. */
async function readAnswer(res: Response): Promise<{ text: string; json?: unknown }> {
  const type = res.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (type.includes('vector-tile') || type.includes('protobuf')) {
    const tile = new VectorTile(new PbfReader(bytes));
    const layers: Record<string, unknown[]> = {};
    for (const [name, layer] of Object.entries(tile.layers))
      layers[name] = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    return { text: JSON.stringify(layers), json: layers };
  }
  if (type.includes('pdf')) return { text: pdfText(bytes) };
  if (type.includes('spreadsheetml')) return { text: await workbookText(bytes) };
  const text = new TextDecoder().decode(bytes);
  if (type.includes('json')) return { text, json: text ? (JSON.parse(text) as unknown) : undefined };
  return { text };
}

function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'privacy-walk-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function workbookText(bytes: Uint8Array): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes.buffer as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(`${sheet.name}!${cell.address}=${String(cell.text)}`))),
  );
  return cells.join('\n');
}

/**
 * Private figures under a key: a number or text where a board shows nothing. A TileJSON's
 * `fields` declares the names and types of a layer's properties, not their values.
 */
function privateKeys(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => privateKeys(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [key, v] of Object.entries(value)) {
      if (key === 'fields' && path.includes('vector_layers')) continue;
      if (PRIVATE_KEY.test(key) && (typeof v === 'number' || (typeof v === 'string' && v !== '')))
        out.push(`${path}.${key} = ${JSON.stringify(v)}`);
      privateKeys(v, `${path}.${key}`, out);
    }
}

const CJK = '\\u3400-\\u9fff';
const patterns = new WeakMap<string[], RegExp>();
/**
 * The names as whole words: not inside a longer run of Chinese characters, so a person
 * called 文明 is found in "书记：文明" but not in 新时代文明实践站.
 */
function namesPattern(names: string[]): RegExp {
  let re = patterns.get(names);
  if (!re) {
    if (!names.length) return /(?!)/g;
    const alternatives = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    re = new RegExp(`(?<![${CJK}])(?:${alternatives})(?![${CJK}])`, 'gu');
    patterns.set(names, re);
  }
  return re;
}

/** What one answer leaks (empty: nothing). */
export function findLeaks(text: string, json: unknown, values: PrivateValues): string[] {
  const leaks: string[] = [];
  if (json !== undefined) privateKeys(json, '$', leaks);
  for (const m of text.matchAll(namesPattern(values.names))) leaks.push(`name ${m[0]}`);
  for (const phone of values.phones) if (text.includes(phone)) leaks.push(`unpublished phone ${phone}`);
  const masked = MASKED_PHONE.exec(text);
  if (masked) leaks.push(`masked phone ${masked[0]}`);
  return leaks;
}

export interface WalkResult {
  /** Every URL asked, with its status. */
  asked: { url: string; status: number; type: string }[];
  /** url → what leaked. */
  leaks: Record<string, string[]>;
}

/** Asks every URL anonymously (or with a session `cookie`) and collects the leaks. */
export async function walk(base: string, urls: string[], values: PrivateValues, cookie?: string): Promise<WalkResult> {
  const result: WalkResult = { asked: [], leaks: {} };
  for (const url of urls) {
    const res = await fetch(base + url, cookie ? { headers: { cookie } } : {});
    const type = res.headers.get('content-type') ?? '';
    result.asked.push({ url, status: res.status, type });
    const { text, json } = await readAnswer(res);
    const leaks = findLeaks(text, json, values);
    if (leaks.length) result.leaks[url] = leaks.slice(0, 30);
  }
  return result;
}
