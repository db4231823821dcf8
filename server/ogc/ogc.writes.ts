/**
 * OGC API – Features Part 4 writes (create, replace, delete) for grids and stations.
 * A grid write is an editor's edit, not a table update: one transaction opens a draft for
 * the grid's street, applies the editor's own operation (createGrid / changeGrid /
 * retireGrid, with their checks, snapping and history) and publishes it, so a write that
 * would leave a gap or an overlap is refused (409) exactly as in the editor, and nothing
 * of it remains. Stations have no topology: they are written directly, in one transaction.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Feature } from 'geojson';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { parseBody } from '../http/params.ts';
import { polygonalGeometry } from '../http/geojson.ts';
import { requireStreet, type AuthUser } from '../auth/permissions.ts';
import { REGION_CODE } from '../../common/domain.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { parseIfMatch } from '../editing/etags.ts';
import { createDraft } from '../editing/drafts.queries.ts';
import { changeGrid, createGrid, retireGrid, type EditContext, type GridChange } from '../editing/operations.ts';
import { publishDraft } from '../editing/publish.ts';
import { findCollection } from './ogc.collections.ts';
import { currentEtag } from './ogc.queries.ts';
import {
  deleteStation,
  insertStation,
  lockPublishedGrid,
  lockStationRegion,
  nextStationCode,
  regionContainsPoint,
  regionLevel,
  updateStation,
  type StationValues,
} from './ogc.writes.queries.ts';

export interface WriteResult {
  id: string;
  etag: string;
}

type Trx = Kysely<DB>;

const FeatureBody = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.unknown(),
  properties: z.record(z.string(), z.unknown()).nullable(),
});

/** The request body as a GeoJSON Feature (400 naming the problem otherwise). */
export function parseFeature(body: unknown): Feature & { properties: Record<string, unknown> } {
  if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'Feature') {
    throw badRequest(
      'body',
      'The body must be a GeoJSON Feature ({"type": "Feature", "geometry": …, "properties": {…}}) sent as application/geo+json',
    );
  }
  const feature = parseBody(FeatureBody, body);
  return { ...(feature as unknown as Feature), properties: feature.properties ?? {} };
}

/**
 * Part 4's optimistic locking: the client names the state it edited with If-Match
 * (`*` means "whatever is there"); missing → 428, stale → 412 with the current tag.
 */
export function checkItemIfMatch(header: string | undefined, current: string): void {
  if (header?.trim() === '*') return;
  const tags = parseIfMatch(header);
  if (!tags)
    throw new HttpError(
      428,
      'precondition_required',
      'If-Match is required: send the ETag of the item you edited',
      'If-Match',
    );
  if (!tags.has(current)) {
    throw new HttpError(
      412,
      'precondition_failed',
      'The item changed since it was read; read it again and repeat the edit',
      'If-Match',
      { current },
    );
  }
}

/** The street a community (or a street) belongs to, for the editor's permission. */
async function streetOf(trx: Trx, region: string, param: string): Promise<string> {
  const row = await regionLevel(trx, region);
  if (!row) throw badRequest(param, `${param}: no region has code ${region}`);
  if (row.level === 'street') return region;
  if (row.level === 'community' && row.parent_code) return row.parent_code;
  throw badRequest(param, `${param}: ${region} is a ${row.level}; give a street or a community`);
}

// ---------------------------------------------------------------------------------------
// Grids, through a draft

const gridKind = z.enum(['residential', 'commercial', 'mixed']);
/** What a writer may send; code, version and population are read-only and ignored. */
const GridProperties = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: gridKind,
    community_code: z.string().regex(REGION_CODE, 'a 12-digit community code').optional(),
    households: z.number().int().min(0).max(100_000).nullable().optional(),
    party_orgs: z.array(z.string().min(1).max(40)).max(10).optional(),
    code: z.string().optional(),
    version: z.unknown().optional(),
    population: z.unknown().optional(),
  })
  .strict();

const GridFeature = z.object({ geometry: polygonalGeometry, properties: GridProperties });

const grids = findCollection('grids')!;
const gridEtag = (trx: Trx, code: string) => currentEtag(trx, grids, code);

async function publishAs(
  trx: Trx,
  user: AuthUser,
  street: string,
  what: string,
  edit: (ctx: EditContext) => Promise<{ grids: string[] }>,
) {
  const comment = `OGC API – Features: ${what}`;
  const draft = await createDraft(trx, street, comment, user.id);
  const result = await edit({ user, draftId: draft.id, ifMatch: undefined, comment });
  await publishDraft(trx, user, draft.id, comment);
  return result;
}

export async function createGridItem(db: Kysely<DB>, user: AuthUser, body: unknown): Promise<WriteResult> {
  const feature = parseFeature(body);
  const { geometry, properties: props } = parseBody(GridFeature, feature);
  if (!props.community_code)
    throw badRequest('community_code', 'community_code: the community of the new grid is required');
  const community = props.community_code;
  return inTransaction(db, async (trx) => {
    const street = await streetOf(trx, community, 'community_code');
    requireStreet(user, street);
    const result = await publishAs(trx, user, street, `create a grid in ${community}`, (ctx) =>
      createGrid(trx, ctx, { geometry, community, name: props.name, kind: props.kind }),
    );
    const id = result.grids[0]!;
    return { id, etag: (await gridEtag(trx, id))! };
  });
}

/** A published grid for writing: locked, its street checked, its If-Match checked. */
async function lockGrid(trx: Trx, user: AuthUser, code: string, ifMatch: string | undefined) {
  const grid = await lockPublishedGrid(trx, code);
  if (!grid) throw notFound('grid', code);
  const street = await streetOf(trx, grid.community_code, 'community_code');
  requireStreet(user, street);
  const etag = (await gridEtag(trx, code))!;
  checkItemIfMatch(ifMatch, etag);
  return { ...grid, street, etag };
}

