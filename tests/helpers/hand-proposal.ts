/**
 * A grid proposal made by hand from a demo community's published grids, stored for a draft
 * the way POST …/proposals stores one: so that 采用 (apply), undo, check and publish are
 * tested on a known answer, independent of the proposal algorithm.
 *
 *   today:  ┌────┬────┐  ┌──────┐        proposal:  ┌─────────┐  ┌──┬───┐
 *           │ A  │ B  │  │  C   │                   │ A (A∪B) │  │n1│n2 │
 *           └────┴────┘  └──────┘                   └─────────┘  └──┴───┘
 *   A changed (keeps its code, takes B's area), B retired, C retired and split by the vertical
 *   line through its centre into two new grids n1, n2; every other grid unchanged.
 */
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../../server/db/schema.ts';
import type { ProposedGrid } from '../../common/contracts/proposals.ts';
import type { ProposalResult } from '../../server/proposal/propose.ts';
import { insertProposal, lastChangesetOfDraft } from '../../server/proposal/proposals.queries.ts';

export interface HandPlace {
  community: string;
  /** Two grids sharing an edge (A, B) and a third (C), all of `community`. */
  a: string;
  b: string;
  c: string;
}

/** Two grids of one community of `street` sharing an edge, and a third grid of the same community. */
export async function handPlace(db: Kysely<DB>, street: string): Promise<HandPlace> {
  const { rows } = await sql<HandPlace>`
    SELECT a.community_code AS community, a.code AS a, b.code AS b, c.code AS c
    FROM grids a JOIN grids b ON b.community_code = a.community_code AND b.code > a.code
      AND ST_Relate(a.geom, b.geom, '****1****')
    JOIN grids c ON c.community_code = a.community_code AND c.code NOT IN (a.code, b.code) AND c.kind <> 'commercial'
    WHERE a.community_code LIKE ${street.slice(0, 9) + '%'} AND a.kind <> 'commercial' AND b.kind <> 'commercial'
    ORDER BY a.code, b.code, c.code LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error(`no grid pair in street ${street}`);
  return rows[0];
}

/** The grids of a community as a draft sees them, full precision (15 decimals). */
async function draftGrids(db: Kysely<DB>, draftId: number, community: string) {
  const { rows } = await sql<{
    code: string;
    name: string;
    kind: 'residential' | 'commercial' | 'mixed';
    households: number;
    geometry: MultiPolygon;
  }>`
    SELECT code, name, kind, households, ST_AsGeoJSON(geom, 15)::json AS geometry FROM (
      SELECT dg.code, dg.name, dg.kind, dg.households, dg.geom FROM draft_grids dg
      WHERE dg.draft_id = ${draftId} AND dg.community_code = ${community} AND NOT dg.retired
      UNION ALL
      SELECT g.code, g.name, g.kind, g.households, g.geom FROM grids g
      WHERE g.community_code = ${community}
        AND NOT EXISTS (SELECT 1 FROM draft_grids dg WHERE dg.draft_id = ${draftId} AND dg.code = g.code)) x
    ORDER BY code`.execute(db);
  return rows;
}

/** The union of A and B, and C cut in two by the vertical line through its centre (15 decimals, on the stored grid). */
async function handOutlines(db: Kysely<DB>, draftId: number, place: HandPlace) {
  const grid = (code: string) => sql`(SELECT geom FROM (
      SELECT dg.geom FROM draft_grids dg WHERE dg.draft_id = ${draftId} AND dg.code = ${code}
      UNION ALL SELECT g.geom FROM grids g WHERE g.code = ${code}
        AND NOT EXISTS (SELECT 1 FROM draft_grids dg WHERE dg.draft_id = ${draftId} AND dg.code = g.code)) x)`;
  const onGrid = (g: ReturnType<typeof sql>) => sql`ST_GeomFromEWKT(ST_AsEWKT(${g}, 10))`;
  const { rows: union } = await sql<{ geometry: MultiPolygon }>`
    SELECT ST_AsGeoJSON(ST_Multi(${onGrid(sql`ST_Union(${grid(place.a)}, ${grid(place.b)}, 1e-10)`)}), 15)::json AS geometry`.execute(
    db,
  );
  const { rows: halves } = await sql<{ geometry: MultiPolygon }>`
    WITH c AS (SELECT ${grid(place.c)} AS g),
    line AS (SELECT ST_MakeLine(ST_MakePoint(ST_X(ST_Centroid(c.g)), ST_YMin(c.g) - 0.01),
                                ST_MakePoint(ST_X(ST_Centroid(c.g)), ST_YMax(c.g) + 0.01)) AS l FROM c)
    SELECT ST_AsGeoJSON(ST_Multi(${onGrid(sql`d.geom`)}), 15)::json AS geometry
    FROM c, line, ST_Dump(ST_CollectionExtract(ST_Split(c.g, ST_SetSRID(line.l, 4326)), 3)) d
    ORDER BY ST_XMin(d.geom)`.execute(db);
  if (halves.length !== 2) throw new Error(`grid ${place.c} did not split in two`);
  return { union: union[0]!.geometry, halves: halves.map((h) => h.geometry) };
}

const proposed = (
  g: Pick<ProposedGrid, 'code' | 'key' | 'name' | 'kind' | 'households' | 'status' | 'geometry'>,
  community: string,
): ProposedGrid => ({
  ...g,
  community_code: community,
  buildings: 0,
  band: g.kind === 'commercial' ? 'commercial' : g.households < 300 ? 'low' : g.households > 500 ? 'high' : 'ok',
  polsbyPopper: 0.5,
  roadsCrossed: 0,
});

/** The hand-made proposal for `place` as the draft sees it now, stored for the draft; its id. */
export async function storeHandProposal(
  db: Kysely<DB>,
  draft: { id: number; street_code: string },
  place: HandPlace,
  userId: number,
): Promise<{ id: number; answer: ProposalResult }> {
  const { union, halves } = await handOutlines(db, draft.id, place);
  const today = await draftGrids(db, draft.id, place.community);
  const grids: ProposedGrid[] = [];
  for (const g of today) {
    if (g.code === place.b || g.code === place.c) continue;
    const status = g.kind === 'commercial' ? 'commercial' : g.code === place.a ? 'changed' : 'unchanged';
    grids.push(
      proposed({ ...g, key: g.code, status, geometry: g.code === place.a ? union : g.geometry }, place.community),
    );
  }
  halves.forEach((geometry, i) =>
    grids.push(
      proposed(
        {
          code: null,
          key: `new-${i + 1}`,
          name: `手工建议网格${i + 1}`,
          kind: 'residential',
          households: 0,
          status: 'new',
          geometry,
        },
        place.community,
      ),
    ),
  );
  const households = today.reduce((s, g) => s + g.households, 0);
  const answer: ProposalResult = {
    scope: { level: 'community', code: place.community, name: place.community },
    mode: 'rebalance',
    seed: 1,
    bounds: { min: 300, max: 500 },
    grids,
    retired: [place.b, place.c],
    summary: {
      grids: grids.length,
      residential: grids.length,
      inBand: 0,
      householdsMin: 0,
      householdsMedian: 0,
      householdsMax: households,
      compactnessMedian: 0.5,
      roadsCrossed: 0,
      compoundsSplit: 0,
      buildingsCut: 0,
      gridsChanged: 5,
      gridsRetired: 2,
      householdsMoved: 0,
      households,
    },
    problems: [],
    tookMs: 1,
  };
  const id = await insertProposal(db, {
    draftId: draft.id,
    street: draft.street_code,
    scope: place.community,
    mode: 'rebalance',
    seed: 1,
    baseChangeset: await lastChangesetOfDraft(db, draft.id),
    answer,
    userId,
  });
  return { id, answer };
}
