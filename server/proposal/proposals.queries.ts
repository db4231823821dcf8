/**
 * The proposals table (migrations/0013_proposals.sql): a proposal is kept whole, as served,
 * so that 采用 writes exactly what the user reviewed; and the outline of a proposed grid as
 * the draft stores it (the precision model's write edge, ADR 0011).
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import type { Proposal } from '../../common/contracts/proposals.ts';
import type { ProposalResult } from './propose.ts';

export interface ProposalRow {
  id: number;
  draft_id: number;
  street_code: string;
  base_changeset: number | null;
  applied_changeset: number | null;
  answer: ProposalResult;
}

/** The draft's last changeset (null before its first edit): what a proposal is based on. */
export async function lastChangesetOfDraft(db: Kysely<DB>, draftId: number): Promise<number | null> {
  const { rows } = await sql<{ id: number | null }>`
    SELECT max(id) AS id FROM changesets WHERE draft_id = ${draftId}`.execute(db);
  return rows[0]?.id ?? null;
}

export async function insertProposal(
  db: Kysely<DB>,
  p: {
    draftId: number;
    street: string;
    scope: string;
    mode: 'fresh' | 'rebalance';
    seed: number;
    baseChangeset: number | null;
    answer: ProposalResult;
    userId: number;
  },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO proposals (draft_id, street_code, scope_code, mode, seed, base_changeset, answer, created_by)
    VALUES (${p.draftId}, ${p.street}, ${p.scope}, ${p.mode}, ${p.seed}, ${p.baseChangeset},
            ${JSON.stringify(p.answer)}::jsonb, ${p.userId})
    RETURNING id`.execute(db);
  return rows[0]!.id;
}

/** A proposal of a draft (undefined when the draft has none by that number); `forUpdate` locks it. */
export async function proposalOfDraft(
  db: Kysely<DB>,
  draftId: number,
  id: number,
  forUpdate = false,
): Promise<ProposalRow | undefined> {
  const lock = forUpdate ? sql`FOR UPDATE` : sql``;
  const { rows } = await sql<ProposalRow>`
    SELECT id, draft_id, street_code, base_changeset, applied_changeset, answer
    FROM proposals WHERE id = ${id} AND draft_id = ${draftId} ${lock}`.execute(db);
  return rows[0];
}

export async function markProposalApplied(db: Kysely<DB>, id: number, changeset: number): Promise<void> {
  await sql`UPDATE proposals SET applied_changeset = ${changeset} WHERE id = ${id}`.execute(db);
}

/** The stored row as the API serves it. */
export function proposalOf(row: ProposalRow): Proposal {
  return { ...row.answer, id: row.id, draft: row.draft_id, applied: row.applied_changeset !== null };
}

export interface ProposedOutline {
  /** Hex EWKB on the stored grid, exterior rings counter-clockwise. */
  ewkb: string;
  /** The outline as the draft serves it (7 decimals, for history). */
  geometry: MultiPolygon;
  valid: boolean;
  households: number;
}

/**
 * A proposed grid's outline as the draft stores it: rounded to the stored grid (so vertices
 * shared with grids the proposal leaves alone are theirs exactly), counter-clockwise, with
 * the households of the buildings whose point on surface falls inside.
 */
export async function proposedOutline(db: Kysely<DB>, geometry: MultiPolygon): Promise<ProposedOutline> {
  const input = sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326))`;
  const { rows } = await sql<ProposedOutline>`
    WITH o AS (SELECT ST_ForcePolygonCCW(${stOnGrid(input)}) AS g)
    SELECT encode(ST_AsEWKB(o.g), 'hex') AS ewkb, ST_AsGeoJSON(o.g, 7)::json AS geometry, ST_IsValid(o.g) AS valid,
           (SELECT coalesce(sum(bd.households), 0)::int FROM buildings bd
            WHERE bd.geom && o.g AND ST_Intersects(o.g, ST_PointOnSurface(bd.geom))) AS households
    FROM o`.execute(db);
  return rows[0]!;
}
