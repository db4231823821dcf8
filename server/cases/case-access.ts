/**
 * Who may read a case and who may take which action on it (issue 18). Pure: the caller loads
 * the staff member's scope (their grids for a worker) and the case's place and queue.
 *
 *   worker      the cases of their grids, and what is queued to their grids
 *   community   the cases of their community
 *   department  what is queued to their department (or was handled by it)
 *   editor      the cases of their street; dispatches, summons departments (吹哨), closes
 *   admin       everything
 *   planner     no case at all: statistics, points and OGC carry no personal data
 */
import type { UserRole } from '../../common/domain.ts';
import { allowedActions, type CaseAction, type CaseRating, type CaseState } from '../../common/rules/case-lifecycle.ts';

export interface StaffScope {
  id: number;
  role: UserRole;
  street_code: string | null;
  community_code: string | null;
  department_id: number | null;
  /** A worker's grids (user_grids). */
  grids: readonly string[];
}

export interface CasePlace {
  state: CaseState;
  rating: CaseRating | null;
  grid_code: string | null;
  community_code: string;
  street_code: string;
  queue_kind: 'grid' | 'community' | 'street' | 'department' | 'hotline';
  queue_code: string;
  /** Departments the case has been with (from its timeline), for department users' reading. */
  departments?: readonly number[];
}

/** The staff member may read the case (and so its masked personal fields). */
export function canReadCase(user: StaffScope, c: CasePlace): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'editor':
      return c.street_code === user.street_code;
    case 'community':
      return c.community_code === user.community_code;
    case 'worker':
      return (
        (c.grid_code !== null && user.grids.includes(c.grid_code)) ||
        (c.queue_kind === 'grid' && user.grids.includes(c.queue_code))
      );
    case 'department':
      return (
        user.department_id !== null &&
        ((c.queue_kind === 'department' && c.queue_code === String(user.department_id)) ||
          (c.departments ?? []).includes(user.department_id))
      );
    default:
      return false;
  }
}

/** The case is in this user's own queue (their grid, community, street or department). */
export function holdsQueue(user: StaffScope, c: CasePlace): boolean {
  switch (c.queue_kind) {
    case 'grid':
      return user.role === 'worker' && user.grids.includes(c.queue_code);
    case 'community':
      return user.role === 'community' && user.community_code === c.queue_code;
    case 'street':
      return user.role === 'editor' && user.street_code === c.queue_code;
    case 'department':
      return user.role === 'department' && String(user.department_id) === c.queue_code;
    case 'hotline':
      return false;
  }
}

/** The worker the case is with now: the only one who sees the reporter's phone unmasked. */
export const isAssignedWorker = (user: StaffScope, c: CasePlace): boolean =>
  user.role === 'worker' && c.queue_kind === 'grid' && user.grids.includes(c.queue_code);

const isStreetLevel = (user: StaffScope, c: CasePlace) =>
  user.role === 'admin' || (user.role === 'editor' && user.street_code === c.street_code);
const isCommunityLevel = (user: StaffScope, c: CasePlace) =>
  isStreetLevel(user, c) || (user.role === 'community' && user.community_code === c.community_code);

/** Whether the user, by role and place, may take the action (the state rule is checked apart). */
export function mayAct(user: StaffScope, c: CasePlace, action: CaseAction): boolean {
  if (!canReadCase(user, c)) return false;
  const holder = holdsQueue(user, c);
  switch (action) {
    case 'note':
      return true;
    case 'accept':
    case 'not_accept':
    case 'merge':
      return holder || isCommunityLevel(user, c);
    case 'dispatch':
      // A worker takes a case of their own grid (dispatch to self); the community within the
      // community; the street (and admins) anywhere in the street, departments included.
      return holder || isCommunityLevel(user, c);
    case 'escalate':
    case 'return':
    case 'handle':
      return holder || isStreetLevel(user, c);
    case 'feedback':
      return holder || isCommunityLevel(user, c);
    case 'close':
      // 核查结案: the community or street verifies; the grid worker closes what they handled in their grid.
      return isCommunityLevel(user, c) || (user.role === 'worker' && holder);
    case 'reopen':
      return isCommunityLevel(user, c);
    default:
      return false; // report and rate are the resident's
  }
}

/** Escalation goes one level up (grid → community → street; a department or 12345 → the street): none above the street. */
export const hasLevelAbove = (c: Pick<CasePlace, 'queue_kind'>): boolean => c.queue_kind !== 'street';

/** The actions this user may take now: allowed by the lifecycle and by their role. */
export function actionsFor(user: StaffScope, c: CasePlace): CaseAction[] {
  return allowedActions(c.state, { rating: c.rating }).filter(
    (a) => mayAct(user, c, a) && (a !== 'escalate' || hasLevelAbove(c)),
  );
}
