/**
 * A plausible request for every write (and some reads) of the OpenAPI document, aimed at
 * street 131002001000 (editor-001's): the authorization test sends each as the wrong user and
 * expects 401/403, so the body must be one the route would otherwise accept, or a 400 could
 * hide a missing check. Operations without an entry get their path examples and an empty body.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { httpClient } from './http-client.ts';

export const STREET = '131002001000';
export const OTHER_EDITOR = 'editor-002';
export const OWN_EDITOR = 'editor-001';

/** What the fixtures point at: real rows of the demo district in STREET. */
export interface Facts {
  community: string;
  grid: string;
  neighbour: string;
  gridGeometry: { type: string; coordinates: unknown };
  gridEtag: string;
  bbox: [number, number, number, number];
  org: string;
  station: string;
  stationEtag: string;
  stationPoint: [number, number];
  draft: number;
  changeset: number;
}

export interface AuthzRequest {
  path: string;
  body?: unknown;
  /** Multipart upload instead of JSON (built fresh for every send). */
  form?: () => FormData;
  headers?: Record<string, string>;
  /** The target lies in STREET: another street's editor must get 403. */
  street: boolean;
}

type Fixture = (f: Facts) => AuthzRequest | AuthzRequest[];

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});
const comment = 'authorization test';

