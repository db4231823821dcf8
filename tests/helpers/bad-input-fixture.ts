/**
 * The demo-district places the bad-input suites write to: a grid of editor-003's street with
 * a neighbour sharing an edge, a 20 m square inside it, a party organisation and a station of
 * the street, and a fresh draft. Found by SQL so the suites hold when the demo changes.
 */
import { request } from 'node:http';
import { sql } from 'kysely';
import type { TestServer } from './test-server.ts';
import { sessionCookie } from './session.ts';
import { httpClient } from './http-client.ts';
import { readDemoDataset } from '../../data/load.ts';

export const STREET = '131002003000';
export const EDITOR = 'editor-003';
export const OTHER_EDITOR = 'editor-001';
/** ~20 m at 39.5° N. */
export const SIDE = 0.0002;

export interface BadInputFixture {
  cookies: Record<string, string>;
  grid: string;
  neighbour: string;
  community: string;
  /** South-west corner of a SIDE × SIDE square inside `grid`. */
  x: number;
  y: number;
  org: string;
  station: string;
  draft: number;
  /** Published ETag of `grid` and `neighbour` (editor) and of `grid` in /ogc. */
  tag: string;
  neighbourTag: string;
  ogcTag: string;
  stationTag: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: { error?: { code: string; message: string; param?: string; [k: string]: unknown } } & Record<string, unknown>;
}

/** One request with a raw body; the answer's JSON (null when the body is not JSON). */
export async function send(
  server: TestServer,
  method: string,
  path: string,
  options: { cookie?: string; text?: string; ifMatch?: string; contentType?: string; body?: BodyInit } = {},
): Promise<Answer> {
  const res = await httpClient(server.url).request<Answer['json']>(method, path, {
    cookie: options.cookie || undefined,
    ifMatch: options.ifMatch,
    raw: options.body ?? options.text,
    contentType: options.text !== undefined ? (options.contentType ?? 'application/json') : '',
  });
  const { text } = res;
  const json = (res.body ?? null) as Answer['json'];
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A request over its own connection that reads the answer while the body is still going out:
 * a server refusing a 20 MB body by its Content-Length answers 413 and closes, which fetch
 * reports as a failed request rather than as the answer.
 */
export function sendEarly(
  server: TestServer,
  method: string,
  path: string,
  options: { cookie?: string; text: string; ifMatch?: string; contentType?: string },
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'content-length': String(Buffer.byteLength(options.text)),
  };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  return new Promise((resolve, reject) => {
    const req = request(server.url + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Answer['json'];
        try {
          json = JSON.parse(text);
        } catch {
          json = null as unknown as Answer['json'];
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode!, headers: h, text, json });
      });
    });
    // The server may close before the whole body is out: that is the point, not a failure.
    req.on('error', (error: NodeJS.ErrnoException) =>
      ['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? undefined : reject(error),
    );
    req.end(options.text);
  });
}

export async function badInputFixture(server: TestServer): Promise<BadInputFixture> {
  const db = server.database.db;
  const cookies: Record<string, string> = {};
  for (const user of ['admin', 'planner', EDITOR, OTHER_EDITOR]) cookies[user] = await sessionCookie(server.url, user);
  const errors = readDemoDataset().meta.deliberateErrors.flatMap((e) => e.grids);
  const { rows } = await sql<{
    grid: string;
    neighbour: string;
    community: string;
    x: number;
    y: number;
    radius: number;
  }>`
    SELECT a.code AS grid, b.code AS neighbour, a.community_code AS community,
           ST_X(c.center)::float8 AS x, ST_Y(c.center)::float8 AS y, c.radius::float8 AS radius
    FROM grids a
    JOIN grids b ON b.community_code = a.community_code AND b.code <> a.code AND b.geom && a.geom
    CROSS JOIN LATERAL ST_MaximumInscribedCircle(a.geom) c
    WHERE a.community_code LIKE ${STREET.slice(0, 9) + '%'} AND NOT (a.code = ANY(${errors}::text[])) AND NOT (b.code = ANY(${errors}::text[]))
      AND ST_Length(ST_Intersection(a.geom, b.geom, 1e-10)) > 0.0005
    ORDER BY c.radius DESC, a.code, b.code LIMIT 1`.execute(db);
  const pick = rows[0]!;
  if (pick.radius < SIDE) throw new Error('no grid wide enough for a 20 m square');
  const org = await sql<{
    code: string;
  }>`SELECT code FROM party_orgs WHERE community_code = ${pick.community} AND kind IN ('branch', 'group') ORDER BY code LIMIT 1`.execute(
    db,
  );
  const station = await sql<{
    code: string;
  }>`SELECT code FROM stations WHERE region_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code LIMIT 1`.execute(db);
  const draft = await send(server, 'POST', '/api/drafts', {
    cookie: cookies[EDITOR],
    text: JSON.stringify({ street: STREET, title: 'bad inputs' }),
  });
  if (draft.status !== 201) throw new Error(`draft: ${draft.text}`);
  const version = async (code: string) =>
    (await sql<{ version: number }>`SELECT version FROM grids WHERE code = ${code}`.execute(db)).rows[0]!.version;
  const ogc = (path: string) => send(server, 'GET', path, { cookie: cookies.admin });
  return {
    cookies,
    grid: pick.grid,
    neighbour: pick.neighbour,
    community: pick.community,
    x: pick.x - SIDE / 2,
    y: pick.y - SIDE / 2,
    org: org.rows[0]!.code,
    station: station.rows[0]!.code,
    draft: draft.json.id as number,
    tag: `"${pick.grid}.v${await version(pick.grid)}"`,
    neighbourTag: `"${pick.neighbour}.v${await version(pick.neighbour)}"`,
    ogcTag: (await ogc(`/ogc/collections/grids/items/${pick.grid}`)).headers.get('etag')!,
    stationTag: (await ogc(`/ogc/collections/stations/items/${station.rows[0]!.code}`)).headers.get('etag')!,
  };
}
