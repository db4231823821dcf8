/**
 * Pure rules of the case UI (no DOM): the order of a worker's queue, how time left reads,
 * and which buttons a case's allowed actions become on the phone.
 */
import type { StaffCase } from '../../common/contracts/cases.ts';
import type { CaseAction } from '../../common/rules/case-lifecycle.ts';

/**
 * A worker's queue, most urgent first: overdue cases (the longest overdue first), then cases
 * still to accept (their clock has not started: oldest report first), then by hours left.
 *
 * @example sortByTimeLeft([{hoursLeft: 5}, {hoursLeft: -2}, {hoursLeft: null}]) // -2, null, 5
 */
export function sortByTimeLeft<T extends Pick<StaffCase, 'hoursLeft' | 'reportedAt' | 'id'>>(cases: readonly T[]): T[] {
  const rank = (c: T) => (c.hoursLeft === null ? 1 : c.hoursLeft < 0 ? 0 : 2);
  return [...cases].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.hoursLeft ?? 0) - (b.hoursLeft ?? 0) ||
      a.reportedAt.localeCompare(b.reportedAt) ||
      a.id - b.id,
  );
}

export type TimeLeft =
  | { kind: 'left'; hours: number; days: number | null }
  | { kind: 'over'; hours: number; days: number | null }
  | { kind: 'unaccepted' }
  | { kind: 'none' };

/** From this many whole hours on, the badge counts days (超期 350 天 reads better than 8401 小时). */
export const DAYS_FROM_HOURS = 72;
const daysOf = (hours: number): number | null => (hours >= DAYS_FROM_HOURS ? Math.floor(hours / 24) : null);

/**
 * What the time-left badge says: whole hours, rounded towards urgency (1.2 h left reads 1,
 * 0.3 h overdue reads 1), so "剩余 0 小时" never hides an hour already gone.
 *
 * From DAYS_FROM_HOURS on, `days` is also given (whole days, rounded down).
 *
 * @example timeLeft({ hoursLeft: 5.7, state: 'dispatched' }) // { kind: 'left', hours: 5, days: null }
 * @example timeLeft({ hoursLeft: -0.3, state: 'dispatched' }) // { kind: 'over', hours: 1, days: null }
 * @example timeLeft({ hoursLeft: -8401, state: 'dispatched' }) // { kind: 'over', hours: 8401, days: 350 }
 */
export function timeLeft(c: Pick<StaffCase, 'hoursLeft' | 'state'>): TimeLeft {
  if (c.hoursLeft === null) return c.state === 'reported' ? { kind: 'unaccepted' } : { kind: 'none' };
  if (c.hoursLeft < 0) {
    const hours = Math.max(1, Math.ceil(-c.hoursLeft));
    return { kind: 'over', hours, days: daysOf(hours) };
  }
  const hours = Math.floor(c.hoursLeft);
  return { kind: 'left', hours, days: daysOf(hours) };
}

/** The buttons of the worker's detail view, in the order of the work. */
export type WorkerButton =
  'accept' | 'dispatchSelf' | 'escalate' | 'handle' | 'feedback' | 'close' | 'return' | 'note' | 'not_accept';

const ORDER: readonly WorkerButton[] = [
  'accept',
  'dispatchSelf',
  'handle',
  'feedback',
  'close',
  'escalate',
  'not_accept',
  'return',
  'note',
];

/**
 * The allowed actions (from the server: the lifecycle and this user's role) as buttons.
 * `dispatch` becomes 派给自己 (to the case's own grid) and only when the case has a grid.
 */
export function workerButtons(c: Pick<StaffCase, 'actions' | 'grid'>): WorkerButton[] {
  const allowed = new Set(c.actions as CaseAction[]);
  return ORDER.filter((button) => {
    if (button === 'dispatchSelf') return allowed.has('dispatch') && c.grid !== null;
    return allowed.has(button);
  });
}

/** A phone number the user may dial: masked numbers (138****5678) are shown, not linked. */
export const dialable = (phone: string | null): phone is string => !!phone && !phone.includes('*');
