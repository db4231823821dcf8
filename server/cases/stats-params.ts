/**
 * The statistics' and the 台账's query: a region (district, street, community by its 12-digit
 * code, or a grid by its 15) and a period of Beijing dates, both ends inclusive. Days are Beijing
 * days because the summary table counts a case on the Beijing day it was reported.
 */
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { checkQuery } from '../http/params.ts';

export interface CaseStatsQuery {
  region: string;
  /** YYYY-MM-DD, Beijing, inclusive. */
  from: string;
  to: string;
}

/** The default period: the 365 Beijing days up to and including today. */
export const DEFAULT_DAYS = 365;
/** Ten years: longer periods make a trend of hundreds of months and say nothing more. */
export const MAX_DAYS = 3660;

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The Beijing date (YYYY-MM-DD) of an instant. */
export const beijingDate = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a Beijing day starts. */
export const beijingDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

/** The Beijing date `days` after `day`. */
export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function parseDay(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value))
    throw badRequest(param, `${param} must be a date given once as YYYY-MM-DD`);
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
    throw badRequest(param, `${param} is not a calendar date: ${value}`);
  return value;
}

/** region (required), from and to (default: to is `now`'s Beijing date, from 364 days before to). */
export function parseCaseStatsQuery(query: Record<string, unknown>, now: Date): CaseStatsQuery {
  checkQuery(query, ['region', 'from', 'to']);
  const region = query.region;
  if (region === undefined)
    throw badRequest('region', 'region is required (a district, street, community or grid code)');
  if (typeof region !== 'string' || !(REGION_CODE.test(region) || GRID_CODE.test(region)))
    throw badRequest('region', 'region must be a 12-digit region code or a 15-digit grid code, given once');
  const toGiven = parseDay(query.to, 'to');
  const fromGiven = parseDay(query.from, 'from');
  const to = toGiven ?? beijingDate(now);
  const from = fromGiven ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw badRequest('from', `from (${from}) must not be after to (${to})`);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_DAYS)
    throw badRequest('to', `the period may span at most ${MAX_DAYS} days`);
  return { region, from, to };
}

/** The last day of a date's month. */
const monthEnd = (day: string): string => addDays(`${nextMonth(day)}-01`, -1);
/** YYYY-MM of the month after a date's. */
function nextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export interface PeriodParts {
  /** First days of the first and last whole month (both inclusive), or null when none is whole. */
  months: [string, string] | null;
  /** Day ranges (inclusive) outside the whole months: a partial first and a partial last month. */
  days: [string, string][];
}

/** A period as whole months (read from the monthly summary) and the days around them (from the daily one). */
export function splitPeriod(from: string, to: string): PeriodParts {
  const first = from.endsWith('-01') ? from : `${nextMonth(from)}-01`;
  const lastEnd = monthEnd(to) === to ? to : addDays(`${to.slice(0, 7)}-01`, -1);
  if (first > lastEnd) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < first) days.push([from, addDays(first, -1)]);
  if (lastEnd < to) days.push([addDays(lastEnd, 1), to]);
  return { months: [first, `${lastEnd.slice(0, 7)}-01`], days };
}
