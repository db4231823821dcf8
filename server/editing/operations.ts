/**
 * The editing operations, each one transaction on one draft: lock the draft, check who is
 * asking and what their edit was based on (If-Match), compute with PostGIS, write the
 * draft's rows and a changeset. Anything thrown rolls the whole operation back.
 */
import type { Kysely } from 'kysely';
import type { LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { forbidden, requireStreet, type AuthUser } from '../auth/permissions.ts';
import { checkIfMatch } from './etags.ts';
import {
  allocateGridCodes,
  dropDraftGrid,
  gridCodeInUse,
  gridsInDraft,
  lockOpenDraft,
  recordChangeset,
  snapshotOf,
  writeDraftGrid,
  type ChangeRecord,
  type DraftRow,
  type GridInDraft,
  type GridSnapshot,
  type HouseholdsSource,
} from './drafts.queries.ts';
import {
  candidateOutline,
  geoJsonOf,
  householdsFromBuildings,
  mergeOutlines,
  movedBoundary,
  outsideStreet,
  splitByLine,
  type Part,
} from './geometry.queries.ts';
import { divideHouseholds } from './households.ts';
import { partyOrgKinds } from '../party/party.queries.ts';
import { inTransaction } from '../db/transaction.ts';
import type { GridChange } from '../../common/contracts/editing.ts';
import { GRID_CODE } from '../../common/domain.ts';
import { communityOf, inStreet } from '../../common/rules/region-codes.ts';
import { pausePoint } from '../pause-points.ts';

export interface EditContext {
  user: AuthUser;
  draftId: number;
  /** The If-Match header as sent. */
  ifMatch: string | undefined;
  comment: string;
}

export interface EditResult {
  changeset: number;
  /** Codes written by the operation, in the draft. */
  grids: string[];
}

type Trx = Kysely<DB>;

/** Lock the open draft of the edit and check the user may write its street. */
export async function begin(trx: Trx, ctx: EditContext): Promise<DraftRow> {
  const draft = await lockOpenDraft(trx, ctx.draftId);
  requireStreet(ctx.user, draft.street_code);
  return draft;
}

/** The live (not retired) grids of the draft's street, named by If-Match. */
async function loadForEdit(
  trx: Trx,
  draft: DraftRow,
  ctx: EditContext,
  codes: readonly string[],
): Promise<GridInDraft[]> {
  const grids = await gridsInDraft(trx, draft.id, codes);
  for (const code of codes) {
    const grid = grids.find((g) => g.code === code);
    if (!grid) throw notFound('grid', code);
    if (!inStreet(grid.community_code, draft.street_code)) {
      throw forbidden(`Grid ${code} is not in street ${draft.street_code} of this draft`);
    }
  }
  // Stale first: a grid retired by a concurrent edit has a new tag, so its editor hears 412.
  checkIfMatch(ctx.ifMatch, grids);
  for (const grid of grids) if (grid.retired) throw notFound('grid', grid.code);
  return codes.map((code) => grids.find((g) => g.code === code)!);
}

/** The changeset of one edit: the draft's street, the asking user and their comment. */
export function recordEdit(
  trx: Trx,
  draft: DraftRow,
  ctx: EditContext,
  operation: string,
  grids: readonly ChangeRecord[],
): Promise<number> {
  return recordChangeset(trx, {
    draftId: draft.id,
    street: draft.street_code,
    userId: ctx.user.id,
    operation,
    comment: ctx.comment,
    grids,
  });
}

/**
 * Give a grid a new outline, keeping everything else; households are recounted from the
 * buildings unless they were entered by hand. Returns the change for the changeset.
 */
export async function reshapeInDraft(
  trx: Trx,
  draftId: number,
  grid: GridInDraft,
  ewkb: string,
): Promise<ChangeRecord & { before: GridSnapshot; after: GridSnapshot }> {
  const manual = grid.households_source === 'manual';
  const written = {
    code: grid.code,
    baseVersion: grid.baseVersion,
    retired: false,
    name: grid.name,
    community_code: grid.community_code,
    kind: grid.kind,
    households: manual ? grid.households : await householdsFromBuildings(trx, ewkb),
    households_source: manual ? ('manual' as const) : ('buildings' as const),
    ewkb,
    party_orgs: grid.party_orgs,
    workers: grid.workers,
  };
  await writeDraftGrid(trx, draftId, written);
  return {
    code: grid.code,
    before: snapshotOf(grid),
    after: snapshotOf({ ...written, geometry: await geoJsonOf(trx, ewkb) }),
  };
}

const retiredState = (g: GridInDraft) => ({
  code: g.code,
  baseVersion: g.baseVersion,
  retired: true,
  name: g.name,
  community_code: g.community_code,
  kind: g.kind,
  households: g.households,
  households_source: g.households_source,
  ewkb: g.ewkb,
});

/** Retire a grid in the draft (a grid new in this draft simply disappears from it). */
export async function retireInDraft(trx: Trx, draftId: number, g: GridInDraft): Promise<void> {
  if (g.inDraft && g.baseVersion === null) await dropDraftGrid(trx, draftId, g.code);
  else await writeDraftGrid(trx, draftId, retiredState(g));
}

/** The parts of a split: each outline with its share of the households (total conserved). */
export async function planSplit(
  db: Trx,
  grid: GridInDraft,
  line: LineString | MultiLineString,
): Promise<{ parts: (Part & { households: number })[]; source: HouseholdsSource }> {
  const parts = await splitByLine(db, grid.ewkb, line);
  const byBuildings = parts.some((p) => p.buildingHouseholds > 0);
  const shares = divideHouseholds(
    grid.households,
    parts.map((p) => (byBuildings ? p.buildingHouseholds : p.areaM2)),
  );
  const source: HouseholdsSource =
    grid.households_source === 'manual' ? 'manual' : byBuildings ? 'buildings' : 'area_estimate';
  return { parts: parts.map((p, i) => ({ ...p, households: shares[i]! })), source };
}

/**
 * Split a grid along a line into two or more new grids (new codes). Households are divided
 * by the buildings in each part, or by area (marked an estimate) when the grid has none;
 * the total is conserved exactly. `partyOrgs`, when given, are the parts' grid-level
 * organisations (the editor offers them when the grid has none to pass on).
 */
export async function splitGrid(
  db: Kysely<DB>,
  ctx: EditContext,
  code: string,
  line: LineString | MultiLineString,
  partyOrgs?: readonly string[],
): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const [grid] = await loadForEdit(trx, draft, ctx, [code]);
    if (partyOrgs) await checkPartyOrgs(trx, partyOrgs);
    const { parts, source } = await planSplit(trx, grid!, line);
    const codes = await allocateGridCodes(trx, grid!.community_code, parts.length);
    const changes: ChangeRecord[] = [{ code, before: snapshotOf(grid!), after: null }];
    await retireInDraft(trx, draft.id, grid!);
    for (const [i, part] of parts.entries()) {
      const written = {
        code: codes[i]!,
        baseVersion: null,
        retired: false,
        name: `${grid!.name}-${i + 1}`,
        community_code: grid!.community_code,
        kind: grid!.kind,
        households: part.households,
        households_source: source,
        ewkb: part.ewkb,
        party_orgs: partyOrgs ? [...partyOrgs] : grid!.party_orgs,
        workers: grid!.workers,
      };
      await writeDraftGrid(trx, draft.id, written);
      changes.push({ code: codes[i]!, before: null, after: snapshotOf({ ...written, geometry: part.geometry }) });
    }
    await pausePoint('split');
    const changeset = await recordEdit(trx, draft, ctx, 'split', changes);
    return { changeset, grids: codes };
  });
}

