/**
 * Case rows → answers. The public answer (the reporter's tracking page) names actors by role
 * (居民, 网格员, 社区, 街道, 部门) and carries no phone and no staff names; staff answers carry the
 * reporter's phone masked, unmasked only for the grid worker the case is with.
 */
import { maskPhone } from '../../common/domain.ts';
import { isOpen } from '../../common/rules/case-lifecycle.ts';
import type { PublicCase, StaffCase, StaffCaseDetail, TimelineEntry } from '../../common/contracts/cases.ts';
import { actionsFor, isAssignedWorker, type StaffScope } from './case-access.ts';
import type { CaseRow, EventRow } from './cases.queries.ts';

/**
 * Comments a reporter reads: the reason a case is not accepted, what was done, the feedback,
 * the closing note and their own rating. Notes, dispatch and return reasons are internal.
 */
const PUBLIC_COMMENTS = new Set(['not_accept', 'handle', 'feedback', 'close', 'rate']);

/** Mobile (138…) and landline (0316-…) numbers, as staff may quote them in a comment. */
const PHONE_IN_TEXT = /(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)/g;
/** A comment as the public may read it: any phone number in it masked (138****5678). */
export const maskPhonesIn = (text: string): string => text.replace(PHONE_IN_TEXT, (n) => maskPhone(n));

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

const PUBLIC_ROLE: Record<string, string> = {
  worker: '网格员',
  community: '社区',
  editor: '街道',
  admin: '街道',
  department: '职能部门',
  planner: '街道',
};

/** Details a resident may see: the route of feedback, the handling way, a rating; no queue codes of people. */
const PUBLIC_DETAILS = ['route', 'handling', 'rating', 'duplicateOf', 'onTime', 'department'];

function entry(e: EventRow, audience: 'public' | 'staff'): TimelineEntry {
  const details =
    audience === 'public'
      ? Object.fromEntries(Object.entries(e.details).filter(([k]) => PUBLIC_DETAILS.includes(k)))
      : e.details;
  return {
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    action: e.action,
    state: e.to_state,
    actor:
      audience === 'public'
        ? e.actor_user_id === null && e.actor_role === null
          ? e.action === 'report' || e.action === 'rate'
            ? '居民'
            : '系统'
          : (PUBLIC_ROLE[e.actor_role ?? ''] ?? '工作人员')
        : e.actor_label,
    comment:
      audience === 'staff' || e.comment === null
        ? e.comment
        : PUBLIC_COMMENTS.has(e.action)
          ? maskPhonesIn(e.comment)
          : null,
    photos: e.photos.map(Number),
    details,
  };
}

export function publicCase(c: CaseRow, events: readonly EventRow[]): PublicCase {
  return {
    ticket: c.ticket,
    category: { code: c.category, name: c.category_name },
    description: c.description,
    state: c.state,
    grid: c.grid_code ? { code: c.grid_code, name: c.grid_name ?? c.grid_code } : null,
    community: { code: c.community_code, name: c.community_name },
    reportedAt: iso(c.reported_at)!,
    dueAt: iso(c.due_at),
    closedAt: iso(c.closed_at),
    rating: c.rating,
    canRate: c.state === 'closed',
    timeline: events.map((e) => entry(e, 'public')),
  };
}

export function staffCase(c: CaseRow, user: StaffScope, now: Date): StaffCase {
  const open = isOpen(c.state);
  const due = c.due_at === null ? null : new Date(c.due_at);
  const hoursLeft = open && due ? Math.round(((due.getTime() - now.getTime()) / 3_600_000) * 10) / 10 : null;
  const phone =
    c.reporter_phone === null ? null : isAssignedWorker(user, c) ? c.reporter_phone : maskPhone(c.reporter_phone);
  return {
    id: Number(c.id),
    ticket: c.ticket,
    category: { code: c.category, name: c.category_name },
    channel: c.channel,
    description: c.description,
    address: c.address,
    lon: c.lon,
    lat: c.lat,
    state: c.state,
    grid: c.grid_code ? { code: c.grid_code, name: c.grid_name ?? c.grid_code } : null,
    community: { code: c.community_code, name: c.community_name },
    street: { code: c.street_code, name: c.street_name },
    outsideGrids: c.outside_grids,
    queue: { kind: c.queue_kind, code: c.queue_code, name: c.queue_name ?? c.queue_code },
    handling: c.handling ? { code: c.handling, name: c.handling_name ?? c.handling } : null,
    reporterPhone: phone,
    reportedAt: iso(c.reported_at)!,
    acceptedAt: iso(c.accepted_at),
    dueAt: iso(c.due_at),
    closedAt: iso(c.closed_at),
    hoursLeft,
    // From the exact times, as the overdue filter: hoursLeft is rounded (a minute late reads -0).
    overdue: open && due !== null && due.getTime() < now.getTime(),
    rating: c.rating,
    duplicateOf: c.duplicate_ticket,
    version: c.version,
    actions: actionsFor(user, c),
  };
}

export function staffCaseDetail(
  c: CaseRow,
  events: readonly EventRow[],
  duplicates: readonly { id: string; ticket: string; distance_m: number }[],
  user: StaffScope,
  now: Date,
): StaffCaseDetail {
  return {
    ...staffCase(c, user, now),
    timeline: events.map((e) => entry(e, 'staff')),
    duplicates: duplicates.map((d) => ({
      id: Number(d.id),
      ticket: d.ticket,
      distanceM: Math.round(d.distance_m * 10) / 10,
    })),
  };
}
