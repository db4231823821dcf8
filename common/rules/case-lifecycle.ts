/**
 * The case lifecycle (issue 18): 上报 → 受理 → 派遣 → 处置 → 反馈 → 核查结案 → 评价, with 不予受理,
 * merging a duplicate, escalation, 退回 and reopening after an unsatisfied rating. One pure
 * function says which action may follow which state; the server applies it inside the
 * transition's transaction and derives a case's state by replaying its timeline with it.
 */

export const CASE_STATES = [
  'reported', // 已上报
  'accepted', // 已受理
  'dispatched', // 已派遣 (in a handler's queue)
  'handled', // 已处置
  'fed_back', // 已反馈
  'closed', // 已结案
  'rated', // 已评价
  'not_accepted', // 不予受理 (final)
  'merged', // 已合并 into another case (final)
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_ACTIONS = [
  'report',
  'accept',
  'not_accept',
  'merge',
  'dispatch',
  'escalate',
  'return',
  'handle',
  'feedback',
  'close',
  'rate',
  'reopen',
  'note',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Staff actions (what POST /api/cases/:id/transitions takes); report and rate come from residents. */
export const STAFF_ACTIONS = CASE_ACTIONS.filter((a) => a !== 'report' && a !== 'rate');
export type StaffAction = Exclude<CaseAction, 'report' | 'rate'>;

/** States a case is still being worked on in (everything before 结案). */
export const OPEN_STATES: readonly CaseState[] = ['reported', 'accepted', 'dispatched', 'handled', 'fed_back'];
export const isOpen = (state: CaseState): boolean => OPEN_STATES.includes(state);

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type CaseRating = (typeof RATINGS)[number];

/** Where a case may go from each state by each action (absent: not allowed, 409). */
const NEXT: Record<CaseState, Partial<Record<CaseAction, CaseState>>> = {
  reported: { accept: 'accepted', not_accept: 'not_accepted', merge: 'merged', note: 'reported' },
  accepted: { dispatch: 'dispatched', escalate: 'accepted', merge: 'merged', note: 'accepted' },
  dispatched: {
    dispatch: 'dispatched',
    escalate: 'dispatched',
    return: 'accepted',
    handle: 'handled',
    note: 'dispatched',
  },
  handled: { feedback: 'fed_back', return: 'dispatched', note: 'handled' },
  fed_back: { close: 'closed', return: 'dispatched', note: 'fed_back' },
  closed: { rate: 'rated', note: 'closed' },
  rated: { reopen: 'dispatched', note: 'rated' },
  not_accepted: { note: 'not_accepted' },
  merged: { note: 'merged' },
};

export interface TransitionFacts {
  /** The case's rating, for reopen (only after 不满意). */
  rating?: CaseRating | null;
}

export type TransitionResult = { ok: true; to: CaseState } | { ok: false; reason: string };

/** The state after `action` from `from`, or why the action is not allowed there. */
export function nextCaseState(
  from: CaseState | null,
  action: CaseAction,
  facts: TransitionFacts = {},
): TransitionResult {
  if (from === null) {
    return action === 'report' ? { ok: true, to: 'reported' } : { ok: false, reason: 'a case starts with report' };
  }
  const to = NEXT[from][action];
  if (!to) return { ok: false, reason: `${action} is not allowed when the case is ${from}` };
  if (action === 'reopen' && facts.rating !== 'unsatisfied') {
    return { ok: false, reason: 'only a case rated 不满意 (unsatisfied) is reopened' };
  }
  return { ok: true, to };
}

/** Actions allowed from a state (for the UI's buttons; permissions come on top). */
export function allowedActions(state: CaseState, facts: TransitionFacts = {}): CaseAction[] {
  return CASE_ACTIONS.filter((a) => nextCaseState(state, a, facts).ok);
}

export interface TimelineStep {
  action: CaseAction;
  to_state: CaseState;
  details?: { rating?: CaseRating } | Record<string, unknown>;
}

/**
 * The state a timeline leads to, checking every step against the rules: the derivation that
 * cases.state must equal. Throws on a timeline that breaks the rules.
 */
export function replayCaseTimeline(steps: readonly TimelineStep[]): CaseState | null {
  let state: CaseState | null = null;
  let rating: CaseRating | null = null;
  for (const [i, step] of steps.entries()) {
    const next = nextCaseState(state, step.action, { rating });
    if (!next.ok) throw new Error(`step ${i + 1} (${step.action}): ${next.reason}`);
    if (next.to !== step.to_state)
      throw new Error(`step ${i + 1} (${step.action}) says ${step.to_state}, rules say ${next.to}`);
    if (step.action === 'rate') rating = (step.details as { rating?: CaseRating }).rating ?? null;
    if (step.action === 'reopen') rating = null;
    state = next.to;
  }
  return state;
}

/** 按期: closed no later than its due time. */
export const closedOnTime = (closedAt: Date, dueAt: Date | null): boolean => dueAt === null || closedAt <= dueAt;

/** The due time: acceptance plus the category's limit. */
export const dueAt = (acceptedAt: Date, limitHours: number): Date =>
  new Date(acceptedAt.getTime() + limitHours * 3_600_000);

/** Duplicate rule: the same category within this distance and time of an open case. */
export const DUPLICATE_METRES = 50;
export const DUPLICATE_HOURS = 72;

/** The ratios the statistics show, each null when its denominator is 0. */
export function caseRates(n: {
  accepted: number;
  closed: number;
  due: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
  basically: number;
}): { closureRate: number | null; onTimeRate: number | null; satisfactionRate: number | null } {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    closureRate: ratio(n.closed, n.accepted),
    onTimeRate: ratio(n.closedOnTime, n.due),
    satisfactionRate: ratio(n.satisfied + n.basically, n.rated),
  };
}
