/**
 * A validation report arranged for display: problems grouped by severity and type, community
 * marks, bounding boxes and tolerance parsing. Pure: no DOM, no i18n state, unit-tested.
 */
import type { Geometry, Position } from 'geojson';
import type { CommunityStatus, ProblemFeature, ValidationReport } from '../common/contracts/validation.ts';
import { PROBLEM_SUMMARY_FIELD } from '../common/rules/problem-types.ts';
import {
  PROBLEM_SEVERITY,
  PROBLEM_TYPES,
  SEVERITIES,
  graver,
  type ProblemSeverity,
  type ProblemType,
} from '../common/rules/problem-types.ts';

export type Bbox = [number, number, number, number];

/** Types whose problem geometry is an area drawn on the map (the others are points). */
export const AREA_TYPES: ReadonlySet<ProblemType> = new Set(['overlap', 'gap', 'sliver', 'outside', 'multipart']);

export interface TypeGroup {
  type: ProblemType;
  /** From the report's summary: the number the server counted. */
  count: number;
  problems: ProblemFeature[];
}
export interface SeverityGroup {
  severity: ProblemSeverity;
  count: number;
  types: TypeGroup[];
}

/** Largest area first, then most households affected, then by id, so the list is stable. */
export function compareProblems(a: ProblemFeature, b: ProblemFeature): number {
  const p = a.properties;
  const q = b.properties;
  return (
    (q.areaM2 ?? -1) - (p.areaM2 ?? -1) ||
    (q.households ?? -1) - (p.households ?? -1) ||
    (p.id < q.id ? -1 : p.id > q.id ? 1 : 0)
  );
}

/**
 * Every problem type under a severity heading, in the order of PROBLEM_TYPES. A type sits
 * under the worst severity of its problems, or under its PROBLEM_SEVERITY when it has none.
 *
 * @example groupProblems(report)[0] // { severity: 'error', count: 4, types: [{ type: 'overlap', count: 2, … }, …] }
 */
export function groupProblems(report: ValidationReport): SeverityGroup[] {
  const byType = new Map<ProblemType, ProblemFeature[]>();
  for (const problem of report.problems.features) {
    const list = byType.get(problem.properties.type) ?? [];
    list.push(problem);
    byType.set(problem.properties.type, list);
  }
  const groups = new Map<ProblemSeverity, SeverityGroup>(
    SEVERITIES.map((s) => [s, { severity: s, count: 0, types: [] }]),
  );
  for (const type of PROBLEM_TYPES) {
    const problems = (byType.get(type) ?? []).sort(compareProblems);
    const severity = problems.reduce<ProblemSeverity>(
      (worst, { properties }) => graver(worst, properties.severity),
      problems[0]?.properties.severity ?? PROBLEM_SEVERITY[type],
    );
    const count = report.summary[PROBLEM_SUMMARY_FIELD[type]] ?? problems.length;
    const group = groups.get(severity)!;
    group.types.push({ type, count, problems });
    group.count += count;
  }
  return [...groups.values()];
}

export type MarkState = 'ok' | 'warning' | 'error';

/** A community's mark in the region tree: slivers alone do not make it a problem. */
export function communityMark(status: CommunityStatus): { state: MarkState; count: number } {
  const count = status.errors + status.warnings;
  return { state: status.errors > 0 ? 'error' : status.warnings > 0 ? 'warning' : 'ok', count };
}

function eachPosition(geometry: Geometry, visit: (position: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) line.forEach(visit);
      return;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
      return;
    case 'GeometryCollection':
      for (const part of geometry.geometries) eachPosition(part, visit);
  }
}

/** [minLon, minLat, maxLon, maxLat] of any geometry; null when it has no coordinates. */
export function bboxOf(geometry: Geometry | null): Bbox | null {
  if (!geometry) return null;
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry, ([lon, lat]) => {
    if (lon === undefined || lat === undefined) return;
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  });
  return box[0] <= box[2] ? box : null;
}

/**
 * Square metres as the panel shows them: two decimals under 1 m², one under 100 m², whole
 * metres with separators above.
 *
 * @example formatArea(1234.5, 'zh') // '1,235'
 */
export function formatArea(m2: number, lang: 'zh' | 'en'): string {
  const digits = m2 < 1 ? 2 : m2 < 100 ? 1 : 0;
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(m2);
}

/** A tolerance typed by the user: a finite number ≥ 0, or null when it is not one. */
export function parseTolerance(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : null;
}
