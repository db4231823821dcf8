import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import type { PartyOrg } from '../../common/api.ts';

/** Party organisations of a region (all when no region), each with the grids it covers. */
export async function listPartyOrgs(db: Kysely<DB>, region: string | undefined): Promise<PartyOrg[]> {
  let query = db
    .selectFrom('party_orgs as o')
    .select(['o.code', 'o.name', 'o.kind', 'o.parent_code', 'o.community_code', 'o.secretary_name', 'o.member_count'])
    .select(
      sql<string[]>`coalesce(
        (SELECT array_agg(og.grid_code ORDER BY og.grid_code) FROM org_grids og WHERE og.org_code = o.code), '{}')`.as(
        'grids',
      ),
    )
    .orderBy('o.code');
  if (region) query = query.where('o.community_code', 'in', subtreeCodes(region));
  return query.execute();
}
