import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { HistoryEntry } from '../../common/contracts/drafts.ts';

/** Changesets touching a grid, or of a street, newest first. */
export async function history(db: Kysely<DB>, filter: { grid?: string; street?: string }, limit = 100): Promise<HistoryEntry[]> {
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
