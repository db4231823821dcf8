/** Names of new grids and the wording of a proposal's problems (pure; Chinese first). */
import type { ProposalProblem } from '../../common/contracts/proposals.ts';
import type { Bounds, PlanProblemKind } from './unit-graph.ts';

const NUMBERED = /^第(\d+)网格$/;

/**
 * Names for new grids, as the demo names grids ("第N网格"), numbered on after the highest
 * number a grid of the community already has (retired ones included, so no name comes back).
 */
export function newGridNames(existing: readonly string[]): () => string {
  let next = existing.reduce((max, name) => Math.max(max, Number(NUMBERED.exec(name)?.[1] ?? 0)), 0);
  return () => `第${++next}网格`;
}

export function problemMessages(
  kind: PlanProblemKind,
  community: string,
  households: number,
  bounds: Bounds,
  /** unit_over_ceiling: the households of the largest indivisible unit. */
  unitHouseholds = households,
): Pick<ProposalProblem, 'message' | 'message_en'> {
  const band = `${bounds.min}–${bounds.max}`;
  switch (kind) {
    case 'unit_over_ceiling':
      return {
        message: `${community}：一栋楼（或不可再分的一片）有 ${unitHouseholds} 户，超过上限 ${bounds.max} 户，所在网格（${households} 户）无法落入 ${band} 户区间。`,
        message_en: `${community}: one building (or indivisible piece) holds ${unitHouseholds} households, above the ceiling of ${bounds.max}; its grid (${households} households) cannot be within ${band}.`,
      };
    case 'community_under_floor':
      return {
        message: `${community}：可划分的住户只有 ${households} 户，少于下限 ${bounds.min} 户；只能划为一个网格。`,
        message_en: `${community}: only ${households} households to divide, below the floor of ${bounds.min}; it stays one grid.`,
      };
    case 'band_unreachable':
      return {
        // Said as what was found, not as a proof: the planner's search can miss a division
        // that exists (ADR 0020), so the user is told where to look (whole compounds, towers).
        message: `${community}：在不拆分小区、不切割楼栋的前提下，没有找到把 ${households} 户分成每格 ${band} 户相连网格的方案；已给出偏离最小的方案，可在此基础上手工调整。`,
        message_en: `${community}: no division of ${households} households into contiguous grids of ${band} was found that keeps compounds whole and buildings uncut; this is the plan that misses the band least, to adjust by hand.`,
      };
  }
}