export async function replaceGridItem(
  db: Kysely<DB>,
  user: AuthUser,
  code: string,
  ifMatch: string | undefined,
  body: unknown,
): Promise<WriteResult> {
  const feature = parseFeature(body);
  return inTransaction(db, async (trx) => {
    const grid = await lockGrid(trx, user, code, ifMatch);
    const { geometry, properties: props } = parseBody(GridFeature, feature);
    if (props.code !== undefined && props.code !== code)
      throw badRequest('code', `code: the item is ${code}; a grid's code cannot be changed`);
    if (props.community_code !== undefined && props.community_code !== grid.community_code) {
      throw badRequest(
        'community_code',
        `community_code: ${code} is in ${grid.community_code}; a grid cannot move to another community`,
      );
    }
    const change: GridChange = { geometry, name: props.name, kind: props.kind };
    // A client sending back the households it read does not mean "set by hand".
    if (props.households !== undefined && props.households !== grid.households) change.households = props.households;
    if (props.party_orgs) change.party_orgs = props.party_orgs;
    // The draft is new, so the draft's tag of the grid is its published tag.
    await publishAs(trx, user, grid.street, `replace grid ${code}`, (ctx) =>
      changeGrid(trx, { ...ctx, ifMatch: grid.etag }, code, change),
    );
    return { id: code, etag: (await gridEtag(trx, code))! };
  });
}

export async function deleteGridItem(
  db: Kysely<DB>,
  user: AuthUser,
  code: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const grid = await lockGrid(trx, user, code, ifMatch);
    await publishAs(trx, user, grid.street, `delete grid ${code}`, (ctx) =>
      retireGrid(trx, { ...ctx, ifMatch: grid.etag }, code),
    );
  });
}

// ---------------------------------------------------------------------------------------
// Stations, directly

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const StationProperties = z
  .object({
    code: z
      .string()
      .regex(/^[0-9A-Za-z_-]{4,40}$/, '4–40 letters, digits, - or _')
      .optional(),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(STATION_KINDS),
    region_code: z.string().regex(REGION_CODE, 'a 12-digit region code'),
    address: z.string().trim().max(200).optional(),
    opening_hours: z.string().trim().max(200).optional(),
    services: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
    phone: z.string().trim().max(40).nullable().optional(),
  })
  .strict();
const StationFeature = z.object({
  // A third coordinate (height), as some desktop GIS send, is dropped.
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([lon, lat]).rest(z.number().finite()) }),
  properties: StationProperties,
});
type StationInput = z.infer<typeof StationFeature>;

const stations = findCollection('stations')!;

/** The station's region must exist, be the writer's, and contain the point. */
async function checkStation(trx: Trx, user: AuthUser, input: StationInput): Promise<void> {
  const region = input.properties.region_code;
  requireStreet(user, await streetOf(trx, region, 'properties.region_code'));
  const [x, y] = input.geometry.coordinates;
  if (!(await regionContainsPoint(trx, region, x, y)))
    throw badRequest('geometry', `geometry: the point (${x}, ${y}) is outside region ${region}`);
}

function stationValues(input: StationInput): StationValues {
  const p = input.properties;
  const [x, y] = input.geometry.coordinates;
  return {
    name: p.name,
    kind: p.kind,
    region_code: p.region_code,
    address: p.address ?? '',
    opening_hours: p.opening_hours ?? '',
    services: p.services ?? [],
    phone: p.phone ?? null,
    lon: x,
    lat: y,
  };
}

export async function createStationItem(db: Kysely<DB>, user: AuthUser, body: unknown): Promise<WriteResult> {
  const input = parseBody(StationFeature, parseFeature(body));
  return inTransaction(db, async (trx) => {
    await checkStation(trx, user, input);
    const code = input.properties.code ?? (await nextStationCode(trx, input.properties.region_code));
    if (await currentEtag(trx, stations, code))
      throw new HttpError(409, 'exists', `A station with code ${code} exists already`, 'properties.code');
    await insertStation(trx, code, stationValues(input));
    return { id: code, etag: (await currentEtag(trx, stations, code))! };
  });
}

/** A station for writing: locked, the writer's, its If-Match checked. */
async function lockStation(trx: Trx, user: AuthUser, code: string, ifMatch: string | undefined): Promise<void> {
  const row = await lockStationRegion(trx, code);
  if (!row) throw notFound('station', code);
  requireStreet(user, await streetOf(trx, row.region_code, 'region_code'));
  checkItemIfMatch(ifMatch, (await currentEtag(trx, stations, code))!);
}

export async function replaceStationItem(
  db: Kysely<DB>,
  user: AuthUser,
  code: string,
  ifMatch: string | undefined,
  body: unknown,
): Promise<WriteResult> {
  const feature = parseFeature(body);
  return inTransaction(db, async (trx) => {
    await lockStation(trx, user, code, ifMatch);
    const input = parseBody(StationFeature, feature);
    if (input.properties.code !== undefined && input.properties.code !== code) {
      throw badRequest('properties.code', `properties.code: the item is ${code}; a station's code cannot be changed`);
    }
    await checkStation(trx, user, input);
    await updateStation(trx, code, stationValues(input));
    return { id: code, etag: (await currentEtag(trx, stations, code))! };
  });
}

export async function deleteStationItem(
  db: Kysely<DB>,
  user: AuthUser,
  code: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockStation(trx, user, code, ifMatch);
    await deleteStation(trx, code);
  });
}
