/**
 * Party coverage (网格党组织覆盖) of a region and every region below it: which grids have a
 * grid-level organisation (a branch or a group), which have none, which are claimed twice,
 * the households covered, and the organisations whose grids are not one contiguous area
 * or lie in several communities.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { jitOffInTransaction } from '../db/session.queries.ts';
import type { PartyCoverageReport, PartyCoverageRow, PartyOrgIssue } from '../../common/contracts/party-coverage.ts';
import { notFound } from '../http/errors.ts';
import { connectedPieces } from '../geo/connected-pieces.ts';
import {
  communityCounts,
  orgGrids,
  problemGrids,
  regionSubtree,
  sharedEdges,
  type OrgGridRow,
  type RegionRow,
} from './party-coverage.queries.ts';

export async function partyCoverage(db: Kysely<DB>, region: string): Promise<PartyCoverageReport> {
  if (db.isTransaction) return coverageIn(db, region);
  return db.transaction().execute(async (trx) => {
    // Every query here is a handful of index look-ups; on tables without statistics the
    // planner's guesses trigger JIT compilation, which alone took ~0.5 s per query.
    await jitOffInTransaction(trx);
    return coverageIn(trx, region);
  });
}

async function coverageIn(db: Kysely<DB>, region: string): Promise<PartyCoverageReport> {
  const started = performance.now();
  const tree = await regionSubtree(db, region);
  const root = tree.find((r) => r.code === region);
  if (!root) throw notFound('Region', region);
  const communities = tree.filter((r) => r.level === 'community').map((r) => r.code);
  const [counts, problems, orgRows] = await Promise.all([
    communityCounts(db, communities),
    problemGrids(db, communities),
    orgGrids(db, communities),
  ]);
  const edges = await sharedEdges(db, candidatePairs(orgRows));

  const rows = new Map<string, PartyCoverageRow>();
  for (const r of tree) {
    rows.set(r.code, {
      ...r,
      grids: 0,
      covered: 0,
      uncovered: 0,
      claimedTwice: 0,
      households: 0,
      householdsCovered: 0,
      householdsShare: 1,
    });
  }
  const parentOf = new Map(tree.map((r) => [r.code, r.parent_code]));
  for (const c of counts) {
    // Add the community's figures to it and to every region above it, up to the region asked for.
    for (
      let code: string | null | undefined = c.community_code;
      code && rows.has(code);
      code = code === region ? null : parentOf.get(code)
    ) {
      const row = rows.get(code)!;
      row.grids += c.grids;
      row.covered += c.covered;
      row.uncovered += c.grids - c.covered;
      row.claimedTwice += c.claimed_twice;
      row.households += c.households;
      row.householdsCovered += c.households_covered;
    }
  }
  for (const row of rows.values())
    row.householdsShare = row.households === 0 ? 1 : row.householdsCovered / row.households;

  return {
    region: { code: root.code, name: root.name, level: root.level },
    regions: depthFirst(tree, region).map((code) => rows.get(code)!),
    orgIssues: orgIssues(orgRows, edges),
    problemGrids: {
      type: 'FeatureCollection',
      features: problems.map(({ geometry, ...p }) => ({
        type: 'Feature',
        id: p.code,
        geometry,
        properties: { ...p, status: p.party_orgs.length === 0 ? 'uncovered' : 'claimed_twice' },
      })),
    },
    tookMs: Math.round(performance.now() - started),
  };
}

/** Every pair of grids of one organisation (each pair once, smaller code first). */
function candidatePairs(orgRows: OrgGridRow[]): [string, string][] {
  const byOrg = new Map<string, string[]>();
  for (const r of orgRows) byOrg.set(r.org_code, [...(byOrg.get(r.org_code) ?? []), r.grid_code]);
  const pairs = new Map<string, [string, string]>();
  for (const grids of byOrg.values()) {
    const sorted = [...grids].sort();
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) pairs.set(`${sorted[i]} ${sorted[j]}`, [sorted[i]!, sorted[j]!]);
    }
  }
  return [...pairs.values()];
}

/** The region first, then each child's subtree in code order. */
function depthFirst(tree: RegionRow[], rootCode: string): string[] {
  const children = new Map<string, string[]>();
  for (const r of tree) {
    if (r.code === rootCode || !r.parent_code) continue;
    const list = children.get(r.parent_code) ?? [];
    list.push(r.code);
    children.set(r.parent_code, list);
  }
  const out: string[] = [];
  const visit = (code: string) => {
    out.push(code);
    for (const child of (children.get(code) ?? []).sort()) visit(child);
  };
  visit(rootCode);
  return out;
}

/**
 * One issue per problem: an organisation whose grids form several pieces is
 * 'not_contiguous'; one whose grids lie in several communities, or in a community other
 * than its own, is 'several_communities' (it can have both).
 */
export function orgIssues(orgRows: OrgGridRow[], edges: { a: string; b: string }[]): PartyOrgIssue[] {
  const byOrg = new Map<string, OrgGridRow[]>();
  for (const r of orgRows) {
    const list = byOrg.get(r.org_code) ?? [];
    list.push(r);
    byOrg.set(r.org_code, list);
  }
  const neighbours = new Map<string, string[]>();
  for (const { a, b } of edges) neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
  const issues: PartyOrgIssue[] = [];
  for (const [code, list] of byOrg) {
    const grids = list.map((r) => r.grid_code).sort();
    const pairs = grids.flatMap((g) => (neighbours.get(g) ?? []).map((n) => [g, n] as const));
    const pieces = connectedPieces(grids, pairs).length;
    const communities = [...new Set(list.map((r) => r.grid_community))].sort();
    const first = list[0]!;
    const base = {
      code,
      name: first.name,
      kind: first.kind,
      community_code: first.org_community,
      grids,
      pieces,
      communities,
    };
    if (pieces > 1) issues.push({ ...base, issue: 'not_contiguous' });
    if (communities.length > 1 || communities[0] !== first.org_community)
      issues.push({ ...base, issue: 'several_communities' });
  }
  return issues;
}
