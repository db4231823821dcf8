/**
 * The kinds of validation problem and how grave each is: which exist, which are errors,
 * warnings or info, which break a community's tiling (a community with one of them is not
 * "tiled"), which are gaps and which a repair can mend. The validation engine, the draft
 * check, publish, repairs and the client's problem list all ask here. Pure: no database, no DOM.
 */

/** What a validation problem is about. `sliver` is a gap or overlap under the tolerances. */
export const PROBLEM_TYPES = [
  'overlap',
  'gap',
  'sliver',
  'outside',
  'multipart',
  'invalid',
  'households',
  'party',
  'worker',
] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** error: the tiling is broken; warning: a rule of the grid system is not met; info: slivers. Gravest first. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type ProblemSeverity = (typeof SEVERITIES)[number];

export const PROBLEM_SEVERITY: Readonly<Record<ProblemType, ProblemSeverity>> = {
  overlap: 'error',
  gap: 'error',
  outside: 'error',
  multipart: 'error',
  invalid: 'error',
  households: 'warning',
  party: 'warning',
  worker: 'warning',
  sliver: 'info',
};

/** The field of the validation summary that counts each problem type. */
export const PROBLEM_SUMMARY_FIELD = {
  overlap: 'overlaps',
  gap: 'gaps',
  sliver: 'slivers',
  outside: 'outside',
  multipart: 'multipart',
  invalid: 'invalid',
  households: 'householdsOutOfRange',
  party: 'uncoveredByParty',
  worker: 'withoutWorker',
} as const satisfies Record<ProblemType, string>;

/** 0 for the gravest severity (error), then warning 1, info 2: sort ascending to list the worst first. */
export function severityRank(severity: ProblemSeverity): number {
  return SEVERITIES.indexOf(severity);
}

/** The graver of two severities. */
export function graver(a: ProblemSeverity, b: ProblemSeverity): ProblemSeverity {
  return severityRank(b) < severityRank(a) ? b : a;
}

/** Problem types that break the tiling: a community with one of them is not tiled. */
export const TILING_TYPES: ReadonlySet<ProblemType> = new Set<ProblemType>(['gap', 'overlap', 'sliver', 'outside']);

/** True when a problem of this type means the community's grids do not tile it. */
export function breaksTiling(type: ProblemType): boolean {
  return TILING_TYPES.has(type);
}

/** The part of a problem (a ProblemFeature of the API) the rules below read. */
export interface ProblemFacts {
  properties: { type: ProblemType; detail: Record<string, unknown> };
}

/** Gaps, and slivers of gaps: what an admin may allow (a river, a rail yard); an overlap never is. */
export function isGapProblem({ properties: { type, detail } }: ProblemFacts): boolean {
  return type === 'gap' || (type === 'sliver' && detail.of === 'gap');
}

/** Gaps, overlaps and slivers (of either) are repairable, as a gap or an overlap; the rest are not the repair's business. */
export function repairKind({ properties: { type, detail } }: ProblemFacts): 'gap' | 'overlap' | null {
  if (type === 'gap' || type === 'overlap') return type;
  if (type === 'sliver' && (detail.of === 'gap' || detail.of === 'overlap')) return detail.of;
  return null;
}
