/**
 * Response schemas of the document, described by hand at a summary level from the
 * TypeScript shapes in common/api.ts (named in each description): enough for a reader and
 * for Swagger UI's examples, without a second full copy of every type to keep in step.
 */
import { INTEROP_LAYERS, IMPORT_FORMATS } from '../../common/api.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { HOUSEHOLD_BANDS } from '../../common/rules/household-band.ts';
import { SEVERITIES } from '../../common/rules/problem-types.ts';
import type { Json, Schema } from './openapi.build.ts';
import { ref } from './openapi.build.ts';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const obj = (description: string, properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object', description, properties, required,
});
const featureCollection = (description: string, properties: Schema): Schema => ({
  type: 'object', description, required: ['type', 'features'],
  properties: { type: { const: 'FeatureCollection' }, features: arrayOf(feature(properties)) },
});
function feature(properties: Schema): Schema {
  return { type: 'object', required: ['type', 'geometry', 'properties'], properties: { type: { const: 'Feature' }, id: { type: ['string', 'number'] }, geometry: ref('Geometry'), properties } };
}
const regionRef = obj('The region a report is about', { code: str, name: str, level: ref('RegionLevel') });

export const SCHEMAS: Record<string, Schema> = {
  ApiError: obj('Every error (common/api.ts ApiError): a code, a message naming the problem, the parameter at fault; some errors add details such as the current state.', {
    error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str, param: str }, additionalProperties: true },
  }),
  Geometry: { type: 'object', description: 'A GeoJSON geometry in WGS84 (EPSG:4326) longitude/latitude', required: ['type'], properties: { type: str, coordinates: arrayOf({}) } },
  FeatureCollection: featureCollection('A GeoJSON FeatureCollection', { type: 'object' }),
  RegionLevel: { type: 'string', enum: ['district', 'street', 'community'] },
  StationKind: { type: 'string', enum: [...STATION_KINDS] },
  Health: obj('Health (common/api.ts)', { status: { const: 'ok' }, db: { enum: ['embedded', 'server'] }, postgis: str, demo: bool }),
  ClientConfig: obj('What the client needs at start', { basemapStyleUrl: nullable(str), demo: bool }),
  SessionResponse: obj('SessionResponse: the signed-in user', {
    user: obj('SessionUser', { username: str, display_name: str, role: { enum: ['admin', 'editor', 'planner'] }, street_code: nullable(str) }),
  }),
  RegionList: obj('RegionList: the children of a region (or the top regions)', {
    regions: arrayOf(obj('RegionSummary', { code: str, name: str, level: ref('RegionLevel'), parent_code: nullable(str), child_count: int })),
  }),
  RegionFeature: feature(obj('RegionProperties: households is null for anonymous users', {
    code: str, name: str, level: ref('RegionLevel'), parent_code: nullable(str), grid_count: int, households: nullable(int), station_count: int, bbox: arrayOf(num),
  })),
  GridCollection: featureCollection('GridCollection: grids with their household figures (null for anonymous users)', obj('GridProperties', {
    code: str, name: str, community_code: str, kind: { enum: ['residential', 'commercial', 'mixed'] }, households: nullable(int), population: nullable(int),
    version: int, band: nullable({ enum: [...HOUSEHOLD_BANDS] }), party_orgs: arrayOf(str),
  })),
  GridDetailFeature: feature(obj('GridDetailProperties: the grid with its community, street, buildings, party organisations and workers (phones masked unless published)', {
    code: str, name: str, community_name: str, street_name: str, area_m2: num, building_count: int, households: nullable(int),
    workers: arrayOf(obj('GridWorkerPublic', { name: str, role: str, phone: str })),
  })),
  StationCollection: featureCollection('StationCollection: service stations (points)', obj('StationProperties', {
    code: str, name: str, kind: ref('StationKind'), region_code: str, address: str, opening_hours: str, services: arrayOf(str), phone: nullable(str),
  })),
  PartyOrg: obj('PartyOrg: one organisation of a community\'s tree', {
    code: str, name: str, kind: { enum: ['committee', 'general_branch', 'branch', 'group'] }, parent_code: nullable(str), community_code: str,
    secretary_name: nullable(str), member_count: int, grids: arrayOf(str),
  }),
  PartyOrgList: obj('PartyOrgList', { party_orgs: arrayOf(ref('PartyOrg')) }),
  PartyOrgArea: obj('PartyOrgArea: an organisation\'s grids, outline and households', { org: ref('PartyOrg'), outline: nullable(ref('Geometry')), grids: arrayOf({ type: 'object' }), households: int }),
  ProblemCollection: featureCollection('ProblemCollection: validation problems (gaps, overlaps, …) as features', obj('ProblemProperties', { type: str, severity: { enum: [...SEVERITIES] }, grids: arrayOf(str) }, ['type'])),
  ValidationReport: obj('ValidationReport: the problems of a region\'s tiling, with a summary by type and a status per community', {
    region: regionRef, summary: { type: 'object' }, communities: arrayOf({ type: 'object' }), grids: int, tookMs: num, problems: ref('ProblemCollection'),
  }),
  ValidationPreview: obj('ValidationPreview: the problems a candidate outline would create and remove', {
    community_code: str, created: ref('ProblemCollection'), removed: ref('ProblemCollection'), after: ref('ProblemCollection'),
    candidate: obj('The candidate', { areaM2: num, buildings: int, households: int, valid: bool }), tookMs: num,
  }),
  Draft: obj('Draft: a street\'s set of unpublished changes', {
    id: int, street_code: str, title: str, status: { enum: ['open', 'published', 'discarded'] }, created_by: int, created_at: str, published_at: nullable(str), override_reason: nullable(str),
  }),
  DraftList: obj('The drafts of a street', { drafts: arrayOf(ref('Draft')) }),
  DraftDetail: obj('DraftDetail: the draft and its grids, each with the ETag to edit it by', { draft: ref('Draft'), grids: ref('FeatureCollection') }),
  EditResponse: obj('EditResponse: the changeset written and the new ETags of the grids it touched', {
    changeset: int, grids: arrayOf(obj('A grid written', { code: str, etag: str })),
  }),
  PublishCheckResponse: obj('PublishCheckResponse: what publishing would do', { conflicts: arrayOf(str), created: arrayOf({ type: 'object' }), removed: arrayOf({ type: 'object' }), outOfRange: arrayOf({ type: 'object' }), grids: int }),
  History: obj('A list of HistoryEntry: who, when, why, before and after', {
    history: arrayOf(obj('HistoryEntry', { changeset: int, draft_id: int, undone_by: nullable(int), operation: str, comment: str, user: str, created_at: str, grids: arrayOf({ type: 'object' }) })),
  }),
  PartyCoverageReport: obj('PartyCoverageReport: party coverage of a region and every street and community below it', {
    region: regionRef, regions: arrayOf({ type: 'object' }), orgIssues: arrayOf({ type: 'object' }), problemGrids: ref('FeatureCollection'), tookMs: num,
  }),
  StationReachReport: obj('StationReachReport: households within reach of the stations, per community and grid, the unreached areas and the redundant stations', {
    region: regionRef, minutes: num, speed: num, reachM: num, method: { enum: ['network', 'straight_line'] }, households: int, householdsReached: int, share: num,
    communities: arrayOf({ type: 'object' }), grids: arrayOf({ type: 'object' }), stations: arrayOf({ type: 'object' }), redundant: arrayOf(str), unreached: ref('FeatureCollection'), tookMs: num,
  }),
  StationSuggestResponse: obj('StationSuggestResponse: new sites chosen greedily by the households each adds', {
    method: { enum: ['network', 'straight_line'] }, reachM: num, candidates: int, before: { type: 'object' },
    suggestions: arrayOf(obj('StationSuggestion', { rank: int, lon: num, lat: num, gain: int, shareAfter: num, grid_code: nullable(str) })), tookMs: num,
  }),
  RoadsReplaced: { type: 'object', description: 'What the road import wrote (counts and length)' },
  PublicStation: obj('PublicStation: a station as residents see it (published phone only)', {
    code: str, name: str, kind: ref('StationKind'), lon: num, lat: num, address: str, opening_hours: str, openNow: nullable(bool), services: arrayOf(str), phone: nullable(str), distanceM: num, walkMin: num,
  }),
  PublicLocateResponse: obj('PublicLocateResponse: the grid, community, worker (phone masked unless published), party organisation and the nearest stations of a point', {
    point: { type: 'object' }, crs: { enum: ['wgs84', 'gcj02', 'bd09'] }, grid: nullable({ type: 'object' }), community: nullable({ type: 'object' }), worker: nullable({ type: 'object' }), partyOrg: nullable({ type: 'object' }), stations: arrayOf(ref('PublicStation')),
  }),
  PublicNearestResponse: obj('PublicNearestResponse', { point: { type: 'object' }, crs: str, stations: arrayOf(ref('PublicStation')) }),
  PublicSearchResponse: obj('PublicSearchResponse: compounds, communities, stations and grids by name or pinyin', {
    q: str, hits: arrayOf(obj('PublicSearchHit', { type: { enum: ['compound', 'community', 'station', 'grid'] }, code: str, name: str, lon: num, lat: num, context: str })),
  }),
  PublicIndexStatus: { type: 'object', description: 'Whether the in-process public indexes are ready', properties: { state: str } },
  LayerField: obj('LayerField: one field of a layer for the mapping step', {
    name: str, required: bool, type: { enum: ['text', 'integer', 'number', 'boolean', 'text[]', 'enum'] }, values: arrayOf(str), zh: str, en: str,
  }, ['name', 'required', 'type', 'zh', 'en']),
  ImportFieldsResponse: obj('ImportFieldsResponse: the layer\'s fields and the mapping remembered from the last import', {
    layer: { enum: [...INTEROP_LAYERS] }, fields: arrayOf(ref('LayerField')), mapping: { type: 'object', additionalProperties: str },
  }),
  ImportReport: obj('ImportReport: what the import would do (dry run) or did (commit)', {
    layer: { enum: [...INTEROP_LAYERS] }, format: { enum: [...IMPORT_FORMATS] },
    crs: nullable(obj('The coordinate system read and where it came from', { name: str, source: { enum: ['prj', 'file', 'declared', 'default'] } })),
    encoding: nullable(str), columns: arrayOf(str), mapping: { type: 'object', additionalProperties: str },
    features: int, create: int, update: int, unchanged: int,
    invalid: arrayOf(obj('A feature that cannot be imported', { index: int, code: str, field: str, reason: str }, ['index', 'reason'])),
    topology: nullable({ type: 'object', properties: { problems: int, byKind: { type: 'object', additionalProperties: int }, sample: arrayOf({ type: 'object' }) } }),
    warnings: arrayOf(str), committed: bool,
    asIs: obj('Grids imported as they are (acceptProblems): the reason and the changesets (one per street) that flag the accepted problems', { reason: nullable(str), changesets: arrayOf(int) }),
  }, ['layer', 'format', 'crs', 'encoding', 'columns', 'mapping', 'features', 'create', 'update', 'unchanged', 'invalid', 'topology', 'warnings', 'committed']),
};

/** Errors every operation may answer, each with the ApiError body. */
export const RESPONSES: Record<string, Json> = Object.fromEntries(
  [
    ['BadRequest', 'A parameter or the body is invalid; `error.param` names it'],
    ['Unauthorized', 'Not signed in (no or an expired `wangge_session` cookie)'],
    ['Forbidden', 'Signed in, but this role or street may not do this'],
    ['NotFound', 'No such object'],
    ['MethodNotAllowed', 'This collection is read-only'],
    ['Conflict', 'Refused by a rule or a concurrent change; nothing was written'],
    ['PreconditionFailed', 'If-Match names a stale ETag; the body carries the current state'],
    ['PreconditionRequired', 'If-Match is required for this write'],
    ['TooLarge', 'The upload or body exceeds a size limit'],
    ['Unprocessable', 'The request is well-formed but its content cannot be used (e.g. invalid features); the body says which'],
    ['TooManyRequests', 'Rate limit reached; retry later'],
    ['Unavailable', 'Not ready yet (an index is being built); retry after the Retry-After seconds'],
  ].map(([name, description]) => [name, { description, content: { 'application/json': { schema: ref('ApiError') } } }]),
);
