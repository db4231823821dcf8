/**
 * Undo a changeset of a draft: put back the draft's state of every grid it touched, as it
 * was before, bit for bit (the changeset kept the exact rows). Refused while a later change
 * in the draft touches one of those grids: undo that first. Redo is the undo of the undo:
 * it puts back what the undo took away, and is refused while anything later (an undo of an
 * earlier change included) touches those grids, so redos come back in order.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { requireStreet } from '../auth/permissions.ts';
import { dropDraftGrid, gridsInDraft, lockOpenDraft, recordChangeset, snapshotOf, writeDraftGrid, type GridSnapshot } from './drafts.queries.ts';
import type { EditContext, EditResult } from './operations.ts';
import { inTransaction } from '../db/transaction.ts';

export async function undoChangeset(db: Kysely<DB>, ctx: EditContext, changesetId: number): Promise<EditResult> {
  return inTransaction(db, async (trx) => revert(trx, ctx, changesetId, 'undo'));
}

/** Redo an undone changeset (by undoing its undo). */
export async function redoChangeset(db: Kysely<DB>, ctx: EditContext, changesetId: number): Promise<EditResult> {
  return inTransaction(db, async (trx) => {
    // Who may act on this draft comes first: nothing about its changesets leaks otherwise.
    requireStreet(ctx.user, (await lockOpenDraft(trx, ctx.draftId)).street_code);
    const { rows } = await sql<{ undone_by: number | null }>`
      SELECT undone_by FROM changesets WHERE id = ${changesetId} AND draft_id = ${ctx.draftId}`.execute(trx);
    if (!rows[0]) throw notFound('changeset', String(changesetId));
    if (rows[0].undone_by === null) throw new HttpError(409, 'not_undone', `Changeset ${changesetId} is not undone; nothing to redo`);
    const result = await revert(trx, ctx, rows[0].undone_by, 'redo');
    await sql`UPDATE changesets SET undone_by = NULL WHERE id = ${changesetId}`.execute(trx);
    return result;
  });
}

async function revert(trx: Kysely<DB>, ctx: EditContext, changesetId: number, operation: 'undo' | 'redo'): Promise<EditResult> {
  {
    const draft = await lockOpenDraft(trx, ctx.draftId);
    requireStreet(ctx.user, draft.street_code);
    const { rows } = await sql<{ operation: string; undone_by: number | null }>`
      SELECT operation, undone_by FROM changesets WHERE id = ${changesetId} AND draft_id = ${draft.id}`.execute(trx);
    const cs = rows[0];
    if (!cs) throw notFound('changeset', String(changesetId));
    if (cs.operation === 'publish' || cs.operation === 'redo' || (cs.operation === 'undo') !== (operation === 'redo')) {
      throw badRequest('changeset', `changeset: a ${cs.operation} cannot be ${operation === 'undo' ? 'undone' : 'redone'}; ${operation} the original change`);
    }
    if (cs.undone_by !== null) throw new HttpError(409, 'already_undone', `Changeset ${changesetId} was already undone`);
    const { rows: grids } = await sql<{ code: string; before: GridSnapshot | null }>`
      SELECT code, before FROM changeset_grids WHERE changeset_id = ${changesetId} ORDER BY code`.execute(trx);
    const codes = grids.map((g) => g.code);
    const { rows: later } = await sql<{ id: number; code: string }>`
      SELECT c.id, g.code FROM changesets c JOIN changeset_grids g ON g.changeset_id = c.id
      WHERE c.draft_id = ${draft.id} AND c.id > ${changesetId} AND c.undone_by IS NULL
        AND (${operation} = 'redo' OR c.operation NOT IN ('undo', 'redo'))
        AND g.code = ANY(${codes}::text[])
      ORDER BY c.id LIMIT 1`.execute(trx);
    if (later[0]) {
      throw new HttpError(409, 'later_change', `Changeset ${later[0].id} changed grid ${later[0].code} later; undo it first`, undefined, { changeset: later[0].id });
    }
    const current = await gridsInDraft(trx, draft.id, codes);
    for (const { code, before } of grids) {
      if (!before || !before.draft || !before.draft.inDraft) {
        // It did not exist before, or the draft had not touched it: drop the draft's row.
        await dropDraftGrid(trx, draft.id, code);
      } else {
        await writeDraftGrid(trx, draft.id, {
          code,
          baseVersion: before.draft.baseVersion,
          retired: before.draft.retired,
          name: before.name,
          community_code: before.community_code,
          kind: before.kind,
          households: before.households,
          households_source: before.households_source,
          ewkb: before.draft.ewkb,
          party_orgs: before.party_orgs ?? null,
          workers: before.workers ?? null,
        });
      }
    }
    const restored = await gridsInDraft(trx, draft.id, codes);
    const undo = await recordChangeset(trx, {
      draftId: draft.id,
      street: draft.street_code,
      userId: ctx.user.id,
      operation,
      comment: ctx.comment,
      grids: codes.map((code) => {
        const now = current.find((g) => g.code === code);
        const then = restored.find((g) => g.code === code);
        // Full states, retired rows included: a redo (the undo of this undo) must put a
        // retired row back as retired, not drop it and let the published grid reappear.
        return { code, before: now ? snapshotOf(now) : null, after: then ? snapshotOf(then) : null };
      }),
    });
    await sql`UPDATE changesets SET undone_by = ${undo} WHERE id = ${changesetId}`.execute(trx);
    return { changeset: undo, grids: restored.filter((g) => !g.retired).map((g) => g.code) };
  }
}
