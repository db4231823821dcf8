import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { HistoryEntry } from '../../common/contracts/drafts.ts';
import type { GridSnapshot } from './drafts.queries.ts';

/** Changesets touching a grid, or of a street, newest first. */
export async function history(
  db: Kysely<DB>,
  filter: { grid?: string; street?: string },
  limit = 100,
): Promise<HistoryEntry[]> {
  const where = filter.grid
    ? sql`c.id IN (SELECT changeset_id FROM changeset_grids WHERE code = ${filter.grid})`
    : sql`c.street_code = ${filter.street!}`;
  const { rows } = await sql<HistoryEntry>`
    SELECT c.id AS changeset, c.draft_id, c.undone_by, c.street_code, c.operation, c.comment, u.username AS user, c.created_at::text AS created_at,
           coalesce((SELECT json_agg(json_build_object('code', cg.code, 'before', cg.before - 'draft', 'after', cg.after - 'draft') ORDER BY cg.code)
                     FROM changeset_grids cg WHERE cg.changeset_id = c.id), '[]') AS grids
    FROM changesets c JOIN users u ON u.id = c.user_id
    WHERE ${where}
    ORDER BY c.id DESC LIMIT ${limit}`.execute(db);
  return rows;
}

/** One changeset of a draft: what it did and whether it was undone (by which changeset). */
export async function changesetOfDraft(
  db: Kysely<DB>,
  draftId: number,
  changesetId: number,
): Promise<{ operation: string; undone_by: number | null } | undefined> {
  const { rows } = await sql<{ operation: string; undone_by: number | null }>`
    SELECT operation, undone_by FROM changesets WHERE id = ${changesetId} AND draft_id = ${draftId}`.execute(db);
  return rows[0];
}

/** The grids a changeset touched, each as it was before it. */
export async function changesetBefore(
  db: Kysely<DB>,
  changesetId: number,
): Promise<{ code: string; before: GridSnapshot | null }[]> {
  const { rows } = await sql<{ code: string; before: GridSnapshot | null }>`
    SELECT code, before FROM changeset_grids WHERE changeset_id = ${changesetId} ORDER BY code`.execute(db);
  return rows;
}

/**
 * The first later, not undone changeset of the draft touching one of `codes` (for an undo,
 * undos and redos of other changes do not count), or undefined.
 */
export async function laterChangeTouching(
  db: Kysely<DB>,
  draftId: number,
  changesetId: number,
  operation: 'undo' | 'redo',
  codes: readonly string[],
): Promise<{ id: number; code: string } | undefined> {
  const { rows } = await sql<{ id: number; code: string }>`
    SELECT c.id, g.code FROM changesets c JOIN changeset_grids g ON g.changeset_id = c.id
    WHERE c.draft_id = ${draftId} AND c.id > ${changesetId} AND c.undone_by IS NULL
      AND (${operation} = 'redo' OR c.operation NOT IN ('undo', 'redo'))
      AND g.code = ANY(${codes}::text[])
    ORDER BY c.id LIMIT 1`.execute(db);
  return rows[0];
}

/** Mark a changeset undone by `undoneBy`, or (null) no longer undone. */
export async function setUndoneBy(db: Kysely<DB>, changesetId: number, undoneBy: number | null): Promise<void> {
  await sql`UPDATE changesets SET undone_by = ${undoneBy} WHERE id = ${changesetId}`.execute(db);
}
