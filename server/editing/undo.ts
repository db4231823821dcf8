/**
 * Undo a changeset of a draft: put back the draft's state of every grid it touched, as it
 * was before, bit for bit (the changeset kept the exact rows). Refused while a later change
 * in the draft touches one of those grids: undo that first. Redo is the undo of the undo:
 * it puts back what the undo took away, and is refused while anything later (an undo of an
 * earlier change included) touches those grids, so redos come back in order.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { requireStreet } from '../auth/permissions.ts';
import {
  dropDraftGrid,
  gridsInDraft,
  lockOpenDraft,
  recordChangeset,
  snapshotOf,
  writeDraftGrid,
} from './drafts.queries.ts';
import { changesetBefore, changesetOfDraft, laterChangeTouching, setUndoneBy } from './history.queries.ts';
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
    const cs = await changesetOfDraft(trx, ctx.draftId, changesetId);
    if (!cs) throw notFound('changeset', String(changesetId));
    if (cs.undone_by === null)
      throw new HttpError(409, 'not_undone', `Changeset ${changesetId} is not undone; nothing to redo`);
    const result = await revert(trx, ctx, cs.undone_by, 'redo');
    await setUndoneBy(trx, changesetId, null);
    return result;
  });
}

async function revert(
  trx: Kysely<DB>,
  ctx: EditContext,
  changesetId: number,
  operation: 'undo' | 'redo',
): Promise<EditResult> {
  {
    const draft = await lockOpenDraft(trx, ctx.draftId);
    requireStreet(ctx.user, draft.street_code);
    const cs = await changesetOfDraft(trx, draft.id, changesetId);
    if (!cs) throw notFound('changeset', String(changesetId));
    if (cs.operation === 'publish' || cs.operation === 'redo' || (cs.operation === 'undo') !== (operation === 'redo')) {
      throw badRequest(
        'changeset',
        `changeset: a ${cs.operation} cannot be ${operation === 'undo' ? 'undone' : 'redone'}; ${operation} the original change`,
      );
    }
    if (cs.undone_by !== null)
      throw new HttpError(409, 'already_undone', `Changeset ${changesetId} was already undone`);
    const grids = await changesetBefore(trx, changesetId);
    const codes = grids.map((g) => g.code);
    const later = await laterChangeTouching(trx, draft.id, changesetId, operation, codes);
    if (later) {
      throw new HttpError(
        409,
        'later_change',
        `Changeset ${later.id} changed grid ${later.code} later; undo it first`,
        undefined,
        { changeset: later.id },
      );
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
    await setUndoneBy(trx, changesetId, undo);
    return { changeset: undo, grids: restored.filter((g) => !g.retired).map((g) => g.code) };
  }
}
