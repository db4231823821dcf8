/**
 * Transitions (受理, 派遣, 处置, 反馈, 核查结案, 退回, 重新办理, 评价 …): each one transaction that
 * locks the case, checks the caller's If-Match, their role and the lifecycle rule, updates the
 * case and appends one timeline entry. A refused transition writes nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { forbidden } from '../auth/permissions.ts';
import {
  nextCaseState,
  type CaseAction,
  type CaseRating,
  type CaseState,
  type StaffAction,
} from '../../common/rules/case-lifecycle.ts';
import type { QueueTarget, TransitionRequest } from '../../common/contracts/cases.ts';
import { streetOf } from '../../common/rules/region-codes.ts';
import { hasLevelAbove, mayAct, type StaffScope } from './case-access.ts';
import {
  appendEvent,
  caseById,
  caseByTicket,
  gridByCode,
  insertPhotos,
  type CaseRow,
  type StoredPhoto,
} from './cases.queries.ts';
import { hashToken } from './intake.ts';

export const caseEtag = (c: Pick<CaseRow, 'id' | 'version'>): string => `"case-${c.id}.v${c.version}"`;

function checkCaseIfMatch(header: string | undefined, c: CaseRow): void {
  if (header === undefined || header.trim() === '') {
    throw new HttpError(
      428,
      'precondition_required',
      'If-Match is required: send the ETag of the case you acted on',
      'If-Match',
    );
  }
  const tags = (header.match(/(W\/)?"[^"]*"/g) ?? []).map((t) => t.replace(/^W\//, ''));
  if (!tags.includes(caseEtag(c))) {
    throw new HttpError(
      412,
      'stale',
      `The case changed since you read it (now ${c.state}, version ${c.version}); reload it`,
      'If-Match',
      {
        etag: caseEtag(c),
        state: c.state,
        version: c.version,
      },
    );
  }
}

const HANDLING_FOR_QUEUE: Record<QueueTarget['kind'], string> = {
  grid: 'on_the_spot',
  community: 'community',
  street: 'community',
  department: 'department',
  hotline: 'hotline',
};

/** The queue above: grid → community → street; a department reports to its street. */
function escalated(c: CaseRow): QueueTarget {
  if (!hasLevelAbove(c)) {
    throw new HttpError(409, 'not_allowed', 'The case is already with the street: dispatch it instead of escalating');
  }
  // A department and 12345 report to the street, as the community does; a grid to its community.
  return c.queue_kind === 'grid'
    ? { kind: 'community', code: c.community_code }
    : { kind: 'street', code: c.street_code };
}

/** Where this user may send the case (and the target exists). */
async function checkTarget(db: Kysely<DB>, user: StaffScope, c: CaseRow, to: QueueTarget): Promise<void> {
  const inStreet = (code: string) => code.length >= 9 && streetOf(code) === c.street_code;
  switch (to.kind) {
    case 'grid': {
      const grid = /^[0-9]{15}$/.test(to.code) ? await gridByCode(db, to.code) : undefined;
      if (!grid) throw badRequest('to.code', `to.code: no published grid has code ${to.code}`);
      if (user.role === 'worker' && !user.grids.includes(grid.code))
        throw forbidden('A grid worker takes cases into their own grid only');
      if (user.role === 'community' && grid.community_code !== user.community_code)
        throw forbidden('A community dispatches to its own grids only');
      if (!inStreet(grid.community_code))
        throw badRequest('to.code', `to.code: grid ${to.code} is not in the case's street`);
      return;
    }
    case 'community': {
      const ok = /^[0-9]{12}$/.test(to.code) && (await regionLevel(db, to.code)) === 'community';
      if (!ok) throw badRequest('to.code', `to.code: no community has code ${to.code}`);
      if (!inStreet(to.code)) throw badRequest('to.code', `to.code: community ${to.code} is not in the case's street`);
      if (user.role === 'worker') throw forbidden('A grid worker escalates to the community instead of dispatching');
      if (user.role === 'community' && to.code !== user.community_code)
        throw forbidden('A community dispatches within itself');
      return;
    }
    case 'street':
    case 'hotline':
    case 'department': {
      if (user.role !== 'admin' && user.role !== 'editor')
        throw forbidden('Only the street (editors) and admins dispatch to the street, departments or 12345');
      if (to.kind === 'street' && to.code !== c.street_code)
        throw badRequest('to.code', `to.code: the case's street is ${c.street_code}`);
      if (to.kind === 'hotline' && to.code !== '12345') throw badRequest('to.code', 'to.code: the hotline is "12345"');
      if (to.kind === 'department') {
        const dept = /^[0-9]{1,9}$/.test(to.code)
          ? await db
              .selectFrom('departments')
              .select(['id', 'street_code'])
              .where('id', '=', Number(to.code))
              .executeTakeFirst()
          : undefined;
        if (!dept) throw badRequest('to.code', `to.code: no department has id ${to.code}`);
        if (dept.street_code !== c.street_code)
          throw badRequest('to.code', `to.code: department ${to.code} belongs to another street`);
      }
      return;
    }
  }
}