/** Merge two or more adjacent grids of one community into one new grid. */
export async function mergeGrids(db: Kysely<DB>, ctx: EditContext, codes: readonly string[]): Promise<EditResult> {
  if (new Set(codes).size !== codes.length || codes.length < 2)
    throw badRequest('codes', 'codes: give two or more different grids');
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const grids = await loadForEdit(trx, draft, ctx, codes);
    const community = grids[0]!.community_code;
    if (grids.some((g) => g.community_code !== community))
      throw badRequest('codes', 'codes: grids of different communities cannot be merged');
    const merged = await mergeOutlines(
      trx,
      grids.map((g) => g.ewkb),
    );
    const [code] = await allocateGridCodes(trx, community, 1);
    const sources = new Set(grids.map((g) => g.households_source));
    const written = {
      code: code!,
      baseVersion: null,
      retired: false,
      name: grids[0]!.name,
      community_code: community,
      kind: new Set(grids.map((g) => g.kind)).size === 1 ? grids[0]!.kind : 'mixed',
      households: grids.reduce((s, g) => s + g.households, 0),
      households_source: (sources.has('manual')
        ? 'manual'
        : sources.has('area_estimate')
          ? 'area_estimate'
          : 'buildings') as HouseholdsSource,
      ewkb: merged.ewkb,
    };
    const changes: ChangeRecord[] = grids.map((g) => ({ code: g.code, before: snapshotOf(g), after: null }));
    for (const g of grids) await retireInDraft(trx, draft.id, g);
    await writeDraftGrid(trx, draft.id, written);
    changes.push({
      code: code!,
      before: null,
      after: snapshotOf({ ...written, geometry: await geoJsonOf(trx, merged.ewkb) }),
    });
    await pausePoint('merge');
    const changeset = await recordEdit(trx, draft, ctx, 'merge', changes);
    return { changeset, grids: [code!] };
  });
}

