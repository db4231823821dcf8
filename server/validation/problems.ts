/**
 * Turning measured geometry into validation problems (pure): sliver classification, stable
 * ids, severities and the summary. The queries measure; this decides what it means.
 */
import type { Geometry } from 'geojson';
import { type ProblemFeature, type ValidationSummary } from '../../common/contracts/validation.ts';
import { PROBLEM_SUMMARY_FIELD } from '../../common/rules/problem-types.ts';
import { PROBLEM_SEVERITY, breaksTiling, severityRank, type ProblemType } from '../../common/rules/problem-types.ts';

export interface Tolerances {
  /** Gaps/overlaps smaller than this (m²) are slivers, whatever their shape. Default 1 m². */
  areaM2: number;
  /** Gaps/overlaps thinner than this everywhere (true width, m) are slivers. Default 0.5 m. */
  widthM: number;
}
export const DEFAULT_TOLERANCES: Tolerances = { areaM2: 1, widthM: 0.5 };

/** A gap, overlap or outside part as measured by PostGIS, before classification. */
export interface MeasuredArea {
  kind: 'gap' | 'overlap' | 'outside';
  community: string;
  grids: string[];
  geometry: Geometry;
  areaM2: number;
  perimeterM: number;
  /** True width: the diameter of the largest inscribed circle (server/geo/true-width.ts). */
  widthM: number;
  point: [number, number];
  buildings: number;
  households: number;
  /** Communities of the grids involved, where they differ (an overlap across a boundary). */
  communities?: string[];
  /** outside: share of the grid's own area that lies outside its community. */
  share?: number;
}

/**
 * A gap or overlap is a sliver (info, listed apart) when it is tiny (area under the area
 * tolerance) or thin everywhere (true width under the width tolerance); anything else is an
 * error. The width is the true one: a wedge 0.8 m deep is 0.8 m wide, whatever its length
 * (DESIGN.md trap 9), so a 105 m² wedge overlap is an overlap, never a sliver.
 */
export function isSliver(areaM2: number, widthM: number, tol: Tolerances): boolean {
  return areaM2 < tol.areaM2 || widthM < tol.widthM;
}

const r6 = (v: number) => v.toFixed(6);

/** A stable id: the same problem gets the same id on every run while it does not change. */
export function problemId(kind: string, community: string, grids: readonly string[], point: [number, number]): string {
  switch (kind) {
    case 'overlap':
      return `overlap:${grids.join(':')}`;
    case 'gap':
      // A gap has no owner; its community and a point on its surface name it.
      return `gap:${community}:${r6(point[0])},${r6(point[1])}`;
    default:
      return `${kind}:${grids.join(':') || community}`;
  }
}

export function areaProblem(m: MeasuredArea, tol: Tolerances): ProblemFeature {
  const sliver = m.kind !== 'outside' && isSliver(m.areaM2, m.widthM, tol);
  const type: ProblemType = sliver ? 'sliver' : m.kind;
  const grids = [...m.grids].sort();
  const baseId = problemId(m.kind, m.community, grids, m.point);
  const detail: ProblemFeature['properties']['detail'] = { widthM: round(m.widthM, 3) };
  if (sliver) detail.of = m.kind;
  if (m.share !== undefined) detail.share = round(m.share, 4);
  return {
    type: 'Feature',
    id: sliver ? `sliver:${baseId}` : baseId,
    geometry: m.geometry,
    properties: {
      id: sliver ? `sliver:${baseId}` : baseId,
      type,
      severity: PROBLEM_SEVERITY[type],
      grids,
      community_code: m.community,
      areaM2: round(m.areaM2, 2),
      households: m.households,
      buildings: m.buildings,
      point: m.point,
      detail,
    },
  };
}

export interface GridProblemInput {
  type: 'multipart' | 'invalid' | 'households' | 'party' | 'worker';
  grid: string;
  community: string;
  geometry: Geometry;
  point: [number, number];
  areaM2?: number | null;
  households?: number | null;
  detail?: ProblemFeature['properties']['detail'];
}

export function gridProblem(p: GridProblemInput): ProblemFeature {
  const id = problemId(p.type, p.community, [p.grid], p.point);
  return {
    type: 'Feature',
    id,
    geometry: p.geometry,
    properties: {
      id,
      type: p.type,
      severity: PROBLEM_SEVERITY[p.type],
      grids: [p.grid],
      community_code: p.community,
      areaM2: p.areaM2 ?? null,
      households: p.households ?? null,
      buildings: null,
      point: p.point,
      detail: p.detail ?? {},
    },
  };
}

export function emptySummary(): ValidationSummary {
  return {
    overlaps: 0,
    gaps: 0,
    slivers: 0,
    outside: 0,
    multipart: 0,
    invalid: 0,
    householdsOutOfRange: 0,
    uncoveredByParty: 0,
    withoutWorker: 0,
  };
}

export function summarise(problems: readonly ProblemFeature[]): ValidationSummary {
  const summary = emptySummary();
  for (const p of problems) summary[PROBLEM_SUMMARY_FIELD[p.properties.type]]++;
  return summary;
}

/** Problems sorted by severity, then type, then id: a stable order for reports and diffs. */
export function sortProblems(problems: ProblemFeature[]): ProblemFeature[] {
  return problems.sort(
    (a, b) =>
      severityRank(a.properties.severity) - severityRank(b.properties.severity) ||
      a.properties.type.localeCompare(b.properties.type) ||
      a.properties.id.localeCompare(b.properties.id),
  );
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface CommunityCounts {
  errors: number;
  warnings: number;
  infos: number;
  tiled: boolean;
}

/** Problems counted by severity per community (communities with none get zeros), and whether each is tiled. */
export function countByCommunity(
  codes: readonly string[],
  problems: readonly ProblemFeature[],
): Map<string, CommunityCounts> {
  const counts = new Map<string, CommunityCounts>();
  for (const code of codes) counts.set(code, { errors: 0, warnings: 0, infos: 0, tiled: true });
  for (const p of problems) {
    const entry = counts.get(p.properties.community_code);
    if (!entry) continue;
    const sev = PROBLEM_SEVERITY[p.properties.type];
    if (sev === 'error') entry.errors++;
    else if (sev === 'warning') entry.warnings++;
    else entry.infos++;
    if (breaksTiling(p.properties.type)) entry.tiled = false;
  }
  return counts;
}
