/**
 * Judge a proposal by the project's own tiling check (issue 19): write it into a fresh draft
 * (changed grids as the draft's rows, new grids with codes 9xx, retired grids retired), run
 * checkTiling on the draft's view and list every problem it reports — errors and slivers,
 * invalid and multipart grids. The draft is deleted afterwards.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import type { ProposalResult } from '../../server/proposal/propose.ts';
import { checkTiling } from '../../server/validation/tiling.ts';
import { tilingProblems } from '../../server/validation/tiling-problems.ts';
import { draftSource } from '../../server/validation/grid-source.ts';
import { DEFAULT_TOLERANCES } from '../../server/validation/problems.ts';

export async function proposalTilingProblems(db: Kysely<DB>, proposal: ProposalResult): Promise<ProblemFeature[]> {
  const communities = [...new Set(proposal.grids.map((g) => g.community_code))];
  if (communities.length === 0) return [];
  await sql`INSERT INTO users (username, display_name, password_hash, role)
    VALUES ('proposal-tiling', 'proposal-tiling', 'x', 'admin') ON CONFLICT (username) DO NOTHING`.execute(db);
  const { rows } = await sql<{ id: number }>`
    INSERT INTO drafts (street_code, title, created_by)
    SELECT r.parent_code, 'proposal tiling', (SELECT id FROM users WHERE username = 'proposal-tiling')
    FROM regions r WHERE r.code = ${communities[0]!} RETURNING id`.execute(db);
  const draft = rows[0]!.id;
  try {
    const next = new Map<string, number>();
    for (const g of proposal.grids) {
      if (g.status === 'unchanged' || g.status === 'commercial') continue;
      const n = (next.get(g.community_code) ?? 900) + 1;
      next.set(g.community_code, n);
      const code = g.code ?? `${g.community_code}${n}`;
      await sql`INSERT INTO draft_grids (draft_id, code, name, community_code, kind, households, geom)
        VALUES (${draft}, ${code}, ${g.name}, ${g.community_code}, ${g.kind}, ${g.households},
                ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g.geometry)}), 4326)))`.execute(db);
    }
    for (const code of proposal.retired)
      await sql`INSERT INTO draft_grids (draft_id, code, retired, name, community_code, kind, households, geom)
        SELECT ${draft}, g.code, true, g.name, g.community_code, g.kind, g.households, g.geom FROM grids g WHERE g.code = ${code}`.execute(
        db,
      );
    const { communities: checked } = await checkTiling(db, communities, draftSource(draft));
    return checked.flatMap((c) => tilingProblems(c, DEFAULT_TOLERANCES));
  } finally {
    await sql`DELETE FROM drafts WHERE id = ${draft}`.execute(db);
  }
}
