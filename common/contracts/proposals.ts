/**
 * Grid proposals (智能划格, issue 19, ADR 0020): the request, the proposed grids and the
 * summary a street office reviews before 采用 writes the proposal into its draft.
 * Declared once here: the server parses and answers with these, the editor reads them,
 * the OpenAPI document describes them.
 */
import { z } from 'zod';
import { REGION_CODE } from '../domain.ts';
import { MultiPolygon } from './geojson.ts';
import { GridKind } from './grids.ts';

/** 重新划分 ignores today's grids; 调整 changes only out-of-band grids and as few neighbours as needed. */
export const ProposalMode = z.enum(['fresh', 'rebalance']);
export type ProposalMode = z.infer<typeof ProposalMode>;

/** Body of POST /api/drafts/{id}/proposals: exactly one of community or street. */
export const ProposalRequest = z
  .object({
    community: z.string().regex(REGION_CODE, 'must be a 12-digit community code').optional(),
    street: z.string().regex(REGION_CODE, 'must be a 12-digit street code').optional(),
    mode: ProposalMode.default('rebalance'),
    /** Same seed, same data: the same proposal. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  })
  .strict()
  .refine((b) => (b.community === undefined) !== (b.street === undefined), {
    message: 'give exactly one of community or street',
    path: ['community'],
  });
export type ProposalRequest = z.infer<typeof ProposalRequest>;

/**
 * What happens to a grid: `unchanged` (byte-identical to today, rebalance only), `changed`
 * (keeps its code, name, party organisations and workers; new outline), `new` (a new code),
 * `commercial` (a commercial grid kept as it is, not bound by the band).
 */
export const ProposedGridStatus = z.enum(['unchanged', 'changed', 'new', 'commercial']);
export type ProposedGridStatus = z.infer<typeof ProposedGridStatus>;

export const ProposedGrid = z.object({
  /** Today's code for unchanged/changed/commercial grids; null for a new grid (a code is given on apply). */
  code: z.string().nullable(),
  /** A stable key inside the proposal (the code, or `new-<n>`). */
  key: z.string(),
  name: z.string(),
  community_code: z.string(),
  kind: GridKind,
  households: z.number().int(),
  buildings: z.number().int(),
  band: z.enum(['low', 'ok', 'high', 'commercial']),
  status: ProposedGridStatus,
  /** 4πA/P² of the outline (1 for a circle). */
  polsbyPopper: z.number(),
  /** Public roads (not service lanes) that run through the grid's inside: a boundary could have followed them. */
  roadsCrossed: z.number().int(),
  geometry: MultiPolygon,
});
export type ProposedGrid = z.infer<typeof ProposedGrid>;

/** Why a band cannot be met, per case, with the plan's least-bad answer. */
export const ProposalProblem = z.object({
  kind: z.enum([
    /** One building (or an indivisible compound part) holds more households than the ceiling. */
    'unit_over_ceiling',
    /** A community (or what is left of it beside its commercial grids) holds fewer households than the floor. */
    'community_under_floor',
    /** No division of the community into contiguous grids meets both bounds (e.g. 520 households). */
    'band_unreachable',
  ]),
  community_code: z.string(),
  community_name: z.string(),
  /** Keys of the proposed grids concerned. */
  grids: z.array(z.string()),
  households: z.number().int(),
  /** 中文 first, as shown to the user. */
  message: z.string(),
  message_en: z.string(),
});
export type ProposalProblem = z.infer<typeof ProposalProblem>;

export const ProposalSummary = z.object({
  grids: z.number().int(),
  /** Residential and mixed grids (the ones the band applies to). */
  residential: z.number().int(),
  inBand: z.number().int(),
  householdsMin: z.number().int(),
  householdsMedian: z.number(),
  householdsMax: z.number().int(),
  /** Median Polsby–Popper of the proposed grids. */
  compactnessMedian: z.number(),
  roadsCrossed: z.number().int(),
  compoundsSplit: z.number().int(),
  buildingsCut: z.number().int(),
  /** Grids that are not byte-identical to today's (new, changed and retired ones). */
  gridsChanged: z.number().int(),
  gridsRetired: z.number().int(),
  /** Households whose building ends in another grid than today's. */
  householdsMoved: z.number().int(),
  households: z.number().int(),
});
export type ProposalSummary = z.infer<typeof ProposalSummary>;

/** Answer of POST /api/drafts/{id}/proposals (and GET …/proposals/{pid}). */
export const Proposal = z
  .object({
    id: z.number().int(),
    draft: z.number().int(),
    scope: z.object({ level: z.enum(['community', 'street']), code: z.string(), name: z.string() }),
    mode: ProposalMode,
    seed: z.number().int(),
    bounds: z.object({ min: z.number().int(), max: z.number().int() }),
    grids: z.array(ProposedGrid),
    /** Today's grids the proposal retires (their area goes to the proposed grids). */
    retired: z.array(z.string()),
    summary: ProposalSummary,
    problems: z.array(ProposalProblem),
    applied: z.boolean(),
    tookMs: z.number(),
  })
  .meta({ id: 'Proposal' });
export type Proposal = z.infer<typeof Proposal>;

/** Body of POST /api/drafts/{id}/proposals/{pid}/apply (optional: the changeset's comment). */
export const ApplyProposalBody = z.object({ comment: z.string().trim().min(1).max(2_000).optional() }).strict();
export type ApplyProposalBody = z.infer<typeof ApplyProposalBody>;

/** Answer of POST /api/drafts/{id}/proposals/{pid}/apply: one changeset in the draft. */
export const ProposalApplied = z
  .object({
    changeset: z.number().int(),
    grids: z.array(z.object({ key: z.string(), code: z.string(), etag: z.string() })),
    retired: z.array(z.string()),
  })
  .meta({ id: 'ProposalApplied' });
export type ProposalApplied = z.infer<typeof ProposalApplied>;
