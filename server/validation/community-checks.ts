/**
 * The per-community checks, incremental: each community's result is kept in memory,
 * keyed by its topology epoch (migrations/0002), and recomputed only when the epoch moved.
 *
 *   1. read the epochs of the communities in scope (one small query);
 *   2. for communities whose epoch changed: the tiling check (tiling.ts: edge matching, then
 *      the exact overlay where edges do not cancel), and the attribute rules of their grids
 *      (households, party organisation, worker);
 *   3. keep the measurements (not the tolerances' verdict: slivers are decided per request).
 *
 * A cached entry also depends on the communities its overlaps reach into; it is recomputed
 * when any of them changes. The cache lives per database handle and per process; a second
 * API process warms its own.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { InvalidRow } from './find-invalid.queries.ts';
import type { GridShapeRow } from './find-multipart.queries.ts';
import { checkTiling, type TilingStats } from './tiling.ts';
import { PUBLISHED } from './grid-source.ts';
import { withSnapshotSibling } from '../db/snapshot.ts';
import type { MeasuredArea } from './problems.ts';
import { findAttributeProblems, type AttributeRow } from './attributes.queries.ts';
import type { HouseholdBoundsSetting } from '../../common/rules/household-band.ts';
import { communitiesUnder, communityEpochs, readSavedChecks, upsertSavedChecks } from './community-checks.queries.ts';

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

export async function communityChecks(
  db: Kysely<DB>,
  region: string | undefined,
  setting: HouseholdBoundsSetting,
  cacheOwner: Kysely<DB> = db,
): Promise<{ communities: CommunityCheck[]; computed: CommunityCheck[]; stats: CheckStats }> {
  const cache = cacheFor(cacheOwner);
  const t0 = performance.now();
  const all = await communityEpochs(db);
  const epochs = new Map(all.map((r) => [r.code, r.epoch]));
  const inScope = region ? await communitiesUnder(db, region) : all.map((r) => r.code);
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

  let tiling: TilingStats = { overlaid: 0, loadMs: 0, matchMs: 0, exactMs: 0 };
  if (stale.length > 0) {
    // On the server driver a second connection shares the snapshot: half the work each.
    // (The attribute query stays whole: each half would build the same hash tables again.)
    const [checked, attributes] = await withSnapshotSibling(cacheOwner, db, (sibling) =>
      Promise.all([checkTiling(db, stale, PUBLISHED, sibling), findAttributeProblems(db, stale, setting)]),
    );
    tiling = checked.stats;
    const fresh = new Map<string, CommunityCheck>();
    for (const t of checked.communities) {
      fresh.set(t.code, {
        code: t.code,
        name: names.get(t.code) ?? t.code,
        epoch: epochs.get(t.code) ?? 0,
        grids: t.grids,
        proven: t.proven,
        areas: t.areas,
        invalid: t.invalid,
        multipart: t.multipart,
        attributes: [],
        boundsKey,
        // An overlap reaching into another community depends on that community too.
        deps: new Map(t.reaches.map((other) => [other, epochs.get(other) ?? 0])),
      });
    }
    for (const row of attributes) fresh.get(row.community)?.attributes.push(row);
    for (const [code, entry] of fresh) {
      cache.set(code, entry);
      computed.push(entry);
    }
  }
  const communities = inScope.map((code) => cache.get(code)).filter((e): e is CommunityCheck => e !== undefined);
  return {
    communities,
    computed,
    stats: {
      communities: inScope.length,
      recomputed: stale.length,
      fromDatabase,
      ...tiling,
      totalMs: performance.now() - t0,
    },
  };
}

/** Bumped whenever CommunityCheck's shape changes: saved rows of another format are ignored. */
const RESULT_FORMAT = 2; // 2: areas carry their true width (widthM)

type SavedResult = Omit<CommunityCheck, 'deps' | 'boundsKey' | 'epoch'> & { deps: Record<string, number> };

async function loadSavedChecks(db: Kysely<DB>, codes: string[], boundsKey: string): Promise<CommunityCheck[]> {
  const rows = await readSavedChecks<SavedResult>(db, codes, boundsKey, RESULT_FORMAT);
  return rows.map(({ epoch, result }) => ({ ...result, epoch, boundsKey, deps: new Map(Object.entries(result.deps)) }));
}

/**
 * Save freshly computed results for other processes and restarts, in its own transaction
 * after the report's (a cache write must never fail a read). Older rows are overwritten.
 */
export async function saveChecks(db: Kysely<DB>, entries: readonly CommunityCheck[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    const results = chunk.map(({ deps, boundsKey: _b, epoch: _e, ...rest }) =>
      JSON.stringify({ ...rest, deps: Object.fromEntries(deps) }),
    );
    await upsertSavedChecks(db, chunk, results, RESULT_FORMAT);
  }
}

const pendingSaves = new WeakMap<Kysely<DB>, Set<Promise<void>>>();

/** Remember a save running after its report was answered (see checksSaved). */
export function trackSave(db: Kysely<DB>, saving: Promise<void>): void {
  let pending = pendingSaves.get(db);
  if (!pending) pendingSaves.set(db, (pending = new Set()));
  pending.add(saving);
  void saving.finally(() => pending.delete(saving));
}

/** Resolves when every save started on `db` so far has finished (before closing it, and in tests). */
export async function checksSaved(db: Kysely<DB>): Promise<void> {
  await Promise.all([...(pendingSaves.get(db) ?? [])]);
}
