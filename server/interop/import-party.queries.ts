/**
 * Imports of party organisations (the ledger 党组织台账) and grid workers (网格员台账), in
 * the caller's transaction. Organisations obey the same tree rules as the editor's form
 * (server/party/party-tree.ts); they are written top down (committee, general branch,
 * branch, group), so a file may bring a whole tree and each row is checked against the
 * parents written before it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PartyOrgKind } from '../../common/domain.ts';
import { isGridLevel, PARTY_ORG_KINDS, placementProblem, type TreeNode } from '../party/party-tree.ts';
import { childrenOf, findTreeNode } from '../party/party.queries.ts';
import {
  changedFields,
  emptyOutcome,
  invalid,
  requireFeatureStreet,
  type ApplyContext,
  type ImportRow,
  type LayerOutcome,
} from './import-plan.ts';
import { regionInfo } from './import-layers.queries.ts';

type Trx = Kysely<DB>;
const ORG_FIELDS = ['name', 'kind', 'parent_code', 'community_code', 'secretary_name', 'member_count'] as const;
const rank = (kind: unknown) => PARTY_ORG_KINDS.indexOf(kind as PartyOrgKind);

export async function importPartyOrgs(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  const out = emptyOutcome();
  const communities = await regionInfo(
    trx,
    rows.map((r) => r.values.community_code as string),
  );
  const ordered = [...rows].sort((a, b) => rank(a.values.kind) - rank(b.values.kind) || a.index - b.index);
  for (const row of ordered) {
    const code = row.values.code as string;
    const community = row.values.community_code as string;
    const region = communities.get(community);
    if (region?.level !== 'community') {
      out.invalid.push(invalid(row, 'community_code', `community_code: no community has code ${community}`, code));
      continue;
    }
    requireFeatureStreet(ctx.user, row, code, region.street);
    const before = await trx
      .selectFrom('party_orgs')
      .select(['code', ...ORG_FIELDS])
      .where('code', '=', code)
      .executeTakeFirst();
    if (before) {
      const beforeStreet = (await regionInfo(trx, [before.community_code])).get(before.community_code)?.street ?? null;
      requireFeatureStreet(ctx.user, row, code, beforeStreet);
    }
    const next: TreeNode = {
      code,
      kind: row.values.kind as PartyOrgKind,
      parent_code:
        'parent_code' in row.values
          ? ((row.values.parent_code as string | null) ?? null)
          : (before?.parent_code ?? null),
      community_code: community,
    };
    // An unchanged row writes nothing, so it is not judged again (the stored tree may predate the rules).
    const changed = before ? changedFields({ ...row.values, parent_code: next.parent_code }, before, ORG_FIELDS) : [];
    if (before && changed.length === 0) {
      out.unchanged++;
      continue;
    }
    // Only a change of kind, parent or community moves the organisation in its tree.
    const moves = !before || changed.some((f) => f === 'kind' || f === 'parent_code' || f === 'community_code');
    const parent = moves && next.parent_code ? await findTreeNode(trx, next.parent_code) : null;
    if (moves && next.parent_code && !parent) {
      out.invalid.push(
        invalid(row, 'parent_code', `parent_code: no party organisation has code ${next.parent_code}`, code),
      );
      continue;
    }
    const problem = moves ? placementProblem(next, parent ?? null) : null;
    if (problem) {
      out.invalid.push(invalid(row, problem.param, `${problem.param}: ${problem.message}`, code));
      continue;
    }
    if (before && moves) {
      const childProblem = (await childrenOf(trx, code)).map((child) => placementProblem(child, next)).find(Boolean);
      if (childProblem) {
        out.invalid.push(
          invalid(row, 'kind', `kind: an organisation below it would break the tree: ${childProblem.message}`, code),
        );
        continue;
      }
      if (
        !isGridLevel(next.kind) &&
        (await trx.selectFrom('org_grids').select('grid_code').where('org_code', '=', code).executeTakeFirst())
      ) {
        out.invalid.push(
          invalid(
            row,
            'kind',
            `kind: a ${next.kind} cannot be built on grids, and ${code} is; remove its grids first`,
            code,
          ),
        );
        continue;
      }
    }
    if (before) {
      out.update++;
      const set = Object.fromEntries(
        changed.map((f) => [
          f,
          f === 'parent_code' ? next.parent_code : (row.values[f] ?? (f === 'member_count' ? 0 : null)),
        ]),
      );
      await trx.updateTable('party_orgs').set(set).where('code', '=', code).execute();
    } else {
      out.create++;
      await trx
        .insertInto('party_orgs')
        .values({
          code,
          name: row.values.name as string,
          kind: next.kind,
          parent_code: next.parent_code,
          community_code: community,
          secretary_name: (row.values.secretary_name as string | null) ?? null,
          member_count: (row.values.member_count as number | null) ?? 0,
        })
        .execute();
    }
  }
  return out;
}

const WORKER_FIELDS = ['phone', 'phone_public', 'building_code'] as const;

/** Workers are keyed by grid, name and role (a person may hold two roles); the grid must be published. */
export async function importGridWorkers(
  trx: Trx,
  ctx: ApplyContext,
  rows: readonly ImportRow[],
): Promise<LayerOutcome> {
  const out = emptyOutcome();
  const gridCodes = [...new Set(rows.map((r) => r.values.grid_code as string))];
  const grids = new Map(
    (
      await trx
        .selectFrom('grids')
        .select(['code', 'community_code'])
        .where('code', 'in', gridCodes.length ? gridCodes : [''])
        .execute()
    ).map((g) => [g.code, g.community_code]),
  );
  const streets = await regionInfo(trx, [...grids.values()]);
  const buildingCodes = rows.map((r) => r.values.building_code).filter((c): c is string => typeof c === 'string');
  const buildings = new Set(
    buildingCodes.length
      ? (await trx.selectFrom('buildings').select('code').where('code', 'in', buildingCodes).execute()).map(
          (b) => b.code,
        )
      : [],
  );
  for (const row of rows) {
    const {
      grid_code: grid,
      name,
      role,
    } = row.values as {
      grid_code: string;
      name: string;
      role: 'full_time' | 'part_time' | 'building_head' | 'unit_head';
    };
    const label = `${grid} ${name}`;
    const community = grids.get(grid);
    if (!community) {
      out.invalid.push(invalid(row, 'grid_code', `grid_code: no published grid has code ${grid}`, label));
      continue;
    }
    requireFeatureStreet(ctx.user, row, label, streets.get(community)?.street ?? null);
    if (row.values.building_code && !buildings.has(row.values.building_code as string)) {
      out.invalid.push(
        invalid(row, 'building_code', `building_code: no building has code ${String(row.values.building_code)}`, label),
      );
      continue;
    }
    const before = await trx
      .selectFrom('grid_workers')
      .select(['id', ...WORKER_FIELDS])
      .where('grid_code', '=', grid)
      .where('name', '=', name)
      .where('role', '=', role)
      .orderBy('id')
      .executeTakeFirst();
    if (before) {
      const changed = changedFields(row.values, before, WORKER_FIELDS);
      if (changed.length === 0) {
        out.unchanged++;
        continue;
      }
      out.update++;
      const set = Object.fromEntries(changed.map((f) => [f, row.values[f] ?? (f === 'phone_public' ? false : null)]));
      await trx.updateTable('grid_workers').set(set).where('id', '=', before.id).execute();
    } else {
      out.create++;
      await trx
        .insertInto('grid_workers')
        .values({
          grid_code: grid,
          name,
          role,
          phone: row.values.phone as string,
          phone_public: (row.values.phone_public as boolean | null) ?? false,
          building_code: (row.values.building_code as string | null) ?? null,
        })
        .execute();
    }
  }
  return out;
}
