/**
 * Every write route of the API as a table for the bad-input suites: how to send it a body
 * (raw JSON text), a body it would accept, and the fields the server owns. Geometry routes
 * also say how to wrap a polygon or a line in their body.
 */
import { EDITOR, sendEarly, type Answer, type BadInputFixture } from './bad-input-fixture.ts';
import { squareRing } from './bad-inputs.ts';
import type { TestServer } from './test-server.ts';

export interface WriteRoute {
  name: string;
  /** Send `text` as the body (JSON unless `contentType` says otherwise). */
  send: (text: string, contentType?: string) => Promise<Answer>;
  /** The same, over a fresh connection that reads an early answer (bodies over the limit). */
  sendEarly: (text: string) => Promise<Answer>;
  /** A body the route would accept (the bad cases add to it or replace it). */
  valid: Record<string, unknown>;
  /** Server-owned fields a client might send back (each must be a 400 naming it). */
  owned: Record<string, unknown>;
  /** Wrap a polygon (JSON text) in this route's body: the geometry routes. */
  polygon?: (geometry: string) => string;
  /** Wrap a line (JSON text): split and roads. */
  line?: (geometry: string) => string;
}

/** A JSON object's text with `extra` (raw JSON member text) appended. */
export const withMember = (body: Record<string, unknown>, member: string) =>
  JSON.stringify(body).replace(/}$/, `,${member}}`);

