/**
 * What a coverage report is made of: the party coverage and station reach of a region, and
 * the grid, organisation and station rows they refer to. Built once (report.queries.ts), then
 * written as a workbook or as GeoJSON by pure functions.
 */
import type { MultiPolygon } from 'geojson';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { PartyOrg } from '../../common/contracts/party.ts';
import type { RegionRef } from '../../common/contracts/regions.ts';
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';
import type { GridKind } from '../../common/domain.ts';

export interface ReportGrid {
  code: string;
  name: string;
  community_code: string;
  kind: GridKind;
  households: number;
  /** Grid-level organisations built on it (codes). */
  party_orgs: string[];
  /** Only when the report is written as GeoJSON. */
  geometry?: MultiPolygon;
}

/** An organisation as the report lists it: the API's PartyOrg (grids it is built on directly). */
export type ReportOrg = PartyOrg;

/** A station with its published details only (the phone is a public service line). */
export type ReportStation = Omit<StationProperties, 'services'> & { lon: number; lat: number };

export interface CoverageReportData {
  generatedAt: Date;
  region: RegionRef;
  /** The region, the regions below it and above it, for the street and community columns. */
  regions: Record<string, { name: string; parent_code: string | null }>;
  party: PartyCoverageReport;
  reach: StationReachReport;
  grids: ReportGrid[];
  orgs: ReportOrg[];
  /** The region's stations of every kind, and the counted stations near it. */
  stations: ReportStation[];
  /** A point on each problem grid (by code) and on each unreached area (in order), [lon, lat]. */
  gridPoints: Record<string, [number, number]>;
  unreachedPoints: [number, number][];
}

/** YYYY-MM-DD in China Standard Time: the date the planner sees on the wall clock. */
export function reportDate(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** YYYY-MM-DD HH:mm in China Standard Time. */
export function reportTime(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

export type ReportFormat = 'xlsx' | 'geojson';

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
};

/** `coverage-131002000000-2026-11-23.xlsx` */
export function reportFileName(region: string, at: Date, format: ReportFormat): string {
  return `coverage-${region}-${reportDate(at)}.${format}`;
}
