/**
 * The one tiling check: what gaps, overlaps, outside parts, invalid and multipart grids a
 * set of communities has, for the published grids or for a draft's view of them. The
 * validation report (community-checks.ts, with its cache), the draft check, publish and
 * import all call this, so they cannot disagree.
 *
 *   1. read the communities' outlines and grids as WKB;
 *   2. prove the tiling by edge matching in JS (server/geo/match-edges.ts): exact, no tolerance;
 *   3. only where edges do not cancel, run the exact PostGIS overlay (find-gaps, find-overlaps, find-outside.queries.ts) around
 *      the residual: overlaps and outside parts involve a grid owning a residual edge, gaps
 *      lie inside the residual's bbox.
 *
 * It runs inside whatever transaction it is given, so a publish sees its own locks and a
 * dry run its own uncommitted rows.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { matchEdges, type ResidualEdge } from '../geo/match-edges.ts';
import { partCount, ringSetsFromWkb, splitWkb } from '../geo/read-wkb.ts';
import { findGaps } from './find-gaps.queries.ts';
import { findOverlaps } from './find-overlaps.queries.ts';
import { findOutside } from './find-outside.queries.ts';
import { findInvalid, type InvalidRow } from './find-invalid.queries.ts';
import { gridShapes, type GridShapeRow } from './find-multipart.queries.ts';
import type { GapWindow } from './overlay-pieces.queries.ts';
import { readCommunities } from './tiling.queries.ts';
import { splitAllowed } from './exceptions.queries.ts';
import { PUBLISHED, type GridSource } from './grid-source.ts';
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
  /**
   * A second connection seeing the same snapshot (server/db/snapshot.ts), or null. With it,
   * half of the communities are read and overlaid on each connection, in parallel.
   */
  sibling: Kysely<DB> | null = null,
): Promise<{ communities: CommunityTiling[]; stats: TilingStats }> {
  const stats: TilingStats = { overlaid: 0, loadMs: 0, matchMs: 0, exactMs: 0 };
  if (communities.length === 0) return { communities: [], stats };
  const connections = sibling ? [db, sibling] : [db];
  const result = new Map<string, CommunityTiling>();
  // Each connection reads its share, matches it and overlays its broken communities: one
  // share is matched in node while the other connection is still reading or overlaying.
  const found = await Promise.all(
    split(communities, connections.length).map(async (codes, i) => {
      const conn = connections[i]!;
      const t1 = performance.now();
      const rows = await readCommunities(conn, codes, source);
      const t2 = performance.now();
      const job: OverlayJob = { broken: [], suspects: [], windows: [], multipart: [] };
      for (const row of rows) {
        const [outline] = ringSetsFromWkb([{ owner: row.code, wkb: row.outline }]);
        const wkbs = row.wkb ? splitWkb(row.wkb) : [];
        const codesOf = row.codes ?? [];
        if (wkbs.length !== codesOf.length)
          throw new Error(`tiling: ${codesOf.length} grid codes but ${wkbs.length} outlines in ${row.code}`);
        const members = ringSetsFromWkb(codesOf.map((owner, k) => ({ owner, wkb: wkbs[k]! })));
        const match = matchEdges(outline!, members);
        for (const g of members) if (partCount(g) > 1) job.multipart.push(g.owner);
        if (!match.tiled) {
          job.broken.push(row.code);
          for (const owner of match.suspects) if (owner !== row.code) job.suspects.push(owner);
          job.windows.push({ community: row.code, bbox: residualBBox(match.residual) });
        }
        result.set(row.code, {
          code: row.code,
          grids: members.length,
          proven: match.tiled,
          areas: [],
          invalid: [],
          multipart: [],
          reaches: [],
        });
      }
      const t3 = performance.now();
      const areas = await overlay(conn, job, source);
      // Per connection, and the connections overlap: the slowest one's read and overlay.
      stats.loadMs = Math.max(stats.loadMs, t2 - t1);
      stats.matchMs += t3 - t2;
      if (areas.ran) stats.exactMs = Math.max(stats.exactMs, performance.now() - t3);
      stats.overlaid += job.broken.length;
      return areas;
    }),
  );
  for (const { overlaps, gaps, outside, invalid, shapes } of found) {
    for (const area of [...overlaps, ...gaps, ...outside]) {
      const entry = result.get(area.community);
      if (!entry) continue;
      entry.areas.push(area);
      for (const other of area.communities ?? [])
        if (other !== area.community && !entry.reaches.includes(other)) entry.reaches.push(other);
    }
    for (const row of invalid) result.get(row.community)?.invalid.push(row);
    for (const row of shapes) result.get(row.community)?.multipart.push(row);
  }
  // In the order asked for, whichever connection read them.
  return { communities: communities.flatMap((code) => result.get(code) ?? []), stats };
}

interface OverlayJob {
  broken: string[];
  suspects: string[];
  windows: GapWindow[];
  multipart: string[];
}

/** The exact overlay of one connection's share of the broken communities. */
async function overlay(db: Kysely<DB>, job: OverlayJob, source: GridSource) {
  if (job.broken.length === 0 && job.multipart.length === 0)
    return { ran: false, overlaps: [], gaps: [], outside: [], invalid: [], shapes: [] };
  const [overlaps, gaps, outside, invalid, shapes] = await Promise.all([
    findOverlaps(db, job.suspects, job.windows, source),
    findGaps(db, job.windows, source),
    findOutside(db, job.suspects, source),
    findInvalid(db, job.broken, source),
    gridShapes(db, job.multipart, source),
  ]);
  return { ran: true, overlaps, gaps, outside, invalid, shapes };
}

/** `n` shares of about the same size (every n-th code, so neighbouring districts spread). */
function split(codes: readonly string[], n: number): string[][] {
  if (n === 1) return [[...codes]];
  const shares: string[][] = Array.from({ length: n }, () => []);
  codes.forEach((code, i) => shares[i % n]!.push(code));
  return shares;
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
export function diffProblems(
  before: readonly ProblemFeature[],
  after: readonly ProblemFeature[],
): { created: ProblemFeature[]; removed: ProblemFeature[] } {
  const beforeIds = new Set(before.map((p) => p.properties.id));
  const afterIds = new Set(after.map((p) => p.properties.id));
  return {
    created: after.filter((p) => !beforeIds.has(p.properties.id)),
    removed: before.filter((p) => !afterIds.has(p.properties.id)),
  };
}