/** Fixtures by "METHOD /path" as in the OpenAPI document. */
export const FIXTURES: Record<string, Fixture> = {
  'POST /api/party-orgs': (f) => ({
    path: '/api/party-orgs',
    street: true,
    body: { code: 'AUTHZ-1', name: '测试党小组', kind: 'group', parent_code: f.org, community_code: f.community },
  }),
  'PATCH /api/party-orgs/{code}': (f) => ({ path: `/api/party-orgs/${f.org}`, street: true, body: { name: '改名' } }),
  'DELETE /api/party-orgs/{code}': (f) => ({ path: `/api/party-orgs/${f.org}`, street: true }),
  'PUT /api/party-orgs/{code}/grids': (f) => ({
    path: `/api/party-orgs/${f.org}/grids`,
    street: true,
    body: { grids: [f.grid] },
  }),
  'PUT /api/settings/household-bounds': () => ({
    path: '/api/settings/household-bounds',
    street: false,
    body: { district: '131002000000', min: 300, max: 500 },
  }),
  'POST /api/drafts': () => ({ path: '/api/drafts', street: true, body: { street: STREET, title: 'authz' } }),
  'POST /api/drafts/{id}/discard': (f) => ({ path: `/api/drafts/${f.draft}/discard`, street: true }),
  'GET /api/drafts/{id}/check': (f) => ({ path: `/api/drafts/${f.draft}/check`, street: true }),
  'POST /api/drafts/{id}/grids': (f) => ({
    path: `/api/drafts/${f.draft}/grids`,
    street: true,
    body: {
      geometry: square((f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2, 0.0001),
      community: f.community,
      name: '新网格',
      kind: 'residential',
      comment,
    },
  }),
  'PATCH /api/drafts/{id}/grids/{code}': (f) => ({
    path: `/api/drafts/${f.draft}/grids/${f.grid}`,
    street: true,
    body: { name: '改名', comment },
    headers: { 'if-match': f.gridEtag },
  }),
  'POST /api/drafts/{id}/grids/{code}/split': (f) => {
    const y = (f.bbox[1] + f.bbox[3]) / 2;
    return {
      path: `/api/drafts/${f.draft}/grids/${f.grid}/split`,
      street: true,
      headers: { 'if-match': f.gridEtag },
      body: {
        line: {
          type: 'LineString',
          coordinates: [
            [f.bbox[0] - 0.001, y],
            [f.bbox[2] + 0.001, y],
          ],
        },
        comment,
      },
    };
  },
  'POST /api/drafts/{id}/grids/{code}/split/preview': (f) => {
    const y = (f.bbox[1] + f.bbox[3]) / 2;
    return {
      path: `/api/drafts/${f.draft}/grids/${f.grid}/split/preview`,
      street: true,
      body: {
        line: {
          type: 'LineString',
          coordinates: [
            [f.bbox[0] - 0.001, y],
            [f.bbox[2] + 0.001, y],
          ],
        },
      },
    };
  },
  'POST /api/drafts/{id}/grids/{code}/retire': (f) => ({
    path: `/api/drafts/${f.draft}/grids/${f.grid}/retire`,
    street: true,
    body: { comment },
    headers: { 'if-match': f.gridEtag },
  }),
  'POST /api/drafts/{id}/grids/{code}/boundary': (f) => ({
    path: `/api/drafts/${f.draft}/grids/${f.grid}/boundary`,
    street: true,
    headers: { 'if-match': f.gridEtag },
    body: { neighbour: f.neighbour, geometry: f.gridGeometry, comment },
  }),
  'POST /api/drafts/{id}/merge': (f) => ({
    path: `/api/drafts/${f.draft}/merge`,
    street: true,
    body: { codes: [f.grid, f.neighbour], comment },
  }),
  'POST /api/drafts/{id}/changesets/{changeset}/undo': (f) => ({
    path: `/api/drafts/${f.draft}/changesets/${f.changeset}/undo`,
    street: true,
    body: { comment },
  }),
  'POST /api/drafts/{id}/changesets/{changeset}/redo': (f) => ({
    path: `/api/drafts/${f.draft}/changesets/${f.changeset}/redo`,
    street: true,
    body: { comment },
  }),
  'POST /api/drafts/{id}/publish': (f) => ({ path: `/api/drafts/${f.draft}/publish`, street: true, body: { comment } }),
  'POST /api/roads': (f) => ({
    path: `/api/roads?region=${f.community}`,
    street: true,
    body: {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '测试路' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [f.bbox[0], f.bbox[1]],
              [f.bbox[2], f.bbox[3]],
            ],
          },
        },
      ],
    },
  }),
  'POST /api/import': (f) => ({
    path: '/api/import',
    street: true,
    form: () => {
      const form = new FormData();
      const file = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'AUTHZ-S1', name: '测试站点', kind: 'red_post' },
            geometry: { type: 'Point', coordinates: f.stationPoint },
          },
        ],
      };
      form.append('file', new Blob([JSON.stringify(file)]), 'stations.geojson');
      form.append('layer', 'stations');
      form.append('commit', '1');
      return form;
    },
  }),
  // A 12345 ticket at a station of STREET, for STREET's queue: another street's editor naming it gets 403.
  'POST /api/import/cases': (f) => ({
    path: '/api/import/cases',
    street: true,
    form: () => {
      const form = new FormData();
      const csv = `工单编号,来电时间,类别,诉求内容,经度,纬度\nAUTHZ-1,2026-12-01 09:00,环境卫生,垃圾未清运,${f.stationPoint[0]},${f.stationPoint[1]}\n`;
      form.append('file', new Blob([csv]), 'tickets.csv');
      form.append('street', STREET);
      form.append('commit', '1');
      return form;
    },
  }),
  // Not street-scoped: the fields of a layer are the same for every street.
  'GET /api/import/fields': () => ({ path: '/api/import/fields?layer=stations', street: false }),
  'POST /ogc/collections/{id}/items': (f) => [
    {
      path: '/ogc/collections/stations/items',
      street: true,
      body: {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: f.stationPoint },
        properties: { name: '测试站点', kind: 'red_post', region_code: f.community },
      },
    },
    {
      path: '/ogc/collections/grids/items',
      street: true,
      body: {
        type: 'Feature',
        geometry: square((f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2, 0.0001),
        properties: { name: '新网格', kind: 'residential', community_code: f.community },
      },
    },
  ],
  'PUT /ogc/collections/{id}/items/{featureId}': (f) => [
    {
      path: `/ogc/collections/grids/items/${f.grid}`,
      street: true,
      headers: { 'if-match': f.gridEtag },
      body: { type: 'Feature', geometry: f.gridGeometry, properties: { name: '改名' } },
    },
    {
      path: `/ogc/collections/stations/items/${f.station}`,
      street: true,
      headers: { 'if-match': f.stationEtag },
      body: {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: f.stationPoint },
        properties: { name: '改名', kind: 'red_post', region_code: f.community },
      },
    },
  ],
  'DELETE /ogc/collections/{id}/items/{featureId}': (f) => [
    { path: `/ogc/collections/grids/items/${f.grid}`, street: true, headers: { 'if-match': f.gridEtag } },
    { path: `/ogc/collections/stations/items/${f.station}`, street: true, headers: { 'if-match': f.stationEtag } },
  ],
  // Reads for signed-in users, with the parameters they need.
  'GET /api/party-orgs/{code}/area': (f) => ({ path: `/api/party-orgs/${f.org}/area`, street: false }),
  'GET /api/drafts': () => ({ path: `/api/drafts?street=${STREET}`, street: false }),
  'GET /api/drafts/{id}': (f) => ({ path: `/api/drafts/${f.draft}`, street: false }),
  'GET /api/drafts/{id}/grids/{code}': (f) => ({ path: `/api/drafts/${f.draft}/grids/${f.grid}`, street: false }),
  'GET /api/grids/{code}/history': (f) => ({ path: `/api/grids/${f.grid}/history`, street: false }),
  'GET /api/changesets': () => ({ path: `/api/changesets?street=${STREET}`, street: false }),
  'GET /api/validation': (f) => ({ path: `/api/validation?region=${f.community}`, street: false }),
  'POST /api/validation/preview': (f) => ({
    path: '/api/validation/preview',
    street: false,
    body: { geometry: f.gridGeometry, replaces: f.grid },
  }),
  'GET /api/coverage/party': (f) => ({ path: `/api/coverage/party?region=${f.community}`, street: false }),
  'GET /api/coverage/stations': (f) => ({ path: `/api/coverage/stations?region=${f.community}`, street: false }),
  'POST /api/coverage/stations/suggest': (f) => ({
    path: '/api/coverage/stations/suggest',
    street: false,
    body: { region: f.community, k: 1 },
  }),
  'GET /api/cases/points': (f) => ({ path: `/api/cases/points?region=${f.community}`, street: false }),
  'GET /api/reports/coverage.xlsx': (f) => ({
    path: `/api/reports/coverage.xlsx?region=${f.community}`,
    street: false,
  }),
  'GET /api/reports/coverage.geojson': (f) => ({
    path: `/api/reports/coverage.geojson?region=${f.community}`,
    street: false,
  }),
  'GET /api/export': (f) => ({ path: `/api/export?layer=grids&region=${f.community}`, street: false }),
  // Issue 15: repairs in a draft (street-scoped) and allowed gaps (admins only).
  'POST /api/drafts/{id}/repairs': (f) => ({
    path: `/api/drafts/${f.draft}/repairs`,
    street: true,
    body: { region: f.community, maxAreaM2: 2000, comment },
  }),
  // Issue 19: grid proposals in a draft of STREET (street-scoped writes; the proposal read is for any user).
  'POST /api/drafts/{id}/proposals': (f) => ({
    path: `/api/drafts/${f.draft}/proposals`,
    street: true,
    body: { community: f.community, mode: 'rebalance' },
  }),
  'POST /api/drafts/{id}/proposals/{pid}/apply': (f) => ({
    path: `/api/drafts/${f.draft}/proposals/1/apply`,
    street: true,
    body: { comment },
  }),
  'GET /api/drafts/{id}/proposals/{pid}': (f) => ({ path: `/api/drafts/${f.draft}/proposals/1`, street: false }),
  'POST /api/validation/exceptions': (f) => ({
    path: '/api/validation/exceptions',
    street: true,
    body: { geometry: square((f.bbox[0] + f.bbox[2]) / 2, (f.bbox[1] + f.bbox[3]) / 2, 0.0001), reason: comment },
  }),
  'DELETE /api/validation/exceptions/{id}': () => ({
    path: '/api/validation/exceptions/1',
    street: true,
    body: { reason: comment },
  }),
  'GET /api/validation/exceptions': (f) => ({
    path: `/api/validation/exceptions?region=${f.community}`,
    street: false,
  }),
};

