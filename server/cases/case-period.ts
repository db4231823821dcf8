/**
 * The period of a case query: `from` and `to` are Beijing dates (YYYY-MM-DD, both included),
 * by default the 365 days up to today. Pure; a bad value is a 400 naming its parameter.
 *
 * @example parseCasePeriod('2026-01-01', '2026-01-31', now) // from 2025-12-31T16:00Z, until 2026-01-31T16:00Z
 */
import { badRequest } from '../http/errors.ts';

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing date of an instant, as YYYY-MM-DD. */
export const beijingDate = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** Midnight at the start of a Beijing date, as an instant. */
const beijingMidnight = (date: string): Date => new Date(Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS);

function parseDate(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  // Round-tripping through Date refuses 2026-02-30 and month 13.
  if (!match || new Date(`${value as string}T00:00:00Z`).toISOString().slice(0, 10) !== value)
    throw badRequest(param, `${param} must be a date as YYYY-MM-DD`);
  return value as string;
}

export interface CasePeriod {
  /** YYYY-MM-DD, Beijing, both included. */
  fromDate: string;
  toDate: string;
  /** Instants: reported at or after `from` and before `until`. */
  from: Date;
  until: Date;
}

export function parseCasePeriod(fromValue: unknown, toValue: unknown, now: Date): CasePeriod {
  const toDate = parseDate(toValue, 'to') ?? beijingDate(now);
  const fromDate =
    parseDate(fromValue, 'from') ?? beijingDate(new Date(beijingMidnight(toDate).getTime() - 364 * DAY_MS));
  if (fromDate > toDate) throw badRequest('from', 'from must not be after to');
  return {
    fromDate,
    toDate,
    from: beijingMidnight(fromDate),
    until: new Date(beijingMidnight(toDate).getTime() + DAY_MS),
  };
}
