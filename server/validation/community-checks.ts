/**
 * The per-community checks, incremental: each community's result is kept in memory,
 * keyed by its topology epoch (migrations/0002), and recomputed only when the epoch moved.
 *
 *   1. read the epochs of the communities in scope (one small query);
 *   2. for communities whose epoch changed: read their outline and their grids as WKB, and
 *      prove the tiling by edge matching in JS (server/geo/match-edges.ts);
 *   3. for those whose edges do not cancel: run the exact PostGIS overlay (exact.queries.ts)
 *      to measure each gap, overlap and out-of-community part. The residual says where to
 *      look: every such part is bounded by residual edges, so overlaps and outside parts
 *      involve a grid that owns a residual edge, and gaps lie inside the residual's bbox;
 *   4. check the attribute rules of its grids (households, party organisation, worker);
 *   5. keep the measurements (not the tolerances' verdict: slivers are decided per request).
 *
 * A cached entry also depends on the communities its overlaps reach into; it is recomputed
 * when any of them changes. The cache lives per database handle and per process; a second
 * API process warms its own.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { matchEdges, type ResidualEdge, type RingSet } from '../geo/match-edges.ts';
import { partCount, ringSetsFromWkb } from '../geo/read-wkb.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';
import { findGaps, type GapWindow, findInvalid, findOutside, findOverlaps, gridShapes, type GridShapeRow, type InvalidRow } from './exact.queries.ts';
import type { MeasuredArea } from './problems.ts';
import { findAttributeProblems, type AttributeRow, type HouseholdBoundsSetting } from './attributes.queries.ts';

export interface CommunityCheck {
  code: string;
  name: string;
  epoch: number;
  grids: number;
  /** Edge matching proved the tiling (no exact overlay was needed). */
  proven: boolean;
  areas: MeasuredArea[];
  invalid: InvalidRow[];
  multipart: GridShapeRow[];
  /** Grids breaking an attribute rule (households, party, worker). */
  attributes: AttributeRow[];
  /** The household bounds the attribute check used (a settings change invalidates). */
  boundsKey: string;
  /** Other communities this result read (overlaps reaching across), with their epochs. */
  deps: Map<string, number>;
}

export interface CheckStats {
  communities: number;
  recomputed: number;
  /** Results read back from community_checks (saved by this or another process). */
  fromDatabase: number;
  overlaid: number;
  loadMs: number;
  matchMs: number;
  exactMs: number;
  totalMs: number;
}

const caches = new WeakMap<Kysely<DB>, Map<string, CommunityCheck>>();

/** One cache per database handle (pass the root handle, not a transaction's). */
function cacheFor(db: Kysely<DB>): Map<string, CommunityCheck> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Drop the in-memory results (tests, and after a bulk reload outside the triggers). */
export function clearCheckCache(db: Kysely<DB>): void {
  cacheFor(db).clear();
}

interface EpochRow {
  code: string;
  name: string;
  epoch: number;
}

