/** Grid proposals in a draft (智能划格, issue 19, ADR 0020). */
import { ApplyProposalBody, Proposal, ProposalApplied, ProposalRequest } from '../../../common/contracts/proposals.ts';
import { draftIdPath, fromZod, json, jsonBody, numberPath, op, ref, type Paths } from '../openapi.build.ts';

const proposalPath = numberPath('pid', 'Proposal number');

export const proposalPaths: Paths = {
  '/api/drafts/{id}/proposals': {
    post: op({
      tag: 'editing',
      zh: '智能划格：生成建议',
      en: 'Propose grids of 300–500 households (the district’s bounds) for a community or for the whole street of the draft, from its buildings, roads and compounds, as the draft sees its grids. `rebalance` (调整) changes only grids outside the band and as few neighbours as needed; `fresh` (重新划分) ignores today’s grids. The proposal is kept (nothing in the draft changes) and answered whole: the proposed grids, the grids it retires, a summary and the cases where the band cannot be met, with the reason. Same seed, same data: the same proposal. A community or street outside the draft’s street is a 422.',
      access: 'writer',
      params: [draftIdPath],
      body: jsonBody(fromZod(ProposalRequest)),
      ok: { 200: json(ref(Proposal)) },
      errors: [404, 409, 422],
    }),
  },
  '/api/drafts/{id}/proposals/{pid}': {
    get: op({
      tag: 'editing',
      zh: '智能划格建议',
      en: 'A proposal of the draft as it was computed, and whether it was applied.',
      access: 'user',
      params: [draftIdPath, proposalPath],
      ok: { 200: json(ref(Proposal)) },
      errors: [404],
    }),
  },
  '/api/drafts/{id}/proposals/{pid}/apply': {
    post: op({
      tag: 'editing',
      zh: '采用建议',
      en: 'Write the proposal into the draft as one changeset (operation `propose`), undone like any edit: retired grids are retired, changed grids take their new outline and keep code, name, party organisations and workers, new grids get new codes; households follow the buildings. Refused with 409 `draft_changed` when the draft changed after the proposal was made (make it again), and 409 `already_applied` the second time. No If-Match: the proposal names the state it was made from.',
      access: 'writer',
      params: [draftIdPath, proposalPath],
      body: jsonBody(fromZod(ApplyProposalBody), false),
      ok: { 200: json(ref(ProposalApplied)) },
      errors: [404, 409, 422],
    }),
  },
};
