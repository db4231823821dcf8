/**
 * One community's proposal: its unit graph, the plan, the outlines, the proposed grids.
 *
 * An `unchanged` region (rebalance) returns today's geometry untouched only when today's grid
 * is exactly its faces (a grid reaching outside the community, over a commercial grid or into
 * its neighbour is not); otherwise it is rebuilt from its faces and counts as changed, so the
 * proposal tiles the community even where today's grids do not.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProposalProblem, ProposedGrid } from '../../common/contracts/proposals.ts';
import { householdBand } from '../../common/rules/household-band.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { addPart, assembleOutlines, buildingsCut } from './assemble.ts';
import { readKeptOutlines } from './assemble.queries.ts';
import { communityGraph } from './community-graph.ts';
import { readCommunityGrids } from './units.queries.ts';
import { newGridNames, problemMessages } from './proposal-text.ts';
import { settleVertices } from './settle-vertices.ts';
import type { PlanMetrics } from './metrics.ts';
import type { Bounds, RegionaliseOptions, RegionPlan, UnitGraph } from './unit-graph.ts';

export interface Planner {
  regionalise(graph: UnitGraph, options: RegionaliseOptions): RegionPlan;
  planMetrics(graph: UnitGraph, plan: RegionPlan): PlanMetrics;
}

export interface CommunityProposal {
  grids: ProposedGrid[];
  retired: string[];
  problems: ProposalProblem[];
  compoundsSplit: number;
  buildingsCut: number;
  householdsMoved: number;
}

export interface CommunityRequest {
  community: { code: string; name: string };
  source: GridSource;
  mode: 'fresh' | 'rebalance';
  seed: number;
  bounds: Bounds;
  /** Numbers new grids' keys across the whole proposal (`new-<n>`). */
  newKey: () => string;
}

/** Households of the largest unit in the given regions (what a unit_over_ceiling problem is about). */
function largestUnit(graph: UnitGraph, plan: RegionPlan, regions: readonly number[]): number {
  let max = 0;
  for (const r of regions)
    for (const u of plan.regions[r]?.units ?? []) max = Math.max(max, graph.units[u]!.households);
  return max;
}

export async function proposeCommunity(
  db: Kysely<DB>,
  request: CommunityRequest,
  planner: Planner,
): Promise<CommunityProposal> {
  const { community, source, mode, bounds } = request;
  const grids = await readCommunityGrids(db, community.code, source);
  const { graph, faces, faceUnit } = await communityGraph(db, community.code, source, mode);
  const plan: RegionPlan =
    graph.units.length === 0
      ? { regions: [], problems: [] }
      : planner.regionalise(graph, { bounds, mode, seed: request.seed });
  const metrics = planner.planMetrics(graph, plan);

  const regionOfUnit = new Int32Array(graph.units.length).fill(-1);
  plan.regions.forEach((r, i) => r.units.forEach((u) => (regionOfUnit[u] = i)));
  const keepsAsToday = plan.regions.map((r) => {
    // Today's outline is kept byte for byte even where it is not exactly its faces (an overlap
    // with a neighbour today): the proposal never silently repairs a grid it does not change.
    if (mode !== 'rebalance' || !r.unchanged || !r.keeps) return false;
    const own = graph.units.filter((u) => u.current === r.keeps).map((u) => u.id);
    return own.length === r.units.length && own.every((u, k) => u === r.units[k]);
  });
  const commercial = grids.filter((g) => g.kind === 'commercial');
  const built = assembleOutlines(
    faces
      .map((f, i) => ({
        wkb: f.wkb,
        rings: f.rings,
        outline: regionOfUnit[faceUnit[i]!]!,
        areaM2: f.areaM2,
        spans: f.spans,
      }))
      .filter((f) => f.outline >= 0 && !keepsAsToday[f.outline]),
  );
  const stays = await readKeptOutlines(db, {
    community: community.code,
    source,
    kept: [
      ...plan.regions.flatMap((r, i) => (keepsAsToday[i] ? [{ outline: i, code: r.keeps! }] : [])),
      ...commercial.map((g, j) => ({ outline: plan.regions.length + j, code: g.code })),
    ],
  });
  for (const p of stays.parts) addPart(built.parts, p.building, p.outline, p.areaM2);
  const assembled = {
    outlines: [...built.outlines, ...stays.outlines].sort((a, b) => a.outline - b.outline),
    buildingsCut: buildingsCut(built.parts),
    community: built.outlines.length + stays.outlines.length > 0 ? stays.community : null,
  };
  const outline = new Map(assembled.outlines.map((o) => [o.outline, o]));
  const isKept = (i: number) => i >= plan.regions.length || keepsAsToday[i] === true;
  if (assembled.community)
    settleVertices(
      assembled.outlines.filter((o) => !isKept(o.outline)).map((o) => o.geometry),
      [
        { geometry: assembled.community, inside: true },
        ...assembled.outlines.filter((o) => isKept(o.outline)).map((o) => ({ geometry: o.geometry, inside: false })),
      ],
    );
  const polsbyPopper = (i: number) => {
    const o = outline.get(i);
    return o && o.perimeterM > 0 ? (4 * Math.PI * o.areaM2) / (o.perimeterM * o.perimeterM) : 0;
  };

  const byCode = new Map(grids.map((g) => [g.code, g]));
  const nextName = newGridNames(grids.map((g) => g.name));
  const keys: string[] = [];
  const proposed: ProposedGrid[] = [];
  plan.regions.forEach((r, i) => {
    const today = r.keeps ? byCode.get(r.keeps) : undefined;
    const key = today ? today.code : request.newKey();
    keys.push(key);
    const geometry = outline.get(i)?.geometry;
    if (!geometry) return;
    const kind = today && today.kind !== 'commercial' ? today.kind : 'residential';
    proposed.push({
      code: today ? today.code : null,
      key,
      name: today ? today.name : nextName(),
      community_code: community.code,
      kind,
      households: r.households,
      buildings: metrics.regions[i]?.buildings ?? 0,
      band: householdBand(kind, r.households, bounds),
      status: keepsAsToday[i] ? 'unchanged' : today ? 'changed' : 'new',
      polsbyPopper: polsbyPopper(i),
      roadsCrossed: metrics.regions[i]?.roadsCrossed ?? 0,
      geometry,
    });
  });
  commercial.forEach((g, j) => {
    const geometry = outline.get(plan.regions.length + j)?.geometry;
    if (!geometry) return;
    proposed.push({
      code: g.code,
      key: g.code,
      name: g.name,
      community_code: community.code,
      kind: 'commercial',
      households: g.households,
      buildings: g.buildings,
      band: 'commercial',
      status: 'commercial',
      polsbyPopper: polsbyPopper(plan.regions.length + j),
      roadsCrossed: 0,
      geometry,
    });
  });

  const kept = new Set(plan.regions.map((r) => r.keeps));
  return {
    grids: proposed,
    retired: grids.filter((g) => g.kind !== 'commercial' && !kept.has(g.code)).map((g) => g.code),
    problems: plan.problems.map((p) => ({
      kind: p.kind,
      community_code: community.code,
      community_name: community.name,
      grids: p.regions.map((i) => keys[i]!).filter(Boolean),
      households: p.households,
      ...problemMessages(p.kind, community.name, p.households, bounds, largestUnit(graph, plan, p.regions)),
    })),
    compoundsSplit: metrics.compoundsSplit,
    buildingsCut: assembled.buildingsCut,
    householdsMoved: metrics.householdsMoved,
  };
}