async function regionLevel(db: Kysely<DB>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('regions').select('level').where('code', '=', code).executeTakeFirst())?.level;
}

async function checkHandling(db: Kysely<DB>, code: string): Promise<void> {
  const row = await db.selectFrom('case_handlings').select('code').where('code', '=', code).executeTakeFirst();
  if (!row) throw badRequest('handling', `handling: unknown way of handling "${code}"`);
}

function actorLabel(user: StaffScope & { display_name: string }): string {
  return user.display_name;
}

export interface TransitionInput {
  request: TransitionRequest;
  ifMatch: string | undefined;
  photos?: readonly StoredPhoto[];
}

/** Applies a staff transition; returns the updated case. */
export async function applyTransition(
  db: Kysely<DB>,
  id: string,
  user: StaffScope & { display_name: string },
  input: TransitionInput,
  at: Date,
): Promise<CaseRow> {
  const { request: r } = input;
  const action = r.action as StaffAction;
  return inTransaction(db, async (trx) => {
    const c = await caseById(trx, id, true);
    if (!c) throw notFound('Case', id);
    if (!mayAct(user, c, 'note') && !mayAct(user, c, action)) throw notFound('Case', id); // not theirs: as if absent
    checkCaseIfMatch(input.ifMatch, c);
    if (!mayAct(user, c, action)) throw forbidden(`Your account may not ${action} this case`);
    const next = nextCaseState(c.state, action, { rating: c.rating });
    if (!next.ok) {
      throw new HttpError(409, 'transition_not_allowed', `${next.reason}`, 'action', {
        state: c.state,
        version: c.version,
      });
    }
    const update: Record<string, unknown> = { state: next.to, version: c.version + 1 };
    const details: Record<string, unknown> = {};
    const comment = r.comment?.trim() || null;
    const needComment = (why: string) => {
      if (!comment) throw badRequest('comment', `comment: ${why}`);
    };
    switch (action) {
      case 'accept':
        update.accepted_at = at;
        update.due_at = new Date(at.getTime() + c.time_limit_hours * 3_600_000);
        break;
      case 'not_accept':
        needComment('不予受理 needs the reason, for the reporter');
        update.handling = 'not_accepted';
        update.closed_at = at;
        break;
      case 'merge': {
        if (!r.duplicateOf) throw badRequest('duplicateOf', 'duplicateOf: the ticket of the case this one repeats');
        const original = await caseByTicket(trx, r.duplicateOf);
        if (!original || original.id === c.id)
          throw badRequest('duplicateOf', `duplicateOf: no other case has ticket ${r.duplicateOf}`);
        if (original.duplicate_of)
          throw badRequest('duplicateOf', `duplicateOf: ${r.duplicateOf} is itself merged into another case`);
        update.duplicate_of = original.id;
        update.closed_at = at;
        details.duplicateOf = original.ticket;
        break;
      }
      case 'dispatch': {
        if (!r.to) throw badRequest('to', 'to: where to dispatch the case ({kind, code})');
        await checkTarget(trx, user, c, r.to);
        const handling = r.handling ?? HANDLING_FOR_QUEUE[r.to.kind];
        await checkHandling(trx, handling);
        if (handling === 'whistle' && r.to.kind !== 'department')
          throw badRequest('handling', 'handling: 街道吹哨 summons a department (to.kind "department")');
        if (handling === 'not_accepted')
          throw badRequest('handling', 'handling: 不予受理 is its own action (not_accept)');
        update.queue_kind = r.to.kind;
        update.queue_code = r.to.code;
        update.handling = handling;
        details.to = r.to;
        details.from = { kind: c.queue_kind, code: c.queue_code };
        details.handling = handling;
        if (r.to.kind === 'department') {
          const dept = await trx
            .selectFrom('departments')
            .select(['name', 'report_hours'])
            .where('id', '=', Number(r.to.code))
            .executeTakeFirstOrThrow();
          details.department = dept.name;
          details.reportBy = new Date(at.getTime() + dept.report_hours * 3_600_000).toISOString();
        }
        break;
      }
      case 'escalate': {
        const to = escalated(c);
        update.queue_kind = to.kind;
        update.queue_code = to.code;
        details.to = to;
        details.from = { kind: c.queue_kind, code: c.queue_code };
        break;
      }
      case 'return': {
        needComment('退回 needs the reason');
        if (c.state === 'dispatched') {
          // Back to whoever dispatched it (the queue before the last dispatch or escalation).
          const last = await trx
            .selectFrom('case_events')
            .select('details')
            .where('case_id', '=', c.id)
            .where('action', 'in', ['dispatch', 'escalate'])
            .orderBy('seq', 'desc')
            .executeTakeFirst();
          const from = (last?.details as { from?: QueueTarget } | undefined)?.from ?? {
            kind: 'community',
            code: c.community_code,
          };
          update.queue_kind = from.kind;
          update.queue_code = from.code;
          details.to = from;
        } else {
          update.handled_at = null; // 核查不通过: handled again
        }
        break;
      }
      case 'handle': {
        needComment('处置 needs what was done');
        const handling = r.handling ?? c.handling ?? HANDLING_FOR_QUEUE[c.queue_kind];
        await checkHandling(trx, handling);
        update.handling = handling;
        update.handled_at = at;
        details.handling = handling;
        break;
      }
      case 'feedback':
        if (!r.route) throw badRequest('route', 'route: online (the tracking page) or offline (a call or visit)');
        if (r.route === 'offline') needComment('offline feedback records the call or visit');
        details.route = r.route;
        break;
      case 'close':
        update.closed_at = at;
        details.onTime = c.due_at === null || at <= c.due_at;
        break;
      case 'reopen':
        needComment('重新办理 needs the reason');
        update.closed_at = null;
        update.handled_at = null;
        update.rating = null;
        update.rated_at = null;
        update.reopened = c.reopened + 1;
        update.due_at = new Date(at.getTime() + c.time_limit_hours * 3_600_000);
        details.previousRating = c.rating;
        break;
      case 'note':
        if (!comment && !(input.photos?.length ?? 0))
          throw badRequest('comment', 'comment: a note needs text or photos');
        break;
    }
    await trx.updateTable('cases').set(update).where('id', '=', c.id).execute();
    const seq = await appendEvent(trx, {
      caseId: c.id,
      at,
      action,
      from: c.state,
      to: next.to,
      actorUserId: user.id,
      actorLabel: actorLabel(user),
      comment,
      details,
    });
    await insertPhotos(trx, c.id, seq, input.photos ?? []);
    return (await caseById(trx, c.id))!;
  });
}

