/**
 * The shape of a community's party organisation tree (社区党组织体系), as pure rules:
 *
 *   党委 committee ─┬─ 党总支 general branch ── 党支部 branch ── 党小组 group
 *                   └─ 党支部 branch ── 党小组 group
 *
 * A committee or a general branch may be the top (no parent); a general branch may sit
 * under a committee; a branch under a committee or a general branch; a group under a
 * branch. Parent and child share one community. Only branches and groups are built on
 * grids (网格党组织).
 */
import type { PartyOrgKind } from '../../common/domain.ts';

export interface TreeNode {
  code: string;
  kind: PartyOrgKind;
  parent_code: string | null;
  community_code: string;
}

export const PARTY_ORG_KINDS = ['committee', 'general_branch', 'branch', 'group'] as const;
export const GRID_LEVEL_KINDS: readonly PartyOrgKind[] = ['branch', 'group'];

/** The kinds each kind may sit under; null: it may be the top of the tree. */
export const ALLOWED_PARENTS: Record<PartyOrgKind, readonly (PartyOrgKind | null)[]> = {
  committee: [null],
  general_branch: [null, 'committee'],
  branch: ['committee', 'general_branch'],
  group: ['branch'],
};

const KIND_ZH: Record<PartyOrgKind, string> = {
  committee: '党委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组',
};

export const isGridLevel = (kind: PartyOrgKind): boolean => GRID_LEVEL_KINDS.includes(kind);

export interface TreeProblem {
  /** The body field to blame. */
  param: 'parent_code' | 'kind' | 'community_code';
  message: string;
}

/** Why `org` may not sit under `parent` (null: it may), `parent` being null for a top. */
export function placementProblem(org: TreeNode, parent: TreeNode | null): TreeProblem | null {
  const allowed = ALLOWED_PARENTS[org.kind];
  if (parent === null) {
    if (allowed.includes(null)) return null;
    return {
      param: 'parent_code',
      message: `a ${org.kind} (${KIND_ZH[org.kind]}) needs a parent: one of ${allowed.join(', ')}`,
    };
  }
  if (parent.code === org.code) return { param: 'parent_code', message: 'an organisation cannot be its own parent' };
  if (!allowed.includes(parent.kind)) {
    const tops = allowed.filter((k) => k !== null);
    return {
      param: 'parent_code',
      message:
        `a ${org.kind} (${KIND_ZH[org.kind]}) cannot sit under a ${parent.kind} (${KIND_ZH[parent.kind]})` +
        (tops.length ? `; its parent must be a ${tops.join(' or ')}` : '; it must be the top of its tree'),
    };
  }
  if (parent.community_code !== org.community_code) {
    return {
      param: 'parent_code',
      message: `parent ${parent.code} is in community ${parent.community_code}, not ${org.community_code}`,
    };
  }
  return null;
}

/**
 * Whether putting `code` under `parentCode` closes a loop, given the parent's chain of
 * ancestors (parent first). The kind rules already rank kinds strictly, so this only
 * guards data that broke them.
 */
export function createsCycle(code: string, parentCode: string | null, parentAncestors: readonly string[]): boolean {
  if (parentCode === null) return false;
  return parentCode === code || parentAncestors.includes(code);
}