export async function communityChecks(
  db: Kysely<DB>,
  region: string | undefined,
  setting: HouseholdBoundsSetting,
  cacheOwner: Kysely<DB> = db,
): Promise<{ communities: CommunityCheck[]; computed: CommunityCheck[]; stats: CheckStats }> {
  const cache = cacheFor(cacheOwner);
  const t0 = performance.now();
  const { rows: all } = await sql<EpochRow>`
    SELECT r.code, r.name, coalesce(t.epoch, 0)::float8 AS epoch
    FROM regions r LEFT JOIN topology_epochs t ON t.community_code = r.code
    WHERE r.level = 'community'`.execute(db);
  const epochs = new Map(all.map((r) => [r.code, r.epoch]));
  const inScope = region
    ? (await sql<{ code: string }>`SELECT code FROM regions WHERE level = 'community' AND code IN ${subtreeCodes(region)}`.execute(db)).rows.map(
        (r) => r.code,
      )
    : all.map((r) => r.code);
  const names = new Map(all.map((r) => [r.code, r.name]));

  const boundsKey = JSON.stringify(setting);
  const isStale = (code: string): boolean => {
    const entry = cache.get(code);
    if (!entry || entry.epoch !== epochs.get(code) || entry.boundsKey !== boundsKey) return true;
    for (const [dep, epoch] of entry.deps) if (epochs.get(dep) !== epoch) return true;
    return false;
  };
  // What this process does not hold, another (or an earlier) one may have saved.
  let fromDatabase = 0;
  const missing = inScope.filter(isStale);
  if (missing.length > 0) {
    for (const entry of await loadSavedChecks(db, missing, boundsKey)) cache.set(entry.code, entry);
    fromDatabase = missing.length;
  }
  const stale = missing.filter(isStale);
  fromDatabase -= stale.length;
  const computed: CommunityCheck[] = [];

  let loadMs = 0;
  let matchMs = 0;
  let exactMs = 0;
  let overlaid = 0;
  if (stale.length > 0) {
    const t1 = performance.now();
    const [outlines, grids, attributes] = await Promise.all([
      sql<{ code: string; wkb: Uint8Array }>`SELECT code, ST_AsBinary(geom) AS wkb FROM regions WHERE code = ANY(${stale}::text[])`.execute(db),
      sql<{ code: string; community_code: string; wkb: Uint8Array }>`
        SELECT code, community_code, ST_AsBinary(geom) AS wkb FROM grids WHERE community_code = ANY(${stale}::text[])`.execute(db),
      findAttributeProblems(db, stale, setting),
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
    loadMs = t2 - t1;

    const fresh = new Map<string, CommunityCheck>();
    const broken: string[] = [];
    const suspects: string[] = [];
    const windows: GapWindow[] = [];
    const multipartCodes: string[] = [];
    outlines.rows.forEach((row, i) => {
      const members = byCommunity.get(row.code) ?? [];
      const result = matchEdges(outlineSets[i]!, members);
      for (const g of members) if (partCount(g) > 1) multipartCodes.push(g.owner);
      if (!result.tiled) {
        broken.push(row.code);
        for (const owner of result.suspects) if (owner !== row.code) suspects.push(owner);
        windows.push({ community: row.code, bbox: residualBBox(result.residual) });
      }
      fresh.set(row.code, {
        code: row.code,
        name: names.get(row.code) ?? row.code,
        epoch: epochs.get(row.code) ?? 0,
        grids: members.length,
        proven: result.tiled,
        areas: [],
        invalid: [],
        multipart: [],
        attributes: [],
        boundsKey,
        deps: new Map(),
      });
    });
    for (const row of attributes) fresh.get(row.community)?.attributes.push(row);
    const t3 = performance.now();
    matchMs = t3 - t2;

    if (broken.length > 0 || multipartCodes.length > 0) {
      overlaid = broken.length;
      const [overlaps, gaps, outside, invalid, shapes] = await Promise.all([
        findOverlaps(db, suspects, windows),
        findGaps(db, windows),
        findOutside(db, suspects),
        findInvalid(db, broken),
        gridShapes(db, multipartCodes),
      ]);
      for (const area of [...overlaps, ...gaps, ...outside]) {
        const entry = fresh.get(area.community);
        if (!entry) continue;
        entry.areas.push(area);
        // An overlap reaching into another community depends on that community too.
        for (const other of area.communities ?? []) {
          if (other !== area.community) entry.deps.set(other, epochs.get(other) ?? 0);
        }
      }
      for (const row of invalid) fresh.get(row.community)?.invalid.push(row);
      for (const row of shapes) fresh.get(row.community)?.multipart.push(row);
      exactMs = performance.now() - t3;
    }
    for (const [code, entry] of fresh) {
      cache.set(code, entry);
      computed.push(entry);
    }
  }
  const communities = inScope.map((code) => cache.get(code)).filter((e): e is CommunityCheck => e !== undefined);
  return {
    communities,
    computed,
    stats: { communities: inScope.length, recomputed: stale.length, fromDatabase, overlaid, loadMs, matchMs, exactMs, totalMs: performance.now() - t0 },
  };
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

/** Bumped whenever CommunityCheck's shape changes: saved rows of another format are ignored. */
const RESULT_FORMAT = 1;

type SavedResult = Omit<CommunityCheck, 'deps' | 'boundsKey' | 'epoch'> & { deps: Record<string, number> };

async function loadSavedChecks(db: Kysely<DB>, codes: string[], boundsKey: string): Promise<CommunityCheck[]> {
  const { rows } = await sql<{ epoch: number; result: SavedResult }>`
    SELECT epoch::float8 AS epoch, result FROM community_checks
    WHERE community_code = ANY(${codes}::text[]) AND bounds_key = ${boundsKey} AND format = ${RESULT_FORMAT}`.execute(db);
  return rows.map(({ epoch, result }) => ({ ...result, epoch, boundsKey, deps: new Map(Object.entries(result.deps)) }));
}

/**
 * Save freshly computed results for other processes and restarts, in its own transaction
 * after the report's (a cache write must never fail a read). Older rows are overwritten.
 */
export async function saveChecks(db: Kysely<DB>, entries: readonly CommunityCheck[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    const results = chunk.map(({ deps, boundsKey: _b, epoch: _e, ...rest }) => JSON.stringify({ ...rest, deps: Object.fromEntries(deps) }));
    await sql`
      INSERT INTO community_checks (community_code, epoch, bounds_key, format, result)
      SELECT code, epoch, bounds_key, ${RESULT_FORMAT}, result::jsonb
      FROM unnest(${chunk.map((e) => e.code)}::text[], ${chunk.map((e) => e.epoch)}::bigint[],
                  ${chunk.map((e) => e.boundsKey)}::text[], ${results}::text[]) AS t (code, epoch, bounds_key, result)
      WHERE EXISTS (SELECT 1 FROM regions r WHERE r.code = t.code)
      ON CONFLICT (community_code) DO UPDATE
        SET epoch = EXCLUDED.epoch, bounds_key = EXCLUDED.bounds_key, format = EXCLUDED.format,
            result = EXCLUDED.result, checked_at = now()`.execute(db);
  }
}
