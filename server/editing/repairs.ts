/**
 * Repairs in a draft (issue 15, ADR 0013): a gap, overlap or sliver given to a neighbouring
 * grid, one problem or a batch, as ONE changeset (operation 'repair') with history and undo
 * like any edit. Each repair is checked with the one tiling check (validation/tiling.ts) on
 * the communities it touches, before and after: a repair that would create a problem (or
 * leave its own) is refused, and nothing of it is written.
 */
import type { Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { RepairOutcome, RepairResponse } from '../../common/contracts/repairs.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { checkTiling, diffProblems } from '../validation/tiling.ts';
import { draftSource } from '../validation/grid-source.ts';
import { areaProblem, DEFAULT_TOLERANCES } from '../validation/problems.ts';
import { splitAllowed } from '../validation/exceptions.queries.ts';
import { streetCommunities } from '../validation/draft-validation.queries.ts';
import { gridsInDraft, type DraftRow, type GridSnapshot } from './drafts.queries.ts';
import { chooseTarget, selectForBatch } from './repair-plan.ts';
import { repairKind } from '../../common/rules/problem-types.ts';
import { inStreet } from '../../common/rules/region-codes.ts';
import { exactPiece, partsOf, pointsInRegion, repairCandidates, withoutTarget, withPiece } from './repairs.queries.ts';
import { etagOf } from './etags.ts';
import { begin, recordEdit, reshapeInDraft, type EditContext } from './operations.ts';

type Trx = Kysely<DB>;

/** The gaps, overlaps, slivers and outside parts of the given communities as the draft sees them. */
export async function draftAreaProblems(
  trx: Trx,
  draftId: number,
  communities: readonly string[],
): Promise<ProblemFeature[]> {
  const { communities: checked } = await checkTiling(trx, communities, draftSource(draftId));
  const seen = new Map<string, ProblemFeature>();
  for (const c of checked)
    for (const area of c.areas) {
      const p = areaProblem(area, DEFAULT_TOLERANCES);
      if (!seen.has(p.properties.id)) seen.set(p.properties.id, p);
    }
  return [...seen.values()];
}

/** The grids one changeset touched: the first state before, the last after. */
class Changes {
  private readonly byCode = new Map<string, { before: GridSnapshot; after: GridSnapshot }>();
  add(code: string, before: GridSnapshot, after: GridSnapshot): void {
    const had = this.byCode.get(code);
    this.byCode.set(code, { before: had?.before ?? before, after });
  }
  get codes(): string[] {
    return [...this.byCode.keys()].sort();
  }
  records() {
    return this.codes.map((code) => ({ code, ...this.byCode.get(code)! }));
  }
}

const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new HttpError(409, code, message, undefined, details);

/** Repair one problem in the draft (inside the caller's transaction); throws when it cannot. */
async function repairOne(
  trx: Trx,
  draft: DraftRow,
  problem: ProblemFeature,
  to: string | undefined,
  changes: Changes,
): Promise<RepairOutcome> {
  const records: { code: string; before: GridSnapshot; after: GridSnapshot }[] = [];
  const kind = repairKind(problem);
  const id = problem.properties.id;
  if (!kind)
    throw new HttpError(
      422,
      'not_repairable',
      `problem: ${id} is a ${problem.properties.type}; only gaps, overlaps and slivers are repaired`,
      'problem',
    );
  const community = problem.properties.community_code;
  if (!inStreet(community, draft.street_code))
    throw new HttpError(
      422,
      'other_street',
      `problem: ${id} is not in street ${draft.street_code} of this draft`,
      'problem',
    );
  const piece = await exactPiece(trx, draft.id, {
    kind,
    community,
    grids: problem.properties.grids,
    geometry: problem.geometry as Geometry,
  });
  if (!piece) throw conflict('problem_gone', `Problem ${id} is no longer in the draft`);

  const involved = kind === 'overlap' ? problem.properties.grids : [];
  const candidates = (await repairCandidates(trx, draft.id, piece)).filter(
    (c) => inStreet(c.community, draft.street_code) && (c.community === community || involved.includes(c.code)),
  );
  const choice = chooseTarget(candidates, to);
  if (!choice.ok) {
    if (choice.reason === 'no_neighbour')
      throw new HttpError(422, 'no_neighbour', `problem: no grid of this draft's street borders ${id}`, 'problem');
    throw new HttpError(
      422,
      'not_a_neighbour',
      `to: grid ${to} neither borders nor covers ${id}; choose one of ${choice.eligible.join(', ') || '(none)'}`,
      'to',
      { eligible: choice.eligible },
    );
  }
  const targetCode = choice.code;
  const others = involved.filter((code) => code !== targetCode);
  const states = await gridsInDraft(trx, draft.id, [targetCode, ...others]);
  const target = states.find((g) => g.code === targetCode && !g.retired);
  if (!target) throw notFound('grid', targetCode);
  for (const g of states)
    if (!inStreet(g.community_code, draft.street_code))
      throw new HttpError(422, 'other_street', `Grid ${g.code} is not in street ${draft.street_code}`, 'problem');

  const communities = [...new Set([community, ...states.map((g) => g.community_code)])];
  const before = await draftAreaProblems(trx, draft.id, communities);
  if (!before.some((p) => p.properties.id === id))
    throw conflict('problem_gone', `Problem ${id} is no longer in the draft`);

  // The target keeps its outline when it already covers the piece (one of an overlap's grids).
  const covers = candidates.find((c) => c.code === targetCode)!.overlapping;
  const targetEwkb = covers ? target.ewkb : (await withPiece(trx, target.ewkb, piece)).ewkb;
  const written: { grid: (typeof states)[number]; ewkb: string }[] = covers ? [] : [{ grid: target, ewkb: targetEwkb }];
  for (const code of others) {
    const grid = states.find((g) => g.code === code && !g.retired);
    if (!grid) throw notFound('grid', code);
    const rest = await withoutTarget(trx, grid.ewkb, targetEwkb);
    if (rest.empty) throw conflict('creates_problems', `Giving ${id} to ${targetCode} would leave grid ${code} empty`);
    written.push({ grid, ewkb: rest.ewkb });
  }
  for (const w of written) {
    if ((await partsOf(trx, w.ewkb)) > (await partsOf(trx, w.grid.ewkb))) {
      throw conflict('creates_problems', `Giving ${id} to ${targetCode} would cut grid ${w.grid.code} in pieces`, {
        created: [`multipart:${w.grid.code}`],
      });
    }
  }
  for (const { grid, ewkb } of written) records.push(await reshapeInDraft(trx, draft.id, grid, ewkb));

  const after = await draftAreaProblems(trx, draft.id, communities);
  const { created } = diffProblems(before, after);
  if (created.length > 0) {
    throw conflict(
      'creates_problems',
      `Giving ${id} to ${targetCode} would create ${created.length} problem(s): ${created.map((p) => p.properties.id).join(', ')}`,
      {
        created: created.map((p) => p.properties.id),
      },
    );
  }
  if (after.some((p) => p.properties.id === id))
    throw conflict('not_repaired', `Giving ${id} to ${targetCode} would not remove it`);
  // Only now: a refused repair (rolled back to its savepoint) leaves no trace in the changeset.
  for (const r of records) changes.add(r.code, r.before, r.after);
  return {
    problem: id,
    type: problem.properties.type,
    areaM2: problem.properties.areaM2,
    status: 'repaired',
    to: targetCode,
    grids: written.map((w) => w.grid.code).sort(),
  };
}

async function finish(
  trx: Trx,
  draft: DraftRow,
  ctx: EditContext,
  changes: Changes,
  repairs: RepairOutcome[],
): Promise<RepairResponse> {
  const changeset = changes.codes.length === 0 ? null : await recordEdit(trx, draft, ctx, 'repair', changes.records());
  const states = await gridsInDraft(trx, draft.id, changes.codes);
  return { changeset, grids: states.map((s) => ({ code: s.code, etag: etagOf(s) })), repairs };
}

/** Repair one problem of the draft, named by its id; `to` names the grid that takes it. */
export async function repairProblem(
  db: Kysely<DB>,
  ctx: EditContext,
  problemId: string,
  to?: string,
): Promise<RepairResponse> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const problems = await draftAreaProblems(trx, draft.id, await streetCommunities(trx, draft.street_code));
    const problem = problems.find((p) => p.properties.id === problemId);
    if (!problem) throw notFound('problem', problemId);
    const changes = new Changes();
    const outcome = await repairOne(trx, draft, problem, to, changes);
    return finish(trx, draft, ctx, changes, [outcome]);
  });
}

