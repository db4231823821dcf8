/**
 * Pure helpers of the coverage panel: report → table rows, the query of the reach and of the
 * export links, input parsing and how an API error is told to the user. No DOM, no i18n
 * lookups (keys only), so they run in unit tests.
 */
import type { PartyCoverageReport, PartyOrgIssue } from '../../common/contracts/party-coverage.ts';
import type { StationReachReport, StationReachRow } from '../../common/contracts/station-reach.ts';
import { type PartyOrgKind, type RegionLevel } from '../../common/domain.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { listedUnreached } from '../../common/rules/unreached-areas.ts';

const LEVEL_DEPTH: Record<RegionLevel, number> = { district: 0, street: 1, community: 2 };

export interface PartyTableRow {
  code: string;
  name: string;
  /** 0 for the report's region (its totals), 1 for the level below, … */
  depth: number;
  grids: number;
  covered: number;
  uncovered: number;
  claimedTwice: number;
  /** Share of households covered, in percent with one decimal. */
  percent: string;
}

/** "87.5": a 0–1 share in percent, one decimal, never rounded up to 100 while short of it. */
export function percent(share: number): string {
  const tenths = Math.floor(share * 1000 + 1e-9) / 10;
  return tenths.toFixed(1);
}

/** The report's rows indented under the region, which comes first with its totals. */
export function partyTableRows(report: PartyCoverageReport): PartyTableRow[] {
  const top = LEVEL_DEPTH[report.region.level];
  return report.regions.map((row) => ({
    code: row.code,
    name: row.name,
    depth: Math.max(0, LEVEL_DEPTH[row.level] - top),
    grids: row.grids,
    covered: row.covered,
    uncovered: row.uncovered,
    claimedTwice: row.claimedTwice,
    percent: percent(row.householdsShare),
  }));
}

export interface OrgIssueEntry {
  code: string;
  name: string;
  kind: PartyOrgKind;
  grids: string[];
  pieces: number;
  communities: string[];
  issues: PartyOrgIssue['issue'][];
}

/** One entry per organisation (an organisation may be both split and across communities). */
export function orgIssueEntries(issues: readonly PartyOrgIssue[]): OrgIssueEntry[] {
  const byCode = new Map<string, OrgIssueEntry>();
  for (const issue of issues) {
    const entry = byCode.get(issue.code);
    if (entry) {
      if (!entry.issues.includes(issue.issue)) entry.issues.push(issue.issue);
      continue;
    }
    byCode.set(issue.code, {
      code: issue.code,
      name: issue.name,
      kind: issue.kind,
      grids: [...issue.grids],
      pieces: issue.pieces,
      communities: [...issue.communities],
      issues: [issue.issue],
    });
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export interface ReachSettings {
  minutes: number;
  speed: number;
  kinds: StationKind[];
}

export const DEFAULT_REACH: ReachSettings = { minutes: 3, speed: 1.2, kinds: [...STATION_KINDS] };

/**
 * The query string of the reach and its exports: kinds are left out when all are counted
 * (the API's default), and sent comma-separated otherwise.
 */
export function reachQuery(region: string, settings: ReachSettings, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ region, minutes: String(settings.minutes), speed: String(settings.speed) });
  const all = STATION_KINDS.every((kind) => settings.kinds.includes(kind));
  if (!all) params.set('kinds', STATION_KINDS.filter((kind) => settings.kinds.includes(kind)).join(','));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

/** The download links of the coverage report with the panel's current parameters. */
export function exportHrefs(
  region: string,
  settings: ReachSettings,
  lang: 'zh' | 'en',
): { xlsx: string; geojson: string } {
  return {
    xlsx: `/api/reports/coverage.xlsx?${reachQuery(region, settings, { lang })}`,
    geojson: `/api/reports/coverage.geojson?${reachQuery(region, settings)}`,
  };
}

/** A number typed in a field, inside [min, max]; null when it is not one. */
export function parseNumberInput(text: string, min: number, max: number, integer = false): number | null {
  const trimmed = text.trim().replace(/，/g, '.');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  if (integer && !Number.isInteger(value)) return null;
  return value >= min && value <= max ? value : null;
}

export interface ReachTableRow {
  code: string;
  name: string;
  households: number;
  reached: number;
  percent: string;
}

/** Rows of the per-community (or per-grid) reach table, the least reached first. */
export function reachTableRows(rows: readonly StationReachRow[]): ReachTableRow[] {
  return [...rows]
    .sort((a, b) => a.share - b.share || a.code.localeCompare(b.code))
    .map((row) => ({
      code: row.code,
      name: row.name,
      households: row.households,
      reached: row.householdsReached,
      percent: percent(row.share),
    }));
}

/** Unreached areas, the most households first: what a planner looks at first. */
export function unreachedList(
  report: StationReachReport,
): ({ index: number } & StationReachReport['unreached']['features'][number]['properties'])[] {
  return listedUnreached(report.unreached.features.map((feature, index) => ({ index, ...feature.properties }))).sort(
    (a, b) => b.households - a.households || a.index - b.index,
  );
}

/** Message key (and parameters) telling a failed request in plain words. */
export type ErrorMessage =
  | {
      key:
        | 'coverage.error.signIn'
        | 'coverage.error.forbidden'
        | 'coverage.error.network'
        | 'coverage.error.server'
        | 'coverage.error.notFound';
      params?: undefined;
    }
  | { key: 'coverage.error.badParam' | 'coverage.error.other'; params: { message: string; param?: string } };

export function errorMessage(error: unknown): ErrorMessage {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status !== 'number') return { key: 'coverage.error.network' };
  if (status === 401) return { key: 'coverage.error.signIn' };
  if (status === 403) return { key: 'coverage.error.forbidden' };
  if (status === 404) return { key: 'coverage.error.notFound' };
  if (status >= 500) return { key: 'coverage.error.server' };
  const param = (error as { detail?: { param?: unknown } }).detail?.param;
  if (status === 400 && typeof param === 'string')
    return { key: 'coverage.error.badParam', params: { message, param } };
  return { key: 'coverage.error.other', params: { message } };
}