/** The reporter's rating (评价), once per closure, with the tracking token. */
export async function rateCase(
  db: Kysely<DB>,
  ticket: string,
  token: string,
  rating: CaseRating,
  comment: string | undefined,
  at: Date,
): Promise<CaseRow> {
  return inTransaction(db, async (trx) => {
    const c = await caseByTicket(trx, ticket, true);
    if (!c || c.token_hash !== hashToken(token)) throw notFound('Case', ticket); // 404, not 403: tickets cannot be probed
    const next = nextCaseState(c.state, 'rate' as CaseAction, { rating: c.rating });
    if (!next.ok) {
      throw new HttpError(
        409,
        'transition_not_allowed',
        c.state === 'rated' ? 'This closure has been rated already' : 'The case can be rated once it is closed',
        'rating',
        { state: c.state },
      );
    }
    await trx
      .updateTable('cases')
      .set({ state: next.to as CaseState, rating, rated_at: at, version: c.version + 1 })
      .where('id', '=', c.id)
      .execute();
    await appendEvent(trx, {
      caseId: c.id,
      at,
      action: 'rate',
      from: c.state,
      to: next.to,
      actorUserId: null,
      actorLabel: '居民',
      comment: comment?.trim() || null,
      details: { rating },
    });
    return (await caseById(trx, c.id))!;
  });
}
