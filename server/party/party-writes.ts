/**
 * Party organisation writes, each one transaction: who may make it (the editor of the
 * community's street, or an admin), the tree rules (party-tree.ts), then the change.
 * Anything refused throws before the first write, and the transaction rolls back anyway.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PartyOrg, PartyOrgInput } from '../../common/contracts/party.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { requireStreet, type AuthUser } from '../auth/permissions.ts';
import { createsCycle, isGridLevel, placementProblem, type TreeNode } from './party-tree.ts';
import {
  ancestorsOf,
  childrenOf,
  deletePartyOrg,
  findTreeNode,
  getPartyOrg,
  gridStreets,
  insertPartyOrg,
  regionParent,
  openDraftsAssigning,
  replaceOrgGrids,
  updatePartyOrg,
} from './party.queries.ts';
import { inTransaction } from '../db/transaction.ts';

const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** A draft that will assign the organisation at publish would then fail or assign a non-grid-level one. */
async function refuseIfDraftsAssign(trx: Kysely<DB>, code: string, what: string): Promise<void> {
  const drafts = await openDraftsAssigning(trx, code);
  if (drafts.length)
    throw conflict(
      'in_open_draft',
      `Open draft(s) ${drafts.join(', ')} assign ${code} to grids; publish or discard them before you ${what}`,
    );
}

/** The street of a community (403 unless the user edits it); 400 when it is not a community. */
async function authoriseCommunity(trx: Kysely<DB>, user: AuthUser, community: string): Promise<void> {
  const region = await regionParent(trx, community);
  if (!region || region.level !== 'community')
    throw badRequest('community_code', `community_code: no community has code ${community}`);
  requireStreet(user, region.parent_code!);
}

/** The tree rules for `org` at its (new) place, and for its children under its (new) kind. */
async function checkPlace(trx: Kysely<DB>, org: TreeNode, children: TreeNode[]): Promise<void> {
  let parent: TreeNode | null = null;
  if (org.parent_code !== null) {
    parent = (await findTreeNode(trx, org.parent_code)) ?? null;
    if (!parent) throw badRequest('parent_code', `parent_code: no party organisation has code ${org.parent_code}`);
  }
  const problem = placementProblem(org, parent);
  if (problem) throw badRequest(problem.param, `${problem.param}: ${problem.message}`);
  if (createsCycle(org.code, org.parent_code, org.parent_code ? await ancestorsOf(trx, org.parent_code) : [])) {
    throw badRequest('parent_code', `parent_code: ${org.parent_code} lies below ${org.code}; that would make a loop`);
  }
  for (const child of children) {
    const childProblem = placementProblem(child, org);
    if (childProblem)
      throw conflict('children_conflict', `${child.code} below it would break the tree: ${childProblem.message}`);
  }
}

export async function createOrg(db: Kysely<DB>, user: AuthUser, input: PartyOrgInput): Promise<PartyOrg> {
  return inTransaction(db, async (trx) => {
    await authoriseCommunity(trx, user, input.community_code);
    if (await findTreeNode(trx, input.code))
      throw conflict('duplicate', `A party organisation with code ${input.code} already exists`);
    await checkPlace(trx, input, []);
    await insertPartyOrg(trx, input).catch((error: { code?: string }) => {
      // Two creates racing for one code: the loser gets the same 409 as a late one.
      throw error?.code === '23505'
        ? conflict('duplicate', `A party organisation with code ${input.code} already exists`)
        : error;
    });
    return (await getPartyOrg(trx, input.code))!;
  });
}

export async function changeOrg(
  db: Kysely<DB>,
  user: AuthUser,
  code: string,
  changes: Partial<Omit<PartyOrgInput, 'code'>>,
): Promise<PartyOrg> {
  return inTransaction(db, async (trx) => {
    const current = await findTreeNode(trx, code, true);
    if (!current) throw notFound('Party organisation', code);
    await authoriseCommunity(trx, user, current.community_code);
    if (changes.community_code && changes.community_code !== current.community_code)
      await authoriseCommunity(trx, user, changes.community_code);
    const next: TreeNode = { ...current, ...pickTree(changes) };
    await checkPlace(trx, next, await childrenOf(trx, code));
    if (!isGridLevel(next.kind) && (await getPartyOrg(trx, code))!.grids.length > 0) {
      throw conflict(
        'has_grids',
        `A ${next.kind} cannot be built on grids: remove its grids first (PUT /api/party-orgs/${code}/grids)`,
      );
    }
    if (!isGridLevel(next.kind)) await refuseIfDraftsAssign(trx, code, `make it a ${next.kind}`);
    await updatePartyOrg(trx, code, changes);
    return (await getPartyOrg(trx, code))!;
  });
}

function pickTree(changes: Partial<Omit<PartyOrgInput, 'code'>>): Partial<TreeNode> {
  const out: Partial<TreeNode> = {};
  if (changes.kind !== undefined) out.kind = changes.kind;
  if (changes.parent_code !== undefined) out.parent_code = changes.parent_code;
  if (changes.community_code !== undefined) out.community_code = changes.community_code;
  return out;
}

export async function removeOrg(db: Kysely<DB>, user: AuthUser, code: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await findTreeNode(trx, code, true);
    if (!current) throw notFound('Party organisation', code);
    await authoriseCommunity(trx, user, current.community_code);
    const children = await childrenOf(trx, code);
    if (children.length > 0) {
      throw conflict(
        'has_children',
        `${code} has ${children.length} organisation(s) below it (${children.map((c) => c.code).join(', ')}): move or delete them first`,
      );
    }
    await refuseIfDraftsAssign(trx, code, 'delete it');
    await deletePartyOrg(trx, code);
  });
}

/** Replace the grids a branch or group is built on; every grid must be published, in a street the user edits. */
export async function setOrgGrids(db: Kysely<DB>, user: AuthUser, code: string, grids: string[]): Promise<PartyOrg> {
  return inTransaction(db, async (trx) => {
    const current = await findTreeNode(trx, code, true);
    if (!current) throw notFound('Party organisation', code);
    await authoriseCommunity(trx, user, current.community_code);
    if (!isGridLevel(current.kind) && grids.length > 0) {
      throw conflict(
        'not_grid_level',
        `${code} is a ${current.kind}: only a branch (党支部) or a group (党小组) is built on grids`,
      );
    }
    const found = await gridStreets(trx, grids);
    const missing = grids.filter((g) => !found.some((f) => f.code === g));
    if (missing.length) throw badRequest('grids', `grids: no published grid has code ${missing.join(', ')}`);
    for (const street of new Set(found.map((f) => f.street!))) requireStreet(user, street);
    await replaceOrgGrids(trx, code, grids);
    return (await getPartyOrg(trx, code))!;
  });
}