/** A request for an operation without a fixture: path examples (or "1") and an empty JSON body. */
export function fallbackRequest(
  path: string,
  op: { parameters?: { in: string; name: string; schema?: { examples?: unknown[] } }[] },
): AuthzRequest {
  const params = op.parameters ?? [];
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    String(params.find((p) => p.in === 'path' && p.name === name)?.schema?.examples?.[0] ?? '1'),
  );
  return { path: filled, body: {}, street: false };
}

/**
 * The facts, read from the demo district; a draft with one changeset is opened as admin, so
 * that the draft routes have something real to aim at (written before the baseline checksum).
 */
export async function loadFacts(db: Kysely<DB>, url: string, adminCookie: string): Promise<Facts> {
  const {
    rows: [g],
  } = await sql<{ community: string; grid: string; neighbour: string; geometry: string; bbox: string }>`
    SELECT a.community_code AS community, a.code AS grid, b.code AS neighbour, ST_AsGeoJSON(a.geom) AS geometry,
           concat_ws(',', ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)) AS bbox
    FROM grids a JOIN grids b ON b.community_code = a.community_code AND b.code <> a.code AND ST_Relate(a.geom, b.geom, '****1****')
    WHERE a.community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY a.code, b.code LIMIT 1`.execute(db);
  const {
    rows: [o],
  } = await sql<{ code: string }>`
    SELECT p.code FROM party_orgs p WHERE p.community_code = ${g!.community} AND p.kind IN ('branch', 'group') ORDER BY p.code LIMIT 1`.execute(
    db,
  );
  const {
    rows: [s],
  } = await sql<{ code: string; x: number; y: number }>`
    SELECT code, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM stations WHERE region_code = ${g!.community} ORDER BY code LIMIT 1`.execute(
    db,
  );
  if (!g || !o || !s)
    throw new Error(`the demo district has no grid pair, party organisation or station in street ${STREET}`);
  const http = httpClient(url);
  const cookie = adminCookie;
  const draft = (
    await http.post<{ id: number }>('/api/drafts', { cookie, body: { street: STREET, title: 'authz fixtures' } })
  ).body;
  const gridEtag = (await http.get(`/api/drafts/${draft.id}/grids/${g.grid}`, { cookie })).etag!;
  const edit = await http.patch<{ changeset: number; grids: { code: string; etag: string }[] }>(
    `/api/drafts/${draft.id}/grids/${g.grid}`,
    { cookie, ifMatch: gridEtag, body: { name: '网格甲', comment } },
  );
  if (edit.status !== 200) throw new Error(`fixture edit failed: ${edit.status} ${edit.text}`);
  const { changeset, grids } = edit.body;
  const stationEtag = (await http.get(`/ogc/collections/stations/items/${s.code}`, { cookie })).etag!;
  const ogcGridEtag = (await http.get(`/ogc/collections/grids/items/${g.grid}`, { cookie })).etag!;
  const bbox = g.bbox.split(',').map(Number) as Facts['bbox'];
  return {
    community: g.community,
    grid: g.grid,
    neighbour: g.neighbour,
    gridGeometry: JSON.parse(g.geometry),
    bbox,
    // The draft's ETag for draft routes; the OGC item's differs, so OGC fixtures get their own below.
    gridEtag: [grids[0]!.etag, ogcGridEtag].filter(Boolean).join(', '),
    org: o.code,
    station: s.code,
    stationEtag,
    stationPoint: [s.x, s.y],
    draft: draft.id,
    changeset,
  };
}
