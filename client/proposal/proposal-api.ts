/** The proposal API (server/proposal, issue 19), typed by common/contracts/proposals.ts. */
import type { Proposal, ProposalApplied, ProposalMode } from '../../common/contracts/proposals.ts';
import { request } from '../api.ts';
import type { Scope } from './proposal-logic.ts';

const post = (body: unknown, signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  signal,
});

export const proposalApi = {
  /** Propose grids for a community or a street of the draft (a street takes seconds). */
  propose: (draft: number, scope: Scope, mode: ProposalMode, seed: number, signal?: AbortSignal) =>
    request<Proposal>(`/api/drafts/${draft}/proposals`, post({ [scope.level]: scope.code, mode, seed }, signal)),
  /** Write the proposal into the draft as one changeset; 409 `draft_changed` when the draft moved on. */
  apply: (draft: number, proposal: number, comment: string) =>
    request<ProposalApplied>(`/api/drafts/${draft}/proposals/${proposal}/apply`, post({ comment })),
};
