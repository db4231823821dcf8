/**
 * Publishing a draft: one transaction that applies the draft's grids to the published map.
 * Refused (409, nothing written) when a grid changed since the draft took it (another
 * draft published first), or when the draft's view has an error-level gap, overlap or
 * outside part that the published map does not have — unless an admin overrides with a
 * written reason. The same steps, rolled back, are the draft's own check.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PublishCheckResponse, PublishResponse } from '../../common/contracts/drafts.ts';
import { HttpError } from '../http/errors.ts';
import { forbidden, requireStreet, type AuthUser } from '../auth/permissions.ts';
import { diffProblems, tilingErrors } from '../validation/tiling.ts';
import { draftSource, PUBLISHED } from '../validation/grid-source.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { boundsFor, outOfBand } from '../../common/rules/household-band.ts';
import { ancestry } from './lineage.ts';
import {
  draftRows,
  lockOpenDraft,
  publishedSnapshots,
  recordChangeset,
  snapshotOf,
  type GridInDraft,
} from './drafts.queries.ts';
import {
  deletePublishedGrid,
  inheritAssignments,
  insertPublishedGrid,
  lockGridVersions,
  markDraftPublished,
  replacePartyOrgs,
  replaceWorkers,
  splitMergeSteps,
  updatePublishedGrid,
} from './publish.queries.ts';
import { inTransaction } from '../db/transaction.ts';
import { pausePoint } from '../pause-points.ts';

/** What publishing would do, and what it did: declared in common/contracts/drafts.ts. */
export type PublishCheck = PublishCheckResponse;
export type PublishResult = PublishResponse;

class DryRun extends Error {
  constructor(readonly check: PublishCheck) {
    super('dry run');
  }
}

/** The draft's live split and merge steps, in order, for the lineage of its new grids. */
async function draftLineage(trx: Kysely<DB>, draftId: number): Promise<Map<string, Set<string>>> {
  return ancestry(await splitMergeSteps(trx, draftId));
}

/**
 * New grids take over their ancestors' party organisations and grid workers (before the
 * ancestors are deleted, which would take those rows with them).
 */
async function inherit(
  trx: Kysely<DB>,
  rows: readonly GridInDraft[],
  lineage: Map<string, Set<string>>,
): Promise<void> {
  for (const r of rows) {
    const from = [...(lineage.get(r.code) ?? [])];
    if (r.retired || r.baseVersion !== null || from.length === 0) continue;
    await inheritAssignments(trx, r.code, from);
  }
}

/** Assignments the draft set replace the grid's (building and unit heads stay). */
async function assign(trx: Kysely<DB>, rows: readonly GridInDraft[]): Promise<void> {
  for (const r of rows) {
    if (r.retired) continue;
    if (r.party_orgs) await replacePartyOrgs(trx, r.code, r.party_orgs);
    if (r.workers) await replaceWorkers(trx, r.code, r.workers);
  }
}

/**
 * Lock the draft's published grids and name those changed since the draft took them. With
 * `noWait`, grids another publish holds right now are a 409 at once instead of a wait.
 */
async function lockStale(trx: Kysely<DB>, rows: readonly GridInDraft[], noWait = false): Promise<string[]> {
  const conflicts: string[] = [];
  const codes = rows.map((r) => r.code);
  const current = await lockGridVersions(trx, codes, noWait).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === '55P03') {
      throw new HttpError(
        409,
        'publish_in_progress',
        'Another draft is publishing these grids right now; reload them and try again',
      );
    }
    throw error;
  });
  const versions = new Map(current.map((c) => [c.code, c.version]));
  for (const r of rows) {
    if (r.baseVersion === null ? versions.has(r.code) : versions.get(r.code) !== r.baseVersion) conflicts.push(r.code);
  }
  return conflicts;
}

function conflictError(conflicts: readonly string[]): HttpError {
  return new HttpError(
    409,
    'conflict',
    `Grid ${conflicts.join(', ')} changed since this draft took it; another draft was published first`,
    undefined,
    { conflicts },
  );
}