/**
 * Repair every gap, overlap and sliver of at most `maxAreaM2` whose point lies in `region`
 * (a GeoJSON polygon or a region code), smallest first, each in a savepoint: one that cannot
 * be repaired (no neighbour, or it would create a problem) is listed as skipped with the
 * reason and leaves nothing behind. Allowed gaps are left alone.
 */
export async function repairBatch(
  db: Kysely<DB>,
  ctx: EditContext,
  region: Geometry | string,
  maxAreaM2: number,
): Promise<RepairResponse> {
  return inTransaction(db, async (trx) => {
    const draft = await begin(trx, ctx);
    const all = await draftAreaProblems(trx, draft.id, await streetCommunities(trx, draft.street_code));
    const { kept } = await splitAllowed(trx, all);
    const inside = await pointsInRegion(
      trx,
      kept.map((p) => p.properties.point),
      region,
    );
    const chosen = selectForBatch(
      kept.filter((_, i) => inside[i]),
      maxAreaM2,
    );
    const changes = new Changes();
    const repairs: RepairOutcome[] = [];
    for (const problem of chosen) {
      try {
        repairs.push(await inTransaction(trx, (sp) => repairOne(sp, draft, problem, undefined, changes)));
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) throw error;
        repairs.push({
          problem: problem.properties.id,
          type: problem.properties.type,
          areaM2: problem.properties.areaM2,
          status: 'skipped',
          reason: error.message,
          code: error.code,
        });
      }
    }
    return finish(trx, draft, ctx, changes, repairs);
  });
}
