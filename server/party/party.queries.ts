import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import { GRID_SIZE } from '../db/postgis.queries.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { PartyOrg, PartyOrgInput } from '../../common/contracts/party.ts';
import type { TreeNode } from './party-tree.ts';

function selectOrgs(db: Kysely<DB>) {
  return db
    .selectFrom('party_orgs as o')
    .select(['o.code', 'o.name', 'o.kind', 'o.parent_code', 'o.community_code', 'o.secretary_name', 'o.member_count'])
    .select(
      sql<string[]>`coalesce(
        (SELECT array_agg(og.grid_code ORDER BY og.grid_code) FROM org_grids og WHERE og.org_code = o.code), '{}')`.as(
        'grids',
      ),
    );
}

/** Party organisations of a region (all when no region), each with the grids it covers. */
export async function listPartyOrgs(db: Kysely<DB>, region: string | undefined): Promise<PartyOrg[]> {
  let query = selectOrgs(db).orderBy('o.code');
  if (region) query = query.where('o.community_code', 'in', subtreeCodes(region));
  return query.execute();
}

export async function getPartyOrg(db: Kysely<DB>, code: string): Promise<PartyOrg | undefined> {
  return selectOrgs(db).where('o.code', '=', code).executeTakeFirst();
}

/** The organisation's place in its tree; `lock` holds its row until the transaction ends. */
export async function findTreeNode(db: Kysely<DB>, code: string, lock = false): Promise<TreeNode | undefined> {
  let query = db
    .selectFrom('party_orgs')
    .select(['code', 'kind', 'parent_code', 'community_code'])
    .where('code', '=', code);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function childrenOf(db: Kysely<DB>, code: string): Promise<TreeNode[]> {
  return db
    .selectFrom('party_orgs')
    .select(['code', 'kind', 'parent_code', 'community_code'])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
}

/** The chain above an organisation, nearest first (bounded, so broken data cannot loop). */
export async function ancestorsOf(db: Kysely<DB>, code: string): Promise<string[]> {
  const { rows } = await sql<{ code: string }>`
    WITH RECURSIVE up AS (
      SELECT parent_code AS code, 1 AS depth FROM party_orgs WHERE code = ${code}
      UNION ALL
      SELECT o.parent_code, up.depth + 1 FROM party_orgs o JOIN up ON o.code = up.code WHERE up.depth < 20
    ) SELECT code FROM up WHERE code IS NOT NULL ORDER BY depth`.execute(db);
  return rows.map((r) => r.code);
}

/** A region's level and its parent (a community's parent is its street). */
export async function regionParent(
  db: Kysely<DB>,
  code: string,
): Promise<{ level: string; parent_code: string | null } | undefined> {
  return db.selectFrom('regions').select(['level', 'parent_code']).where('code', '=', code).executeTakeFirst();
}

export async function insertPartyOrg(db: Kysely<DB>, org: PartyOrgInput): Promise<void> {
  await db
    .insertInto('party_orgs')
    .values({ ...org, secretary_name: org.secretary_name ?? null, member_count: org.member_count ?? 0 })
    .execute();
}

export async function updatePartyOrg(
  db: Kysely<DB>,
  code: string,
  changes: Partial<Omit<PartyOrgInput, 'code'>>,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('party_orgs').set(changes).where('code', '=', code).execute();
}

/** Its grid assignments first, so org_grids' own trigger bumps the communities' epochs. */
export async function deletePartyOrg(db: Kysely<DB>, code: string): Promise<void> {
  await db.deleteFrom('org_grids').where('org_code', '=', code).execute();
  await db.deleteFrom('party_orgs').where('code', '=', code).execute();
}

/** Published grids among `codes`, with the street each lies in. */
export async function gridStreets(db: Kysely<DB>, codes: string[]): Promise<{ code: string; street: string | null }[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('grids as g')
    .innerJoin('regions as c', 'c.code', 'g.community_code')
    .select(['g.code', 'c.parent_code as street'])
    .where('g.code', 'in', codes)
    .execute();
}

export async function replaceOrgGrids(db: Kysely<DB>, code: string, grids: string[]): Promise<void> {
  const current = (await db.selectFrom('org_grids').select('grid_code').where('org_code', '=', code).execute()).map(
    (r) => r.grid_code,
  );
  const removed = current.filter((g) => !grids.includes(g));
  const added = grids.filter((g) => !current.includes(g));
  // Only the difference is written, so grids that stay do not bump validation epochs.
  if (removed.length)
    await db.deleteFrom('org_grids').where('org_code', '=', code).where('grid_code', 'in', removed).execute();
  if (added.length)
    await db
      .insertInto('org_grids')
      .values(added.map((g) => ({ org_code: code, grid_code: g })))
      .execute();
}

export interface OrgAreaRow {
  outline: MultiPolygon | null;
  grids: { code: string; name: string; households: number }[];
  households: number;
}

/** The grids of an organisation and their union (fixed-precision, DESIGN.md trap 1). */
export async function orgArea(db: Kysely<DB>, code: string): Promise<OrgAreaRow> {
  const { rows } = await sql<OrgAreaRow>`
    SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Union(g.geom, ${GRID_SIZE}::float8), 3)), 7)::json AS outline,
           coalesce(json_agg(json_build_object('code', g.code, 'name', g.name, 'households', g.households) ORDER BY g.code), '[]'::json) AS grids,
           coalesce(sum(g.households), 0)::int AS households
    FROM org_grids og JOIN grids g ON g.code = og.grid_code
    WHERE og.org_code = ${code}`.execute(db);
  return rows[0]!;
}

/** Open drafts whose grids are to be given this organisation at publish (editing, issue 4). */
export async function openDraftsAssigning(db: Kysely<DB>, code: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT DISTINCT d.id FROM drafts d JOIN draft_grids dg ON dg.draft_id = d.id
    WHERE d.status = 'open' AND ${code} = ANY(dg.party_orgs) ORDER BY d.id`.execute(db);
  return rows.map((r) => r.id);
}

/** The kind of each party organisation among `codes` that exists. */
export async function partyOrgKinds(
  db: Kysely<DB>,
  codes: readonly string[],
): Promise<{ code: string; kind: string }[]> {
  const { rows } = await sql<{
    code: string;
    kind: string;
  }>`SELECT code, kind FROM party_orgs WHERE code = ANY(${codes}::text[])`.execute(db);
  return rows;
}