/** Write the draft's grids to the published map (the grids are locked by lockStale). */
async function apply(trx: Kysely<DB>, rows: readonly GridInDraft[], lineage: Map<string, Set<string>>): Promise<void> {
  // New grids first (so they can inherit), then changes, then the retired ones.
  const order = (r: GridInDraft) => (r.baseVersion === null ? 0 : r.retired ? 2 : 1);
  const sorted = [...rows].sort((a, b) => order(a) - order(b));
  let inherited = false;
  for (const r of sorted) {
    if (!inherited && order(r) > 0) {
      await inherit(trx, rows, lineage);
      inherited = true;
    }
    if (r.retired && r.baseVersion !== null) await deletePublishedGrid(trx, r.code);
    else if (!r.retired && r.baseVersion !== null) await updatePublishedGrid(trx, r);
    else if (!r.retired) await insertPublishedGrid(trx, r);
  }
  if (!inherited) await inherit(trx, rows, lineage);
  await assign(trx, rows);
}

async function run(
  db: Kysely<DB>,
  user: AuthUser,
  draftId: number,
  options: { comment: string; override?: string; dryRun: boolean },
): Promise<PublishResult> {
  return inTransaction(db, async (trx) => {
    const draft = await lockOpenDraft(trx, draftId);
    requireStreet(user, draft.street_code);
    const rows = await draftRows(trx, draft.id);
    if (rows.length === 0 && !options.dryRun)
      throw new HttpError(409, 'empty_draft', `Draft ${draft.id} changes nothing`);
    // A publish that has already lost (another draft published these grids first, or is
    // publishing them now) is told so at once, before the coverage checks: under a burst of
    // editors the losers hold a connection for milliseconds instead of queueing on the
    // winner's row locks through two overlays, which starved the pool (503s for everyone,
    // tests/load/concurrent-editors.test.ts). The grids stay locked until apply() writes them.
    const conflicts = await lockStale(trx, rows, !options.dryRun);
    if (!options.dryRun && conflicts.length > 0) throw conflictError(conflicts);
    // The one tiling check (validation/tiling.ts) on the published grids and on the draft's
    // view of them: what the draft creates is what publishing would create.
    const communities = [...new Set(rows.map((r) => r.community_code))];
    const before = await tilingErrors(trx, communities, PUBLISHED);
    const after = conflicts.length ? before : await tilingErrors(trx, communities, draftSource(draft.id));
    const bounds = boundsFor(await householdBoundsSetting(trx), draft.street_code);
    const check: PublishCheck = {
      conflicts,
      ...diffProblems(before, after),
      outOfRange: rows
        .filter((r) => !r.retired && outOfBand(r.kind, r.households, bounds))
        .map((r) => ({ code: r.code, households: r.households, ...bounds })),
      grids: rows.length,
    };
    if (options.dryRun) throw new DryRun(check);
    if (check.created.length > 0) {
      if (!options.override) {
        throw new HttpError(
          409,
          'creates_problems',
          `Publishing would create ${check.created.length} gap(s) or overlap(s); fix them, or an admin may override with a reason`,
          undefined,
          { created: check.created },
        );
      }
      if (user.role !== 'admin') throw forbidden('Only an admin may publish over gaps or overlaps');
    }
    const published = await publishedSnapshots(
      trx,
      rows.map((r) => r.code),
    );
    await apply(trx, rows, await draftLineage(trx, draft.id));
    await pausePoint('publish');
    const changeset = await recordChangeset(trx, {
      draftId: draft.id,
      street: draft.street_code,
      userId: user.id,
      operation: 'publish',
      comment: options.override ? `${options.comment} [override: ${options.override}]` : options.comment,
      grids: rows.map((r) => ({
        code: r.code,
        before: published.get(r.code) ?? null,
        after: r.retired ? null : snapshotOf(r),
      })),
    });
    await markDraftPublished(trx, draft.id, user.id, options.override ?? null);
    return { ...check, changeset };
  });
}

export async function publishDraft(
  db: Kysely<DB>,
  user: AuthUser,
  draftId: number,
  comment: string,
  override?: string,
): Promise<PublishResult> {
  return run(db, user, draftId, { comment, override, dryRun: false });
}

/** What publishing would do now, without doing it (the draft's own validation). */
export async function checkDraft(db: Kysely<DB>, user: AuthUser, draftId: number): Promise<PublishCheck> {
  try {
    await run(db, user, draftId, { comment: '', dryRun: true });
  } catch (error) {
    if (error instanceof DryRun) return error.check;
    throw error;
  }
  throw new Error('unreachable: a dry run always rolls back');
}
