/**
 * 采用: a stored proposal written into its draft as ONE changeset (operation 'propose'),
 * undone like any edit. Refused when the draft moved on since the proposal was computed (its
 * last changeset is not the proposal's base): the proposal was made from other grids and
 * must be made again. Retired grids are retired, `changed` grids take their new outline and
 * keep code, name, party organisations and workers, `new` grids get the community's next
 * codes; `unchanged` and `commercial` grids are not touched. Households follow the buildings.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProposalApplied, ProposedGrid } from '../../common/contracts/proposals.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { begin, recordEdit, retireInDraft, type EditContext } from '../editing/operations.ts';
import {
  allocateGridCodes,
  gridsInDraft,
  snapshotOf,
  writeDraftGrid,
  type ChangeRecord,
  type GridInDraft,
  type GridWrite,
} from '../editing/drafts.queries.ts';
import { etagOf } from '../editing/etags.ts';
import {
  lastChangesetOfDraft,
  markProposalApplied,
  proposalOfDraft,
  proposedOutline,
  type ProposedOutline,
} from './proposals.queries.ts';

type Trx = Kysely<DB>;

/** The outline of a proposed grid as stored; a broken proposal is refused, never repaired. */
async function outlineOf(trx: Trx, grid: ProposedGrid): Promise<ProposedOutline> {
  const outline = await proposedOutline(trx, grid.geometry);
  if (!outline.valid)
    throw new HttpError(
      422,
      'invalid_proposal',
      `建议中的网格 ${grid.key} 轮廓无效，请重新生成建议 · The outline of proposed grid ${grid.key} is invalid; make the proposal again`,
    );
  return outline;
}

/** Codes of the draft's live grids, as the draft sees them now; each must exist. */
async function current(trx: Trx, draftId: number, codes: readonly string[]): Promise<Map<string, GridInDraft>> {
  const grids = await gridsInDraft(trx, draftId, codes);
  const byCode = new Map(grids.filter((g) => !g.retired).map((g) => [g.code, g]));
  for (const code of codes) if (!byCode.has(code)) throw draftChanged(`grid ${code} is gone`);
  return byCode;
}

const draftChanged = (why: string) =>
  new HttpError(
    409,
    'draft_changed',
    `草稿在生成建议之后已有改动，请重新生成建议 · The draft changed after this proposal was made (${why}); make the proposal again`,
  );

export async function applyProposal(db: Kysely<DB>, ctx: EditContext, proposalId: number): Promise<ProposalApplied> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const row = await proposalOfDraft(trx, draft.id, proposalId, true);
    if (!row) throw notFound('proposal', String(proposalId));
    if (row.applied_changeset !== null)
      throw new HttpError(
        409,
        'already_applied',
        `建议 ${proposalId} 已采用（变更 ${row.applied_changeset}） · Proposal ${proposalId} was already applied (changeset ${row.applied_changeset})`,
        undefined,
        { changeset: row.applied_changeset },
      );
    const last = await lastChangesetOfDraft(trx, draft.id);
    if (last !== row.base_changeset) throw draftChanged(`its last change is ${last ?? 'none'}`);

    const proposal = row.answer;
    const changed = proposal.grids.filter((g) => g.status === 'changed');
    const created = proposal.grids.filter((g) => g.status === 'new');
    const grids = await current(trx, draft.id, [...changed.map((g) => g.code!), ...proposal.retired]);
    const changes: ChangeRecord[] = [];

    for (const code of proposal.retired) {
      const grid = grids.get(code)!;
      await retireInDraft(trx, draft.id, grid);
      changes.push({ code, before: snapshotOf(grid), after: null });
    }
    for (const p of changed) {
      const grid = grids.get(p.code!)!;
      const outline = await outlineOf(trx, p);
      const written = {
        code: grid.code,
        baseVersion: grid.baseVersion,
        retired: false,
        name: grid.name,
        community_code: grid.community_code,
        kind: p.kind,
        households: outline.households,
        households_source: 'buildings' as const,
        ewkb: outline.ewkb,
        party_orgs: grid.party_orgs,
        workers: grid.workers,
      } satisfies GridWrite;
      await writeDraftGrid(trx, draft.id, written);
      changes.push({ code: grid.code, before: snapshotOf(grid), after: snapshotOf({ ...written, ...outline }) });
    }
    const keys = new Map<string, string>(changed.map((p) => [p.key, p.code!]));
    const communities = [...new Set(created.map((p) => p.community_code))].sort();
    for (const community of communities) {
      const mine = created.filter((p) => p.community_code === community);
      const codes = await allocateGridCodes(trx, community, mine.length);
      for (const [i, p] of mine.entries()) {
        const outline = await outlineOf(trx, p);
        const written = {
          code: codes[i]!,
          baseVersion: null,
          retired: false,
          name: p.name,
          community_code: community,
          kind: p.kind,
          households: outline.households,
          households_source: 'buildings' as const,
          ewkb: outline.ewkb,
        } satisfies GridWrite;
        await writeDraftGrid(trx, draft.id, written);
        changes.push({ code: written.code, before: null, after: snapshotOf({ ...written, ...outline }) });
        keys.set(p.key, written.code);
      }
    }
    if (changes.length === 0)
      throw new HttpError(
        409,
        'nothing_to_apply',
        `建议 ${proposalId} 不改动任何网格 · Proposal ${proposalId} changes no grid`,
      );

    const changeset = await recordEdit(trx, draft, ctx, 'propose', changes);
    await markProposalApplied(trx, row.id, changeset);
    const states = new Map((await gridsInDraft(trx, draft.id, [...keys.values()])).map((g) => [g.code, g]));
    return {
      changeset,
      grids: [...keys].map(([key, code]) => ({ key, code, etag: etagOf(states.get(code)!) })),
      retired: [...proposal.retired],
    };
  });
}
