/** The grids a tiling check reads (see grid-source.ts), as an SQL relation. */
import { sql, type RawBuilder } from 'kysely';
import type { GridSource } from './grid-source.ts';

/**
 * The grids as an SQL relation (id, code, community_code, geom), to be given an alias:
 * `FROM ${gridsOf(source)} g`. A draft's own rows get the negated code as id, so ids stay
 * unique across both branches and the pair filter `a.id - b.id < 0` (trap 4) still works.
 * PostgreSQL flattens the UNION ALL, so joins on `geom &&` still use both GiST indexes.
 */
export function gridsOf(source: GridSource): RawBuilder<unknown> {
  return draftView(
    source,
    sql`g.id::bigint AS id, g.code, g.community_code, g.geom`,
    sql`-(d.code::bigint) AS id, d.code, d.community_code, d.geom`,
  );
}

/** The same grids with their name and kind (code, name, kind, community_code, geom): what 智能划格 divides. */
export function gridRowsOf(source: GridSource): RawBuilder<unknown> {
  return draftView(
    source,
    sql`g.code, g.name, g.kind, g.community_code, g.geom`,
    sql`d.code, d.name, d.kind, d.community_code, d.geom`,
  );
}

/** The one rule of a draft's view: its own live rows, and the published grids it has not touched. */
function draftView(
  source: GridSource,
  published: RawBuilder<unknown>,
  drafted: RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (source.draft === null) return sql`(SELECT ${published} FROM grids g)`;
  const d = source.draft;
  return sql`(SELECT ${published} FROM grids g
      WHERE NOT EXISTS (SELECT 1 FROM draft_grids dg WHERE dg.draft_id = ${d}::int AND dg.code = g.code)
    UNION ALL
    SELECT ${drafted} FROM draft_grids d
    WHERE d.draft_id = ${d}::int AND NOT d.retired)`;
}
