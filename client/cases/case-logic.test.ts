import { describe, expect, it } from 'vitest';
import { dialable, sortByTimeLeft, timeLeft, workerButtons } from './case-logic.ts';

const c = (id: number, hoursLeft: number | null, reportedAt = '2026-12-07T01:00:00Z') => ({
  id,
  hoursLeft,
  reportedAt,
});

describe('the worker queue order', () => {
  it('puts overdue first (longest overdue first), then cases to accept (oldest first), then by hours left', () => {
    const sorted = sortByTimeLeft([
      c(1, 30),
      c(2, null, '2026-12-07T03:00:00Z'),
      c(3, -1),
      c(4, 2),
      c(5, -20),
      c(6, null, '2026-12-06T03:00:00Z'),
    ]);
    expect(sorted.map((x) => x.id)).toEqual([5, 3, 6, 2, 4, 1]);
  });
});

describe('time left', () => {
  it('reads whole hours rounded towards urgency', () => {
    expect(timeLeft({ hoursLeft: 5.7, state: 'dispatched' })).toEqual({ kind: 'left', hours: 5, days: null });
    expect(timeLeft({ hoursLeft: 0.4, state: 'dispatched' })).toEqual({ kind: 'left', hours: 0, days: null });
    expect(timeLeft({ hoursLeft: -0.3, state: 'dispatched' })).toEqual({ kind: 'over', hours: 1, days: null });
    expect(timeLeft({ hoursLeft: -26.5, state: 'handled' })).toEqual({ kind: 'over', hours: 27, days: null });
    // Long overdue counts days: 8,401 hours is 350 days (the demo has cases a year overdue).
    expect(timeLeft({ hoursLeft: -8400.2, state: 'dispatched' })).toEqual({ kind: 'over', hours: 8401, days: 350 });
    expect(timeLeft({ hoursLeft: -71.5, state: 'dispatched' })).toEqual({ kind: 'over', hours: 72, days: 3 });
    expect(timeLeft({ hoursLeft: -70.5, state: 'dispatched' })).toEqual({ kind: 'over', hours: 71, days: null });
    expect(timeLeft({ hoursLeft: 100, state: 'dispatched' })).toEqual({ kind: 'left', hours: 100, days: 4 });
    expect(timeLeft({ hoursLeft: null, state: 'reported' })).toEqual({ kind: 'unaccepted' });
    expect(timeLeft({ hoursLeft: null, state: 'closed' })).toEqual({ kind: 'none' });
  });
});

describe('worker buttons', () => {
  const grid = { code: '131002003001001', name: '第1网格' };
  it('turns the allowed actions into buttons in the order of the work', () => {
    expect(workerButtons({ actions: ['note', 'escalate', 'dispatch', 'accept'], grid })).toEqual([
      'accept',
      'dispatchSelf',
      'escalate',
      'note',
    ]);
    expect(workerButtons({ actions: ['return', 'handle', 'note'], grid })).toEqual(['handle', 'return', 'note']);
  });
  it('offers 派给自己 only for a case in a grid', () => {
    expect(workerButtons({ actions: ['dispatch', 'escalate'], grid: null })).toEqual(['escalate']);
  });
});

describe('dialable phones', () => {
  it('links full numbers only', () => {
    expect(dialable('13812345678')).toBe(true);
    expect(dialable('138****5678')).toBe(false);
    expect(dialable(null)).toBe(false);
  });
});