/** A grid change as the server applies it: declared once in common/contracts/editing.ts. */
export type { GridChange };

/** Every code must be a grid-level organisation: a branch (党支部) or a group (党小组). */
async function checkPartyOrgs(trx: Trx, codes: readonly string[]): Promise<void> {
  const rows = await partyOrgKinds(trx, codes);
  for (const code of codes) {
    const org = rows.find((r) => r.code === code);
    if (!org) throw badRequest('party_orgs', `party_orgs: no party organisation has code ${code}`);
    if (org.kind !== 'branch' && org.kind !== 'group') {
      throw badRequest('party_orgs', `party_orgs: ${code} is a ${org.kind}; a grid takes a branch or a group`);
    }
  }
}

/**
 * Reshape a grid and/or edit its attributes. A new outline must be valid and lie inside the
 * street; households follow the buildings unless they were set by hand.
 */
export async function changeGrid(
  db: Kysely<DB>,
  ctx: EditContext,
  code: string,
  change: GridChange,
): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const [grid] = await loadForEdit(trx, draft, ctx, [code]);
    let ewkb = grid!.ewkb;
    if (change.geometry) {
      // Snapped to the neighbours (7-decimal GeoJSON from a browser would otherwise leave
      // millimetre slivers at shared vertices) and clipped to the community.
      const outline = await candidateOutline(trx, change.geometry, draft.street_code, {
        community: grid!.community_code,
        metres: change.snapMetres ?? 0.5,
        excludeCode: code,
      });
      if (!outline.valid)
        throw badRequest('geometry', `geometry: invalid outline (${outline.reason}); it is never repaired silently`);
      if (!outline.insideStreet) throw outsideStreet(draft.street_code, outline.outside);
      ewkb = outline.ewkb;
    }
    let households = grid!.households;
    let source = grid!.households_source;
    if (change.households !== undefined && change.households !== null) {
      households = change.households;
      source = 'manual';
    } else if (change.households === null || (change.geometry && source !== 'manual')) {
      households = await householdsFromBuildings(trx, ewkb);
      source = 'buildings';
    }
    if (change.party_orgs) await checkPartyOrgs(trx, change.party_orgs);
    const written = {
      code,
      baseVersion: grid!.baseVersion,
      retired: false,
      name: change.name ?? grid!.name,
      community_code: grid!.community_code,
      kind: change.kind ?? grid!.kind,
      households,
      households_source: source,
      ewkb,
      party_orgs: change.party_orgs ?? grid!.party_orgs,
      workers: change.workers ?? grid!.workers,
    };
    await writeDraftGrid(trx, draft.id, written);
    const after = snapshotOf({ ...written, geometry: change.geometry ? await geoJsonOf(trx, ewkb) : grid!.geometry });
    const changeset = await recordEdit(trx, draft, ctx, change.geometry ? 'reshape' : 'attributes', [
      { code, before: snapshotOf(grid!), after },
    ]);
    return { changeset, grids: [code] };
  });
}

