/**
 * Party organisations built on the grids: a 党委 per community, and exactly one grid-level
 * organisation per grid (党支部 or 党小组; Anci: 24 + 295 = 319), except for a few grids
 * left uncovered and one grid claimed twice, so planners' coverage checks find something.
 */
import type { CommunityPlan, GridPlan } from './hierarchy.ts';
import { personName } from './names.ts';
import type { Rng } from './prng.ts';
import type { OrgGridRow, PartyOrgRow } from './types.ts';

export interface PartyOptions {
  branches: number;
  /** Grids left without an organisation (their group exists but is not yet assigned). */
  uncovered: number;
}

export interface PartyResult {
  partyOrgs: PartyOrgRow[];
  orgGrids: OrgGridRow[];
  uncoveredGrids: string[];
  doubleClaimedGrids: string[];
}

export function buildParty(communities: readonly CommunityPlan[], options: PartyOptions, rng: Rng): PartyResult {
  const partyOrgs: PartyOrgRow[] = [];
  const orgGrids: OrgGridRow[] = [];
  const branchesPer = new Map<string, number>();
  const order = rng.shuffle(communities.map((c) => c.code));
  for (let k = 0; k < options.branches; k++) {
    const code = order[k % order.length] as string;
    branchesPer.set(code, (branchesPer.get(code) ?? 0) + 1);
  }
  const groupsOnGrid = new Map<string, { org: string; community: CommunityPlan }>();
  for (const community of communities) {
    const committee = `DW${community.code}`;
    partyOrgs.push({
      code: committee,
      name: `中共${community.name}委员会`,
      kind: 'committee',
      parent_code: null,
      community_code: community.code,
      secretary_name: personName(rng),
      member_count: rng.int(60, 220),
    });
    const grids = rng.shuffle([...community.grids]);
    const branchCount = Math.min(branchesPer.get(community.code) ?? 0, grids.length);
    const branches: string[] = [];
    grids.forEach((grid: GridPlan, k) => {
      const isBranch = k < branchCount;
      const code = `${isBranch ? 'ZB' : 'XZ'}${grid.code}`;
      partyOrgs.push({
        code,
        name: `${community.name}${grid.name}${isBranch ? '党支部' : '党小组'}`,
        kind: isBranch ? 'branch' : 'group',
        parent_code: isBranch || branches.length === 0 || rng.chance(0.3) ? committee : rng.pick(branches),
        community_code: community.code,
        secretary_name: personName(rng),
        member_count: isBranch ? rng.int(12, 45) : rng.int(3, 12),
      });
      if (isBranch) branches.push(code);
      else groupsOnGrid.set(grid.code, { org: code, community });
      orgGrids.push({ org_code: code, grid_code: grid.code });
    });
  }
  // Leave a few grids uncovered (in different communities); the first of their groups is
  // instead built on a neighbouring grid that already has one: a double claim.
  const uncoveredGrids: string[] = [];
  const doubleClaimedGrids: string[] = [];
  const seen = new Set<string>();
  for (const [gridCode, { org, community }] of rng.shuffle(
    [...groupsOnGrid].sort((a, b) => a[0].localeCompare(b[0])),
  )) {
    if (uncoveredGrids.length >= options.uncovered) break;
    if (seen.has(community.code) || community.grids.length < 2) continue;
    seen.add(community.code);
    const row = orgGrids.findIndex((r) => r.org_code === org && r.grid_code === gridCode);
    orgGrids.splice(row, 1);
    uncoveredGrids.push(gridCode);
    if (doubleClaimedGrids.length === 0) {
      const other = community.grids.find((g) => g.code !== gridCode) as GridPlan;
      orgGrids.push({ org_code: org, grid_code: other.code });
      doubleClaimedGrids.push(other.code);
    }
  }
  orgGrids.sort((a, b) => a.grid_code.localeCompare(b.grid_code) || a.org_code.localeCompare(b.org_code));
  return { partyOrgs, orgGrids, uncoveredGrids: uncoveredGrids.sort(), doubleClaimedGrids };
}
