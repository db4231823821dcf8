/**
 * Drafts and the draft's view of the grids: a grid the draft has touched is its draft row
 * (changed, new or retired); every other grid is the published one. Geometry moves between
 * rows as EWKB (exact doubles), never through GeoJSON's 7 decimals, so tiling survives edits.
 */
import { sql, type Kysely } from 'kysely';
import type { Geometry, MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import type { TaggedState } from './etags.ts';
import type { Draft, HouseholdsSource, WorkerAssignment } from '../../common/contracts/drafts.ts';

export type { HouseholdsSource };
export type DraftRow = Draft;

/** A grid as the draft sees it. */
export interface GridInDraft extends TaggedState {
  /** True when the draft holds its own row for the grid. */
  inDraft: boolean;
  /** Published version the draft row started from (null: new in the draft). */
  baseVersion: number | null;
  retired: boolean;
  name: string;
  community_code: string;
  kind: 'residential' | 'commercial' | 'mixed';
  households: number;
  households_source: HouseholdsSource;
  /** Exact geometry (hex EWKB) for writing back. */
  ewkb: string;
  geometry: MultiPolygon;
  /** Assignments the draft sets (null: as published). */
  party_orgs: string[] | null;
  workers: WorkerAssignment[] | null;
}

export type { WorkerAssignment };

export async function createDraft(db: Kysely<DB>, street: string, title: string, userId: number): Promise<DraftRow> {
  const { rows } = await sql<DraftRow>`
    INSERT INTO drafts (street_code, title, created_by) VALUES (${street}, ${title}, ${userId})
    RETURNING id, street_code, title, status, created_by, created_at::text, published_at::text, override_reason`.execute(
    db,
  );
  return rows[0]!;
}

export async function getDraft(db: Kysely<DB>, id: number): Promise<DraftRow | undefined> {
  const { rows } = await sql<DraftRow>`
    SELECT id, street_code, title, status, created_by, created_at::text, published_at::text, override_reason
    FROM drafts WHERE id = ${id}`.execute(db);
  return rows[0];
}

export async function listDrafts(db: Kysely<DB>, street: string, status?: DraftRow['status']): Promise<DraftRow[]> {
  const { rows } = await sql<DraftRow>`
    SELECT id, street_code, title, status, created_by, created_at::text, published_at::text, override_reason
    FROM drafts WHERE street_code = ${street} AND (${status ?? null}::text IS NULL OR status = ${status ?? null})
    ORDER BY id DESC LIMIT 200`.execute(db);
  return rows;
}

/** Lock an open draft for one operation: operations on one draft run one at a time. */
export async function lockOpenDraft(db: Kysely<DB>, id: number): Promise<DraftRow> {
  const { rows } = await sql<DraftRow>`
    SELECT id, street_code, title, status, created_by, created_at::text, published_at::text, override_reason
    FROM drafts WHERE id = ${id} FOR UPDATE`.execute(db);
  const draft = rows[0];
  if (!draft) throw notFound('draft', String(id));
  if (draft.status !== 'open')
    throw new HttpError(409, 'draft_closed', `Draft ${id} is ${draft.status}; start a new draft`);
  return draft;
}

/** The draft's state of the given grids (missing codes are simply absent). */
export async function gridsInDraft(db: Kysely<DB>, draftId: number, codes: readonly string[]): Promise<GridInDraft[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<
    Omit<GridInDraft, 'draftId' | 'revision'> & { draft_id: number | null; revision: number | null }
  >`
    SELECT dg.code, g.version, dg.draft_id, dg.revision, true AS "inDraft", dg.base_version AS "baseVersion", dg.retired,
           dg.name, dg.community_code, dg.kind, dg.households, dg.households_source,
           encode(ST_AsEWKB(dg.geom), 'hex') AS ewkb, ST_AsGeoJSON(dg.geom, 7)::json AS geometry,
           dg.party_orgs, dg.workers
    FROM draft_grids dg LEFT JOIN grids g ON g.code = dg.code
    WHERE dg.draft_id = ${draftId} AND dg.code = ANY(${codes}::text[])
    UNION ALL
    SELECT g.code, g.version, NULL, NULL, false, g.version, false,
           g.name, g.community_code, g.kind, g.households, 'buildings',
           encode(ST_AsEWKB(g.geom), 'hex'), ST_AsGeoJSON(g.geom, 7)::json, NULL::text[], NULL::jsonb
    FROM grids g
    WHERE g.code = ANY(${codes}::text[])
      AND NOT EXISTS (SELECT 1 FROM draft_grids dg WHERE dg.draft_id = ${draftId} AND dg.code = g.code)`.execute(db);
  return rows.map(({ draft_id, revision, ...r }) => ({ ...r, draftId: draft_id, revision }));
}

/** All grids the draft holds rows for. */
export async function draftRows(db: Kysely<DB>, draftId: number): Promise<GridInDraft[]> {
  const { rows } = await sql<{ code: string }>`SELECT code FROM draft_grids WHERE draft_id = ${draftId}`.execute(db);
  return gridsInDraft(
    db,
    draftId,
    rows.map((r) => r.code),
  );
}

/** A grid's attributes and assignments, as a draft writes them and as history keeps them. */
export interface GridAttributes {
  name: string;
  community_code: string;
  kind: string;
  households: number;
  households_source: HouseholdsSource;
  party_orgs?: string[] | null;
  workers?: WorkerAssignment[] | null;
}

export interface GridWrite extends GridAttributes {
  code: string;
  baseVersion: number | null;
  retired: boolean;
  /** Hex EWKB of the new outline. */
  ewkb: string;
}

/** Write the draft's state of a grid; every write moves its revision (and so its ETag). */
export async function writeDraftGrid(db: Kysely<DB>, draftId: number, g: GridWrite): Promise<void> {
  await sql`
    INSERT INTO draft_grids (draft_id, code, base_version, retired, name, community_code, kind, households, households_source, geom,
                             party_orgs, workers)
    VALUES (${draftId}, ${g.code}, ${g.baseVersion}, ${g.retired}, ${g.name}, ${g.community_code}, ${g.kind}, ${g.households},
            ${g.households_source}, ST_Multi(ST_GeomFromEWKB(decode(${g.ewkb}, 'hex'))),
            ${g.party_orgs ?? null}::text[], ${g.workers ? JSON.stringify(g.workers) : null}::jsonb)
    ON CONFLICT (draft_id, code) DO UPDATE SET
      retired = EXCLUDED.retired, name = EXCLUDED.name, community_code = EXCLUDED.community_code, kind = EXCLUDED.kind,
      households = EXCLUDED.households, households_source = EXCLUDED.households_source, geom = EXCLUDED.geom,
      party_orgs = EXCLUDED.party_orgs, workers = EXCLUDED.workers,
      revision = draft_grids.revision + 1`.execute(db);
}

/** A grid new in this draft and now gone again leaves no trace in the draft. */
export async function dropDraftGrid(db: Kysely<DB>, draftId: number, code: string): Promise<void> {
  await sql`DELETE FROM draft_grids WHERE draft_id = ${draftId} AND code = ${code}`.execute(db);
}

/**
 * The next free grid codes of a community: 15 digits, the community's 12 and a sequence,
 * never reusing a code that is published or held by any draft.
 */
export async function allocateGridCodes(db: Kysely<DB>, community: string, count: number): Promise<string[]> {
  const { rows } = await sql<{ max: number | null }>`
    SELECT max(right(code, 3)::int) AS max FROM (
      SELECT code FROM grids WHERE community_code = ${community}
      UNION ALL SELECT code FROM draft_grids WHERE community_code = ${community}
      UNION ALL SELECT cg.code FROM changeset_grids cg WHERE left(cg.code, 12) = ${community}
    ) c`.execute(db);
  const start = (rows[0]?.max ?? 0) + 1;
  if (start + count - 1 > 999)
    throw new HttpError(409, 'codes_exhausted', `Community ${community} has no free grid codes left`);
  return Array.from({ length: count }, (_, i) => `${community}${String(start + i).padStart(3, '0')}`);
}

export interface ChangeRecord {
  code: string;
  before: GridSnapshot | null;
  after: GridSnapshot | null;
}

/** What history keeps of a grid: attributes and outline (GeoJSON, for display). */
export interface GridSnapshot extends GridAttributes {
  geometry: Geometry;
  /** The draft's exact state (for undo; left out of the history API). */
  draft?: { inDraft: boolean; baseVersion: number | null; retired: boolean; ewkb: string };
}

type Snapshotable = Pick<
  GridInDraft,
  'name' | 'community_code' | 'kind' | 'households' | 'households_source' | 'geometry'
> &
  Partial<Pick<GridInDraft, 'inDraft' | 'baseVersion' | 'retired' | 'ewkb' | 'party_orgs' | 'workers'>>;

export function snapshotOf(g: Snapshotable): GridSnapshot {
  const snapshot: GridSnapshot = {
    name: g.name,
    community_code: g.community_code,
    kind: g.kind,
    households: g.households,
    households_source: g.households_source,
    geometry: g.geometry,
  };
  if (g.party_orgs) snapshot.party_orgs = g.party_orgs;
  if (g.workers) snapshot.workers = g.workers;
  if (g.inDraft !== undefined && g.ewkb !== undefined) {
    snapshot.draft = {
      inDraft: g.inDraft,
      baseVersion: g.baseVersion ?? null,
      retired: g.retired ?? false,
      ewkb: g.ewkb,
    };
  }
  return snapshot;
}

export async function recordChangeset(
  db: Kysely<DB>,
  change: {
    draftId: number;
    street: string;
    userId: number;
    operation: string;
    comment: string;
    grids: readonly ChangeRecord[];
  },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO changesets (draft_id, street_code, user_id, operation, comment)
    VALUES (${change.draftId}, ${change.street}, ${change.userId}, ${change.operation}, ${change.comment}) RETURNING id`.execute(
    db,
  );
  const id = rows[0]!.id;
  for (const g of change.grids) {
    await sql`INSERT INTO changeset_grids (changeset_id, code, before, after)
              VALUES (${id}, ${g.code}, ${g.before === null ? null : JSON.stringify(g.before)}::jsonb,
                      ${g.after === null ? null : JSON.stringify(g.after)}::jsonb)`.execute(db);
  }
  return id;
}

/** The published state of grids, for history. */
export async function publishedSnapshots(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, GridSnapshot>> {
  if (codes.length === 0) return new Map();
  const { rows } = await sql<GridSnapshot & { code: string }>`
    SELECT code, name, community_code, kind, households, 'buildings' AS households_source, ST_AsGeoJSON(geom, 7)::json AS geometry
    FROM grids WHERE code = ANY(${codes}::text[])`.execute(db);
  return new Map(rows.map(({ code, ...s }) => [code, s]));
}

/** Give up an open draft (the caller holds its lock). */
export async function discardDraft(db: Kysely<DB>, id: number): Promise<void> {
  await sql`UPDATE drafts SET status = 'discarded' WHERE id = ${id}`.execute(db);
}

/** Whether a published grid or an open draft holds this grid code. */
export async function gridCodeInUse(db: Kysely<DB>, code: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM grids WHERE code = ${code} UNION ALL
    SELECT 1 FROM draft_grids dg JOIN drafts d ON d.id = dg.draft_id WHERE dg.code = ${code} AND d.status = 'open'`.execute(
    db,
  );
  return rows.length > 0;
}
