import { describe, expect, it } from 'vitest';
import { createsCycle, placementProblem, type TreeNode } from '../../server/party/party-tree.ts';
import type { PartyOrgKind } from '../../common/domain.ts';

const node = (code: string, kind: PartyOrgKind, community = 'C1', parent: string | null = null): TreeNode => ({
  code,
  kind,
  parent_code: parent,
  community_code: community,
});

describe('party tree rules', () => {
  const committee = node('K', 'committee');
  const general = node('Z', 'general_branch');
  const branch = node('B', 'branch');
  const group = node('G', 'group');

  it('accepts every allowed placement', () => {
    expect(placementProblem(committee, null)).toBeNull();
    expect(placementProblem(general, null)).toBeNull();
    expect(placementProblem(general, committee)).toBeNull();
    expect(placementProblem(branch, committee)).toBeNull();
    expect(placementProblem(branch, general)).toBeNull();
    expect(placementProblem(group, branch)).toBeNull();
  });

  it('refuses every other placement, naming parent_code', () => {
    const refused: [TreeNode, TreeNode | null][] = [
      [committee, general],
      [committee, committee],
      [general, general],
      [general, branch],
      [branch, null],
      [branch, branch],
      [branch, group],
      [group, null],
      [group, committee],
      [group, general],
      [group, group],
    ];
    for (const [org, parent] of refused) {
      expect(placementProblem(org, parent)?.param, `${org.kind} under ${parent?.kind ?? 'nothing'}`).toBe(
        'parent_code',
      );
    }
    expect(placementProblem(group, committee)!.message).toContain('cannot sit under a committee');
  });

  it('refuses a parent in another community', () => {
    expect(placementProblem(node('G', 'group', 'C1'), node('B', 'branch', 'C2'))!.message).toContain('community C2');
  });

  it('detects a loop through the parent chain', () => {
    expect(createsCycle('B', 'G', ['B', 'K'])).toBe(true);
    expect(createsCycle('B', 'B', [])).toBe(true);
    expect(createsCycle('B', 'K', [])).toBe(false);
    expect(createsCycle('B', null, [])).toBe(false);
  });
});
