/**
 * The one tiling check: what gaps, overlaps, outside parts, invalid and multipart grids a
 * set of communities has, for the published grids or for a draft's view of them. The
 * validation report (community-checks.ts, with its cache), the draft check, publish and
 * import all call this, so they cannot disagree.
 *
 *   1. read the communities' outlines and grids as WKB;
 *   2. prove the tiling by edge matching in JS (server/geo/match-edges.ts): exact, no tolerance;
 *   3. only where edges do not cancel, run the exact PostGIS overlay (exact.queries.ts) around
 *      the residual: overlaps and outside parts involve a grid owning a residual edge, gaps
 *      lie inside the residual's bbox.
 *
 * It runs inside whatever transaction it is given, so a publish sees its own locks and a
 * dry run its own uncommitted rows.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProblemFeature } from '../../common/api.ts';
import { matchEdges, type ResidualEdge, type RingSet } from '../geo/match-edges.ts';
import { partCount, ringSetsFromWkb } from '../geo/read-wkb.ts';
import { findGaps, findInvalid, findOutside, findOverlaps, gridShapes, type GapWindow, type GridShapeRow, type InvalidRow } from './exact.queries.ts';
import { splitAllowed } from './exceptions.queries.ts';
import { gridsOf, PUBLISHED, type GridSource } from './grid-source.ts';
import { areaProblem, DEFAULT_TOLERANCES, type MeasuredArea, type Tolerances } from './problems.ts';

export interface CommunityTiling {
  code: string;
  grids: number;
  /** Edge matching proved the tiling (no exact overlay was needed). */
  proven: boolean;
  areas: MeasuredArea[];
  invalid: InvalidRow[];
  multipart: GridShapeRow[];
  /** Other communities whose grids an overlap of this one reaches into. */
  reaches: string[];
}

export interface TilingStats {
  overlaid: number;
  loadMs: number;
  matchMs: number;
  exactMs: number;
}

export async function checkTiling(
  db: Kysely<DB>,
  communities: readonly string[],
  source: GridSource = PUBLISHED,
): Promise<{ communities: CommunityTiling[]; stats: TilingStats }> {
  const stats: TilingStats = { overlaid: 0, loadMs: 0, matchMs: 0, exactMs: 0 };
  if (communities.length === 0) return { communities: [], stats };
  const codes = [...communities];
  const t1 = performance.now();
  const [outlines, grids] = await Promise.all([
    sql<{ code: string; wkb: Uint8Array }>`SELECT code, ST_AsBinary(geom) AS wkb FROM regions WHERE code = ANY(${codes}::text[])`.execute(db),
    sql<{ code: string; community_code: string; wkb: Uint8Array }>`
      SELECT code, community_code, ST_AsBinary(geom) AS wkb FROM ${gridsOf(source)} g WHERE community_code = ANY(${codes}::text[])`.execute(db),
  ]);
  const byCommunity = new Map<string, RingSet[]>();
  const sets = ringSetsFromWkb(grids.rows.map((row) => ({ owner: row.code, wkb: row.wkb })));
  grids.rows.forEach((row, i) => {
    const list = byCommunity.get(row.community_code);
    if (list) list.push(sets[i]!);
    else byCommunity.set(row.community_code, [sets[i]!]);
  });
  const outlineSets = ringSetsFromWkb(outlines.rows.map((row) => ({ owner: row.code, wkb: row.wkb })));
  const t2 = performance.now();
  stats.loadMs = t2 - t1;

  const result = new Map<string, CommunityTiling>();
  const broken: string[] = [];
  const suspects: string[] = [];
  const windows: GapWindow[] = [];
  const multipartCodes: string[] = [];
  outlines.rows.forEach((row, i) => {
    const members = byCommunity.get(row.code) ?? [];
    const match = matchEdges(outlineSets[i]!, members);
    for (const g of members) if (partCount(g) > 1) multipartCodes.push(g.owner);
    if (!match.tiled) {
      broken.push(row.code);
      for (const owner of match.suspects) if (owner !== row.code) suspects.push(owner);
      windows.push({ community: row.code, bbox: residualBBox(match.residual) });
    }
    result.set(row.code, { code: row.code, grids: members.length, proven: match.tiled, areas: [], invalid: [], multipart: [], reaches: [] });
  });
  const t3 = performance.now();
  stats.matchMs = t3 - t2;

  if (broken.length > 0 || multipartCodes.length > 0) {
    stats.overlaid = broken.length;
    const [overlaps, gaps, outside, invalid, shapes] = await Promise.all([
      findOverlaps(db, suspects, windows, source),
      findGaps(db, windows, source),
      findOutside(db, suspects, source),
      findInvalid(db, broken, source),
      gridShapes(db, multipartCodes, source),
    ]);
    for (const area of [...overlaps, ...gaps, ...outside]) {
      const entry = result.get(area.community);
      if (!entry) continue;
      entry.areas.push(area);
      for (const other of area.communities ?? []) if (other !== area.community && !entry.reaches.includes(other)) entry.reaches.push(other);
    }
    for (const row of invalid) result.get(row.community)?.invalid.push(row);
    for (const row of shapes) result.get(row.community)?.multipart.push(row);
    stats.exactMs = performance.now() - t3;
  }
  return { communities: [...result.values()], stats };
}

/** The bounding box of the residual edges: every gap and overlap lies inside it. */
function residualBBox(residual: readonly ResidualEdge[]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const e of residual) {
    for (const [x, y] of [e.from, e.to]) {
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
    }
  }
  return [x0, y0, x1, y1];
}

/**
 * The error-level tiling problems (gaps, overlaps, outside parts; slivers aside) of the
 * given communities as `source` sees them, each once (an overlap across two communities is
 * found from both).
 */
export async function tilingErrors(
  db: Kysely<DB>,
  communities: readonly string[],
  source: GridSource = PUBLISHED,
  tol: Tolerances = DEFAULT_TOLERANCES,
): Promise<ProblemFeature[]> {
  const { communities: checked } = await checkTiling(db, communities, source);
  const seen = new Set<string>();
  const problems: ProblemFeature[] = [];
  for (const c of checked) {
    for (const area of c.areas) {
      const p = areaProblem(area, tol);
      if (p.properties.severity !== 'error' || seen.has(p.properties.id)) continue;
      seen.add(p.properties.id);
      problems.push(p);
    }
  }
  // Gaps an admin allowed (ADR 0013) are not errors: publish and import do not refuse them.
  return (await splitAllowed(db, problems)).kept;
}

/** What changed between two lists of problems, by their stable ids. */
export function diffProblems(before: readonly ProblemFeature[], after: readonly ProblemFeature[]): { created: ProblemFeature[]; removed: ProblemFeature[] } {
  const beforeIds = new Set(before.map((p) => p.properties.id));
  const afterIds = new Set(after.map((p) => p.properties.id));
  return {
    created: after.filter((p) => !beforeIds.has(p.properties.id)),
    removed: before.filter((p) => !afterIds.has(p.properties.id)),
  };
}
