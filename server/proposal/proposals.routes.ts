/**
 * Grid proposals in a draft (智能划格, issue 19): compute one for a community or street of the
 * draft's street and keep it; read it back; 采用 writes it into the draft (apply.ts).
 */
import { Router, type Request } from 'express';
import type { AppContext } from '../context.ts';
import { ApplyProposalBody, ProposalRequest, type Proposal } from '../../common/contracts/proposals.ts';
import { badRequest, HttpError, notFound, unauthorized } from '../http/errors.ts';
import { parseBody, parseIdParam } from '../http/params.ts';
import { requireStreet, requireWriter } from '../auth/permissions.ts';
import { getDraft, lockOpenDraft } from '../editing/drafts.queries.ts';
import { regionHeader } from '../regions/regions.queries.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { boundsFor } from '../../common/rules/household-band.ts';
import { inStreet } from '../../common/rules/region-codes.ts';
import { inTransaction } from '../db/transaction.ts';
import { proposeGrids } from './propose.ts';
import { applyProposal } from './apply.ts';
import { insertProposal, lastChangesetOfDraft, proposalOf, proposalOfDraft } from './proposals.queries.ts';

const draftId = (value: unknown) => parseIdParam(value, 'id', 'a draft number');
const proposalId = (value: unknown) => parseIdParam(value, 'pid', 'a proposal number');

export function proposalRoutes({ db }: AppContext): Router {
  const router = Router();

  /** The draft and a user who may write its street: checked before any body is judged. */
  const writerOfDraft = async (req: Request) => {
    const user = requireWriter(req);
    const id = draftId(req.params.id);
    const draft = await getDraft(db, id);
    if (!draft) throw notFound('draft', String(id));
    requireStreet(user, draft.street_code);
    return { user, id, draft };
  };

  router.post('/drafts/:id/proposals', async (req, res) => {
    const { user, id, draft } = await writerOfDraft(req);
    const body = parseBody(ProposalRequest, req.body);
    if (draft.status !== 'open')
      throw new HttpError(409, 'draft_closed', `Draft ${id} is ${draft.status}; start a new draft`);

    const level = body.community !== undefined ? 'community' : 'street';
    const code = (body.community ?? body.street)!;
    const region = await regionHeader(db, code);
    if (!region || region.level !== level) throw badRequest(level, `${level}: ${code} is not a ${level}`);
    if (level === 'community' ? !inStreet(code, draft.street_code) : code !== draft.street_code)
      throw new HttpError(
        422,
        'other_street',
        `${level}: ${code} is not in street ${draft.street_code} of this draft`,
        level,
      );

    // Read before computing: an edit made meanwhile makes the proposal stale (apply refuses it).
    const base = await lastChangesetOfDraft(db, id);
    const bounds = boundsFor(await householdBoundsSetting(db), code);
    const answer = await proposeGrids(db, {
      draftId: id,
      scope: { level, code },
      mode: body.mode,
      seed: body.seed,
      bounds,
    });
    const stored = await inTransaction(db, async (trx) => {
      await lockOpenDraft(trx, id);
      return insertProposal(trx, {
        draftId: id,
        street: draft.street_code,
        scope: code,
        mode: body.mode,
        seed: body.seed,
        baseChangeset: base,
        answer,
        userId: user.id,
      });
    });
    const proposal: Proposal = { ...answer, id: stored, draft: id, applied: false };
    res.json(proposal);
  });

  router.get('/drafts/:id/proposals/:pid', async (req, res) => {
    if (!req.user) throw unauthorized();
    const id = draftId(req.params.id);
    const pid = proposalId(req.params.pid);
    const row = await proposalOfDraft(db, id, pid);
    if (!row) throw notFound('proposal', String(pid));
    res.json(proposalOf(row));
  });

  router.post('/drafts/:id/proposals/:pid/apply', async (req, res) => {
    const { user, id } = await writerOfDraft(req);
    const pid = proposalId(req.params.pid);
    const body = parseBody(ApplyProposalBody, req.body);
    const ctx = { user, draftId: id, ifMatch: undefined, comment: body.comment ?? `智能划格 采用建议 ${pid}` };
    res.json(await applyProposal(db, ctx, pid));
  });

  return router;
}