export function writeRoutes(server: TestServer, f: BadInputFixture): WriteRoute[] {
  const ed = f.cookies[EDITOR]!;
  const admin = f.cookies.admin!;
  const D = `/api/drafts/${f.draft}`;
  const both = `${f.tag}, ${f.neighbourTag}`;
  const square = { type: 'Polygon', coordinates: [squareRing(f.x, f.y, 0.0002)] };
  const cut = {
    type: 'LineString',
    coordinates: [
      [f.x + 0.0001, f.y - 0.01],
      [f.x + 0.0001, f.y + 0.01],
    ],
  };
  const geo = 'application/geo+json';
  type Sender = Pick<WriteRoute, 'send' | 'sendEarly'>;
  const to = (method: string, path: string, cookie: string, ifMatch?: string, type?: string): Sender => ({
    // Each on its own connection: a keep-alive socket the server closes while the test builds
    // the next 4 MB body would otherwise fail the next request (ECONNRESET) for no reason of its own.
    send: (text, contentType) =>
      sendEarly(server, method, path, { cookie, text, ifMatch, contentType: contentType ?? type }),
    sendEarly: (text) => sendEarly(server, method, path, { cookie, text, ifMatch, contentType: type }),
  });
  const post = (path: string, cookie: string, ifMatch?: string, type?: string) =>
    to('POST', path, cookie, ifMatch, type);
  const put = (path: string, cookie: string, ifMatch: string, method = 'PUT', type?: string) =>
    to(method, path, cookie, ifMatch, type);
  const gridFeature = {
    type: 'Feature',
    geometry: square,
    properties: { name: '坏输入', kind: 'residential', community_code: f.community },
  };
  const stationFeature = {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [f.x, f.y] },
    properties: { name: '坏输入站', kind: 'red_post', region_code: f.community },
  };
  const roads = (geometry: string) =>
    `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"路"},"geometry":${geometry}}]}`;
  const comment = '坏输入测试';
  return [
    {
      name: 'POST /api/drafts',
      ...post('/api/drafts', ed),
      valid: { street: f.community.slice(0, 9) + '000', title: 't' },
      owned: { id: 1, status: 'open', created_by: 1 },
    },
    {
      name: 'POST drafts/:id/grids',
      ...post(`${D}/grids`, ed),
      valid: { geometry: square, community: f.community, name: '坏输入', kind: 'residential', comment },
      owned: { code: `${f.community}999`, version: 1, street: '131002003000' },
      polygon: (g) =>
        withMember({ community: f.community, name: '坏输入', kind: 'residential', comment }, `"geometry":${g}`),
    },
    {
      name: 'PATCH drafts/:id/grids/:code',
      ...put(`${D}/grids/${f.grid}`, ed, f.tag, 'PATCH'),
      valid: { name: '坏输入', comment },
      owned: { code: f.grid, version: 2, community: f.community, street: '131002003000', households_source: 'manual' },
      polygon: (g) => withMember({ comment }, `"geometry":${g}`),
    },
    {
      name: 'POST …/split',
      ...post(`${D}/grids/${f.grid}/split`, ed, f.tag),
      valid: { line: cut, comment },
      owned: { code: f.grid, codes: [] },
      line: (g) => withMember({ comment }, `"line":${g}`),
    },
    {
      name: 'POST …/merge',
      ...post(`${D}/merge`, ed, both),
      valid: { codes: [f.grid, f.neighbour], comment },
      owned: { code: f.grid, community: f.community },
    },
    {
      name: 'POST …/boundary',
      ...post(`${D}/grids/${f.grid}/boundary`, ed, both),
      valid: { neighbour: f.neighbour, geometry: square, comment },
      owned: { version: 3 },
      polygon: (g) => withMember({ neighbour: f.neighbour, comment }, `"geometry":${g}`),
    },
    {
      name: 'POST …/retire',
      ...post(`${D}/grids/${f.grid}/retire`, ed, f.tag),
      valid: { comment },
      owned: { retired: true },
    },
    { name: 'POST …/undo', ...post(`${D}/changesets/1/undo`, ed), valid: { comment }, owned: { user_id: 1 } },
    { name: 'POST …/redo', ...post(`${D}/changesets/1/redo`, ed), valid: { comment }, owned: { user_id: 1 } },
    { name: 'POST …/publish', ...post(`${D}/publish`, ed), valid: { comment }, owned: { status: 'published' } },
    {
      name: 'POST /api/validation/preview',
      ...post('/api/validation/preview', ed),
      valid: { geometry: square, replaces: f.grid },
      owned: { id: 1 },
      polygon: (g) => withMember({ replaces: f.grid }, `"geometry":${g}`),
    },
    {
      name: 'POST /api/coverage/stations/suggest',
      ...post('/api/coverage/stations/suggest', ed),
      valid: { region: f.community, k: 1 },
      owned: { id: 1 },
    },
    {
      name: 'POST /api/party-orgs',
      ...post('/api/party-orgs', ed),
      valid: { code: 'BADINPUT1', name: '坏输入党小组', kind: 'group', parent_code: null, community_code: f.community },
      owned: { id: 1, street_code: '131002003000' },
    },
    {
      name: 'PATCH /api/party-orgs/:code',
      ...put(`/api/party-orgs/${f.org}`, ed, '', 'PATCH'),
      valid: { name: '坏输入' },
      owned: { code: f.org, id: 1 },
    },
    {
      name: 'PUT /api/party-orgs/:code/grids',
      ...put(`/api/party-orgs/${f.org}/grids`, ed, ''),
      valid: { grids: [f.grid] },
      owned: { code: f.org },
    },
    {
      name: 'POST /api/roads',
      ...post(`/api/roads?region=${f.community}`, ed),
      valid: JSON.parse(roads(JSON.stringify(cut))),
      owned: {},
      line: roads,
    },
    {
      name: 'POST /ogc grids',
      ...post('/ogc/collections/grids/items', ed, undefined, geo),
      valid: gridFeature,
      owned: {},
      polygon: (g) => withMember({ type: 'Feature', properties: gridFeature.properties }, `"geometry":${g}`),
    },
    {
      name: 'PUT /ogc grids/:code',
      ...put(`/ogc/collections/grids/items/${f.grid}`, ed, f.ogcTag, 'PUT', geo),
      valid: gridFeature,
      owned: {},
      polygon: (g) => withMember({ type: 'Feature', properties: gridFeature.properties }, `"geometry":${g}`),
    },
    {
      name: 'POST /ogc stations',
      ...post('/ogc/collections/stations/items', ed, undefined, geo),
      valid: stationFeature,
      owned: {},
    },
    {
      name: 'PUT /ogc stations/:code',
      ...put(`/ogc/collections/stations/items/${f.station}`, admin, f.stationTag, 'PUT', geo),
      valid: stationFeature,
      owned: {},
    },
    // Issue 15: repairs in a draft and allowed gaps (ADR 0013).
    {
      name: 'POST …/repairs',
      ...post(`${D}/repairs`, ed),
      valid: { problem: `gap:${f.community}:0,0`, comment },
      owned: { changeset: 1 },
    },
    {
      name: 'POST …/repairs (batch)',
      ...post(`${D}/repairs`, ed),
      valid: { region: f.community, maxAreaM2: 10, comment },
      owned: { repairs: [] },
      polygon: (g) => withMember({ maxAreaM2: 10, comment }, `"region":${g}`),
    },
    // Issue 19: grid proposals (a proposal is computed only after the body is judged).
    {
      name: 'POST …/proposals',
      ...post(`${D}/proposals`, ed),
      valid: { community: f.community, mode: 'rebalance', seed: 1 },
      owned: { id: 1, applied: false, draft: f.draft },
    },
    {
      name: 'POST …/proposals/:pid/apply',
      ...post(`${D}/proposals/1/apply`, ed),
      valid: { comment },
      owned: { changeset: 1, applied: true },
    },
    {
      name: 'POST /api/validation/exceptions',
      ...post('/api/validation/exceptions', admin),
      valid: { geometry: square, reason: '坏输入' },
      owned: { id: 1, created_by: 'admin' },
      polygon: (g) => withMember({ reason: '坏输入' }, `"geometry":${g}`),
    },
    {
      name: 'POST /api/auth/login',
      ...post('/api/auth/login', ''),
      valid: { username: 'nobody', password: 'x' },
      owned: {},
    },
    // Household bounds per district (issue 15): admins only.
    {
      name: 'PUT /api/settings/household-bounds',
      ...put('/api/settings/household-bounds', admin, ''),
      valid: { district: `${f.community.slice(0, 6)}000000`, min: 300, max: 500 },
      owned: { custom: true, name: '安次区' },
    },
  ];
}
