/**
 * The report's options from a query string or the command line, parsed as GET /api/coverage/stations
 * parses them (same ranges, same kinds); a bad one is a 400 naming it.
 */
import type { StationKind } from '../../common/rules/station-kinds.ts';
import { badRequest } from '../http/errors.ts';
import { parseEnum, parseNumberInRange, parseRegionCode, parseStationKinds } from '../http/params.ts';
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

/** Query keys: region, minutes, speed, kinds (comma-separated or repeated), lang (zh|en). */
export function parseReportOptions(query: Record<string, unknown>): ReportOptions {
  const region = parseRegionCode(query.region, 'region');
  if (!region) throw badRequest('region', 'region is required (a district, street or community code)');
  const kinds = parseStationKinds(query.kinds, 'kinds');
  return {
    region,
    minutes: parseNumberInRange(query.minutes, 'minutes', 0, MAX_MINUTES),
    speed: parseNumberInRange(query.speed, 'speed', 0, MAX_SPEED),
    kinds: kinds && [...new Set(kinds)],
    lang: parseEnum(query.lang, REPORT_LANGS, 'lang') ?? 'zh',
  };
}
