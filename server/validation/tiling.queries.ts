/** What the tiling check (tiling.ts) reads: each community's outline and its grids, as WKB. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { gridsOf } from './grid-source.queries.ts';
import type { GridSource } from './grid-source.ts';

export interface CommunityRow {
  code: string;
  outline: Uint8Array;
  /**
   * The community's grid codes, and their outlines as WKB back to back, in the same order:
   * the aggregates of one group are fed the same rows in the same order.
   */
  codes: string[] | null;
  wkb: Uint8Array | null;
}

/**
 * Each community's outline and all its grids in one row: 16,614 rows for a 100,000-grid city
 * instead of 116,614, which is most of what reading them cost in node.
 */
export async function readCommunities(db: Kysely<DB>, codes: string[], source: GridSource): Promise<CommunityRow[]> {
  const { rows } = await sql<CommunityRow>`
    WITH g AS (
      SELECT g.community_code, array_agg(g.code) AS codes, string_agg(ST_AsBinary(g.geom), ''::bytea) AS wkb
      FROM ${gridsOf(source)} g WHERE g.community_code = ANY(${codes}::text[])
      GROUP BY g.community_code
    )
    SELECT c.code, ST_AsBinary(c.geom) AS outline, g.codes, g.wkb
    FROM regions c LEFT JOIN g ON g.community_code = c.code
    WHERE c.code = ANY(${codes}::text[])`.execute(db);
  return rows;
}
