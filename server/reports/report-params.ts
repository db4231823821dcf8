/** The report's options from a query string or the command line; a bad one is a 400 naming it. */
import { STATION_KINDS, REGION_CODE, type StationKind } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { REPORT_LANGS, type ReportLang } from './report-labels.ts';

export interface ReportOptions {
  region: string;
  minutes?: number;
  speed?: number;
  kinds?: StationKind[];
  lang: ReportLang;
}

/** Upper bounds that keep a request sane: an hour's walk, a fast bicycle. */
export const MAX_MINUTES = 60;
export const MAX_SPEED = 10;

function single(value: unknown, param: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(param, `${param} must be given once`);
  return value;
}

function positive(value: unknown, param: string, max: number): number | undefined {
  const text = single(value, param);
  if (text === undefined) return undefined;
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw badRequest(param, `${param} must be a number greater than 0 and at most ${max}`);
  return n;
}

function kindList(value: unknown, param: string): StationKind[] | undefined {
  const text = single(value, param);
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim());
  const bad = kinds.find((k) => !(STATION_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw badRequest(param, `${param}: "${bad}" is not a station kind (${STATION_KINDS.join(', ')})`);
  return [...new Set(kinds)] as StationKind[];
}

/** Query keys: region, minutes, speed, kinds (comma-separated), lang (zh|en). */
export function parseReportOptions(query: Record<string, unknown>): ReportOptions {
  const region = single(query.region, 'region');
  if (region === undefined) throw badRequest('region', 'region is required (a district, street or community code)');
  if (!REGION_CODE.test(region)) throw badRequest('region', 'region must be a 12-digit region code');
  const lang = single(query.lang, 'lang') ?? 'zh';
  if (!(REPORT_LANGS as readonly string[]).includes(lang)) throw badRequest('lang', `lang must be one of: ${REPORT_LANGS.join(', ')}`);
  return {
    region,
    minutes: positive(query.minutes, 'minutes', MAX_MINUTES),
    speed: positive(query.speed, 'speed', MAX_SPEED),
    kinds: kindList(query.kinds, 'kinds'),
    lang: lang as ReportLang,
  };
}
