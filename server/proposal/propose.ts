/**
 * A grid proposal for a community or a street of a draft (issue 19, ADR 0020): build each
 * community's unit graph from the grids as the draft sees them, regionalise it, turn the
 * regions into outlines that tile the community, and measure the result.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Proposal, ProposalMode, ProposalSummary, ProposedGrid } from '../../common/contracts/proposals.ts';
import { PUBLISHED, draftSource } from '../validation/grid-source.ts';
import { regionalise } from './regionalise.ts';
import { planMetrics } from './metrics.ts';
import { proposeCommunity, type CommunityProposal, type Planner } from './propose-community.ts';
import { scopeCommunities } from './units.queries.ts';
import type { Bounds } from './unit-graph.ts';

export interface ProposeInput {
  /** The draft whose view of the grids is divided; null: the published grids (the CLI). */
  draftId: number | null;
  scope: { level: 'community' | 'street'; code: string };
  mode: ProposalMode;
  seed: number;
  bounds: Bounds;
}

/** The proposal as computed; the route stores it and adds id, draft and applied. */
export type ProposalResult = Omit<Proposal, 'id' | 'draft' | 'applied'>;

export async function proposeGrids(
  db: Kysely<DB>,
  input: ProposeInput,
  onProgress?: (done: number, total: number) => void,
): Promise<ProposalResult> {
  return proposeWith(db, input, { regionalise, planMetrics }, onProgress);
}

/** Communities computed at once (one pool connection each). */
const IN_FLIGHT = 2;
const PENDING = 'pending:';

/** Give new grids their keys `new-1`, `new-2`, … in community order (grids and problems alike). */
function numberNewKeys(parts: CommunityProposal[]): void {
  let n = 0;
  for (const part of parts) {
    const keys = new Map<string, string>();
    for (const g of part.grids)
      if (g.key.startsWith(PENDING)) {
        const key = `new-${++n}`;
        keys.set(g.key, key);
        g.key = key;
      }
    for (const p of part.problems) p.grids = p.grids.map((k) => keys.get(k) ?? k).filter((k) => !k.startsWith(PENDING));
  }
}

/** proposeGrids with the planner given (tests plan by hand). */
export async function proposeWith(
  db: Kysely<DB>,
  input: ProposeInput,
  planner: Planner,
  onProgress?: (done: number, total: number) => void,
): Promise<ProposalResult> {
  const started = performance.now();
  const { scopeName, communities } = await scopeCommunities(db, input.scope);
  if (scopeName === null) throw new Error(`proposeGrids: no ${input.scope.level} ${input.scope.code}`);
  const source = input.draftId === null ? PUBLISHED : draftSource(input.draftId);
  // Two communities in flight: while PostgreSQL cuts one community into faces, Node plans
  // another (2 cores). New grids' keys are numbered afterwards in community order, so the
  // proposal does not depend on which community finished first.
  const parts: CommunityProposal[] = new Array(communities.length);
  let done = 0;
  let next = 0;
  onProgress?.(0, communities.length);
  const work = async () => {
    for (let i = next++; i < communities.length; i = next++) {
      let k = 0;
      const newKey = () => `${PENDING}${i}:${++k}`;
      parts[i] = await proposeCommunity(
        db,
        { community: communities[i]!, source, mode: input.mode, seed: input.seed, bounds: input.bounds, newKey },
        planner,
      );
      onProgress?.(++done, communities.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, communities.length) }, work));
  numberNewKeys(parts);
  const grids = parts.flatMap((p) => p.grids);
  const retired = parts.flatMap((p) => p.retired);
  return {
    scope: { level: input.scope.level, code: input.scope.code, name: scopeName },
    mode: input.mode,
    seed: input.seed,
    bounds: { min: input.bounds.min, max: input.bounds.max },
    grids,
    retired,
    summary: summarise(grids, retired, parts),
    problems: parts.flatMap((p) => p.problems),
    tookMs: Math.round(performance.now() - started),
  };
}

const median = (xs: readonly number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function summarise(
  grids: readonly ProposedGrid[],
  retired: readonly string[],
  parts: CommunityProposal[],
): ProposalSummary {
  const residential = grids.filter((g) => g.kind !== 'commercial');
  const households = residential.map((g) => g.households);
  const sum = (f: (p: CommunityProposal) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    grids: grids.length,
    residential: residential.length,
    inBand: residential.filter((g) => g.band === 'ok').length,
    householdsMin: households.length ? Math.min(...households) : 0,
    householdsMedian: median(households),
    householdsMax: households.length ? Math.max(...households) : 0,
    compactnessMedian: median(residential.map((g) => g.polsbyPopper)),
    roadsCrossed: residential.reduce((s, g) => s + g.roadsCrossed, 0),
    compoundsSplit: sum((p) => p.compoundsSplit),
    buildingsCut: sum((p) => p.buildingsCut),
    gridsChanged: grids.filter((g) => g.status === 'changed' || g.status === 'new').length + retired.length,
    gridsRetired: retired.length,
    householdsMoved: sum((p) => p.householdsMoved),
    households: grids.reduce((s, g) => s + g.households, 0),
  };
}
