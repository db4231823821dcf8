/**
 * The generated city's communities (npm run demo:city): every community has land and at
 * least one grid, and the grids of a community tile it as neighbours, each sharing a lattice
 * edge with another grid of its community. Seed 20260 (the default) once made community
 * 130145002011 of one block wholly in the river: no buildable cell, so no grid, and the
 * generator stopped with "a grid touches no other". Plans only (cells, no geometry): fast.
 */
import { describe, expect, it } from 'vitest';
import { cityDistrictCount, cityDistrictOptions } from '../../data/generator/city.ts';
import { districtHierarchy } from '../../data/generator/district.ts';
import type { CommunityPlan } from '../../data/generator/hierarchy.ts';
import { cellNeighbours, type DistrictPlan } from '../../data/generator/plan.ts';

/** What is wrong with a community's grids, as short sentences (none when all is well). */
function communityProblems(plan: DistrictPlan, community: CommunityPlan): string[] {
  const problems: string[] = [];
  const buildable = (cell: number) => plan.river[cell] === 0;
  const name = community.code;
  if (!community.cells.some(buildable)) problems.push(`${name}: no buildable cell`);
  if (community.grids.length === 0) problems.push(`${name}: no grid`);
  const gridOf = new Map<number, number>();
  community.grids.forEach((grid, g) => grid.cells.forEach((cell) => gridOf.set(cell, g)));
  const cells = [...gridOf.keys()].sort((a, b) => a - b);
  if (cells.length !== community.cells.length || cells.some((c, k) => c !== community.cells[k]))
    problems.push(`${name}: its grids do not tile it`);
  community.grids.forEach((grid, g) => {
    if (!grid.cells.some(buildable)) problems.push(`${grid.code}: no buildable cell`);
    if (community.grids.length < 2) return;
    const touches = grid.cells.some((cell) =>
      cellNeighbours(plan.lattice, cell).some((n) => gridOf.has(n) && gridOf.get(n) !== g),
    );
    if (!touches) problems.push(`${grid.code}: shares no edge with another grid of ${name}`);
  });
  return problems;
}

function cityProblems(seed: number, totalGrids: number, d: number): string[] {
  const { plan, streets } = districtHierarchy(cityDistrictOptions(seed, totalGrids, d));
  return streets.flatMap((s) => s.communities).flatMap((c) => communityProblems(plan, c));
}

describe('generated city communities', () => {
  it('seed 20260, district 43: community 130145002011 has land and grids that touch (was: a grid touches no other)', () => {
    const options = cityDistrictOptions(20260, 100_000, 43);
    expect(options.code).toBe('130145');
    const { plan, streets } = districtHierarchy(options);
    const communities = streets.flatMap((s) => s.communities);
    const community = communities.find((c) => c.code === '130145002011');
    expect(community).toBeDefined();
    expect(community!.grids.length).toBeGreaterThanOrEqual(1);
    expect(communityProblems(plan, community!)).toEqual([]);
    expect(communities.flatMap((c) => communityProblems(plan, c))).toEqual([]);
    expect(communities.reduce((n, c) => n + c.grids.length, 0)).toBe(options.grids);
  });

  it('every community has land and touching grids, over many seeds (small districts and a full one)', () => {
    const problems: string[] = [];
    // A city of 1,000 grids: three full districts and one of 43 grids (smaller lattice).
    for (let seed = 1; seed <= 8; seed++)
      for (const d of [0, cityDistrictCount(1000) - 1]) problems.push(...cityProblems(seed, 1000, d));
    for (let seed = 100; seed < 140; seed++) problems.push(...cityProblems(seed, 60, 0));
    expect(problems).toEqual([]);
  });
});