/** Retire a grid (its area must be taken over by neighbours before publishing). */
export async function retireGrid(db: Kysely<DB>, ctx: EditContext, code: string): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const [grid] = await loadForEdit(trx, draft, ctx, [code]);
    await retireInDraft(trx, draft.id, grid!);
    const changeset = await recordEdit(trx, draft, ctx, 'retire', [{ code, before: snapshotOf(grid!), after: null }]);
    return { changeset, grids: [code] };
  });
}

export interface NewGrid {
  geometry: Polygon | MultiPolygon;
  community: string;
  name: string;
  kind: 'residential' | 'commercial' | 'mixed';
  /** Snap to neighbouring grids' vertices and edges within this many metres (default 0.5). */
  snapMetres?: number;
  /** A code to keep (an import's own code): the community's, unused; else the next free one. */
  code?: string;
}

/** A given code for a new grid: 15 digits of its community, and held by no grid or open draft. */
async function claimGridCode(trx: Trx, community: string, code: string): Promise<string> {
  if (!GRID_CODE.test(code) || communityOf(code) !== community)
    throw badRequest('code', `code: ${code} is not a grid code of community ${community}`);
  if (await gridCodeInUse(trx, code))
    throw new HttpError(409, 'code_taken', `Grid code ${code} is already used by a grid or an open draft`);
  return code;
}

/** Draw a new grid: snapped to its neighbours, clipped to its community, households from buildings. */
export async function createGrid(db: Kysely<DB>, ctx: EditContext, input: NewGrid): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    if (!inStreet(input.community, draft.street_code)) {
      throw forbidden(`Community ${input.community} is not in street ${draft.street_code}`);
    }
    const outline = await candidateOutline(trx, input.geometry, draft.street_code, {
      community: input.community,
      metres: input.snapMetres ?? 0.5,
    });
    if (!outline.valid) throw badRequest('geometry', `geometry: ${outline.reason}`);
    if (!outline.insideStreet) throw outsideStreet(draft.street_code, outline.outside);
    const [code] = input.code
      ? [await claimGridCode(trx, input.community, input.code)]
      : await allocateGridCodes(trx, input.community, 1);
    const written = {
      code: code!,
      baseVersion: null,
      retired: false,
      name: input.name,
      community_code: input.community,
      kind: input.kind,
      households: await householdsFromBuildings(trx, outline.ewkb),
      households_source: 'buildings' as const,
      ewkb: outline.ewkb,
    };
    await writeDraftGrid(trx, draft.id, written);
    const changeset = await recordEdit(trx, draft, ctx, 'create', [
      { code: code!, before: null, after: snapshotOf({ ...written, geometry: await geoJsonOf(trx, outline.ewkb) }) },
    ]);
    return { changeset, grids: [code!] };
  });
}

/**
 * Move the boundary shared by two grids: `code` takes the drawn outline, `neighbour` the
 * rest of what the two covered, so no gap or overlap can appear between them.
 */
export async function moveBoundary(
  db: Kysely<DB>,
  ctx: EditContext,
  code: string,
  neighbour: string,
  geometry: Polygon | MultiPolygon,
  snapMetres = 0.5,
): Promise<EditResult> {
  if (code === neighbour) throw badRequest('neighbour', 'neighbour: give the other grid of the boundary');
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const [a, b] = await loadForEdit(trx, draft, ctx, [code, neighbour]);
    if (a!.community_code !== b!.community_code)
      throw badRequest('neighbour', 'neighbour: the two grids are in different communities');
    const moved = await movedBoundary(trx, a!.ewkb, b!.ewkb, geometry, snapMetres);
    const changes: ChangeRecord[] = [];
    for (const [grid, ewkb] of [
      [a!, moved.a],
      [b!, moved.b],
    ] as const)
      changes.push(await reshapeInDraft(trx, draft.id, grid, ewkb));
    const changeset = await recordEdit(trx, draft, ctx, 'boundary', changes);
    return { changeset, grids: [code, neighbour] };
  });
}
