/**
 * The case lifecycle (common/rules/case-lifecycle.ts): the one pure rule that says which action
 * may follow which state. The whole table is spelled out here, so a change to the rule has to
 * change this test too; the API tests (tests/api/case-rules.test.ts) check the server obeys it.
 */
import { describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATES,
  STAFF_ACTIONS,
  allowedActions,
  caseRates,
  closedOnTime,
  dueAt,
  isOpen,
  nextCaseState,
  replayCaseTimeline,
  type CaseAction,
  type CaseState,
  type TimelineStep,
} from '../../common/rules/case-lifecycle.ts';

/** Every allowed (state, action) → next state; everything else is refused. */
const ALLOWED: Record<CaseState, Partial<Record<CaseAction, CaseState>>> = {
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

/** The happy path of issue 18: 上报 → 受理 → 派遣 → 处置 → 反馈 → 核查结案 → 评价. */
const HAPPY: TimelineStep[] = [
  { action: 'report', to_state: 'reported' },
  { action: 'accept', to_state: 'accepted' },
  { action: 'dispatch', to_state: 'dispatched' },
  { action: 'handle', to_state: 'handled' },
  { action: 'feedback', to_state: 'fed_back' },
  { action: 'close', to_state: 'closed' },
  { action: 'rate', to_state: 'rated', details: { rating: 'satisfied' } },
];

describe('case lifecycle rule', () => {
  it('a case starts with report and nothing else', () => {
    expect(nextCaseState(null, 'report')).toEqual({ ok: true, to: 'reported' });
    for (const action of CASE_ACTIONS.filter((a) => a !== 'report')) {
      expect(nextCaseState(null, action)).toEqual({ ok: false, reason: 'a case starts with report' });
    }
  });

  it(`follows the table for all ${CASE_STATES.length} × ${CASE_ACTIONS.length} (state, action) pairs`, () => {
    let allowed = 0;
    for (const from of CASE_STATES) {
      for (const action of CASE_ACTIONS) {
        const expected = ALLOWED[from][action];
        // reopen also needs the 不满意 rating: give it, the rating rule is tested on its own.
        const result = nextCaseState(from, action, { rating: 'unsatisfied' });
        if (expected) {
          allowed++;
          expect(result, `${from} + ${action}`).toEqual({ ok: true, to: expected });
        } else {
          expect(result, `${from} + ${action}`).toEqual({
            ok: false,
            reason: `${action} is not allowed when the case is ${from}`,
          });
        }
      }
    }
    expect(allowed).toBe(25);
  });

  it('report is never allowed on an existing case, and the final states only take notes', () => {
    for (const from of CASE_STATES) expect(nextCaseState(from, 'report').ok).toBe(false);
    expect(allowedActions('not_accepted')).toEqual(['note']);
    expect(allowedActions('merged')).toEqual(['note']);
  });

  it('reopens only a case rated 不满意', () => {
    expect(nextCaseState('rated', 'reopen', { rating: 'unsatisfied' })).toEqual({ ok: true, to: 'dispatched' });
    for (const rating of ['satisfied', 'basically_satisfied', null, undefined] as const) {
      expect(nextCaseState('rated', 'reopen', { rating })).toEqual({
        ok: false,
        reason: 'only a case rated 不满意 (unsatisfied) is reopened',
      });
    }
    expect(allowedActions('rated', { rating: 'satisfied' })).toEqual(['note']);
    expect(allowedActions('rated', { rating: 'unsatisfied' })).toEqual(['reopen', 'note']);
  });

  it('rates once per closure: not before closing, not twice', () => {
    for (const from of CASE_STATES.filter((s) => s !== 'closed')) expect(nextCaseState(from, 'rate').ok).toBe(false);
    expect(allowedActions('closed')).toEqual(['rate', 'note']);
  });

  it('offers the staff every action but report and rate', () => {
    expect(STAFF_ACTIONS).toEqual(CASE_ACTIONS.filter((a) => a !== 'report' && a !== 'rate'));
    expect(STAFF_ACTIONS).toHaveLength(11);
  });

  it('counts the states before 结案 as open', () => {
    expect(CASE_STATES.filter(isOpen)).toEqual(['reported', 'accepted', 'dispatched', 'handled', 'fed_back']);
  });
});

describe('replaying a timeline', () => {
  it('derives the state of the happy path, and of every prefix of it', () => {
    expect(replayCaseTimeline([])).toBeNull();
    for (let n = 1; n <= HAPPY.length; n++) expect(replayCaseTimeline(HAPPY.slice(0, n))).toBe(HAPPY[n - 1]!.to_state);
  });

  it('reopens after 不满意, closes and is rated again; a second reopen needs a second 不满意', () => {
    const unsatisfied: TimelineStep[] = [
      ...HAPPY.slice(0, -1),
      { action: 'rate', to_state: 'rated', details: { rating: 'unsatisfied' } },
      { action: 'reopen', to_state: 'dispatched' },
      { action: 'handle', to_state: 'handled' },
      { action: 'feedback', to_state: 'fed_back' },
      { action: 'close', to_state: 'closed' },
    ];
    expect(replayCaseTimeline(unsatisfied)).toBe('closed');
    const rated = [...unsatisfied, { action: 'rate', to_state: 'rated', details: { rating: 'satisfied' } } as const];
    expect(replayCaseTimeline(rated)).toBe('rated');
    expect(() => replayCaseTimeline([...rated, { action: 'reopen', to_state: 'dispatched' }])).toThrow(
      'step 13 (reopen): only a case rated 不满意 (unsatisfied) is reopened',
    );
    // A reopened case is worked again before anything else: no second reopen on the spot.
    expect(() =>
      replayCaseTimeline([...unsatisfied.slice(0, 8), { action: 'reopen', to_state: 'dispatched' }]),
    ).toThrow('step 9 (reopen): reopen is not allowed when the case is dispatched');
  });

  it('refuses a skipped step, a step claiming the wrong state, and a second rating', () => {
    expect(() => replayCaseTimeline([HAPPY[0]!, HAPPY[1]!, HAPPY[3]!])).toThrow(
      'step 3 (handle): handle is not allowed when the case is accepted',
    );
    expect(() => replayCaseTimeline([HAPPY[0]!, { action: 'accept', to_state: 'dispatched' }])).toThrow(
      'step 2 (accept) says dispatched, rules say accepted',
    );
    expect(() => replayCaseTimeline([...HAPPY, HAPPY[6]!])).toThrow('step 8 (rate): rate is not allowed');
    expect(() => replayCaseTimeline([HAPPY[1]!])).toThrow('step 1 (accept): a case starts with report');
  });

  it('keeps the state through notes and 退回', () => {
    const steps: TimelineStep[] = [
      HAPPY[0]!,
      { action: 'note', to_state: 'reported' },
      HAPPY[1]!,
      { action: 'escalate', to_state: 'accepted' },
      HAPPY[2]!,
      { action: 'return', to_state: 'accepted' },
      HAPPY[2]!,
      HAPPY[3]!,
      { action: 'return', to_state: 'dispatched' },
    ];
    expect(replayCaseTimeline(steps)).toBe('dispatched');
  });
});

describe('time limits and rates', () => {
  const accepted = new Date('2026-12-07T02:00:00Z');

  it('is due the limit after acceptance, and 按期 up to and including that instant', () => {
    const due = dueAt(accepted, 24);
    expect(due.toISOString()).toBe('2026-12-08T02:00:00.000Z');
    expect(dueAt(accepted, 48).toISOString()).toBe('2026-12-09T02:00:00.000Z');
    expect(closedOnTime(new Date('2026-12-08T01:59:59.999Z'), due)).toBe(true);
    expect(closedOnTime(due, due)).toBe(true);
    expect(closedOnTime(new Date('2026-12-08T02:00:00.001Z'), due)).toBe(false);
    expect(closedOnTime(new Date('2030-01-01T00:00:00Z'), null)).toBe(true);
  });

  it('computes 办结率, 按期办结率 and 满意率, null over nothing', () => {
    expect(
      caseRates({ accepted: 259, closed: 256, due: 256, closedOnTime: 250, rated: 250, satisfied: 200, basically: 41 }),
    ).toEqual({ closureRate: 256 / 259, onTimeRate: 250 / 256, satisfactionRate: 241 / 250 });
    expect(
      caseRates({ accepted: 0, closed: 0, due: 0, closedOnTime: 0, rated: 0, satisfied: 0, basically: 0 }),
    ).toEqual({ closureRate: null, onTimeRate: null, satisfactionRate: null });
  });
});
