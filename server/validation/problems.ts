/**
 * Turning measured geometry into validation problems (pure): sliver classification, stable
 * ids, severities and the summary. The queries measure; this decides what it means.
 */
import type { Geometry } from 'geojson';
import { PROBLEM_SEVERITY, PROBLEM_SUMMARY_FIELD, type ProblemFeature, type ProblemSeverity, type ProblemType, type ValidationSummary } from '../../common/api.ts';

export interface Tolerances {
  /** Gaps/overlaps smaller than this (m²) are slivers. Default 1 m². */
  areaM2: number;
  /** Gaps/overlaps thinner than this (m) are slivers. Default 0.5 m. */
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
  point: [number, number];
  buildings: number;
  households: number;
  /** Communities of the grids involved, where they differ (an overlap across a boundary). */
  communities?: string[];
  /** outside: share of the grid's own area that lies outside its community. */
  share?: number;
}

export const SEVERITY = PROBLEM_SEVERITY;

/**
 * Mean width of a thin shape: 2·area / perimeter. For a long strip of width w and length L
 * this is wL·2 / (2L + 2w) ≈ w; for a square of side s it is s/2. Cheap, and exact enough
 * to tell a 0.3 m digitising sliver from a 3 m real gap.
 */
export function meanWidthM(areaM2: number, perimeterM: number): number {
  return perimeterM > 0 ? (2 * areaM2) / perimeterM : 0;
}

export function isSliver(areaM2: number, perimeterM: number, tol: Tolerances): boolean {
  return areaM2 < tol.areaM2 || meanWidthM(areaM2, perimeterM) < tol.widthM;
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
  const sliver = m.kind !== 'outside' && isSliver(m.areaM2, m.perimeterM, tol);
  const type: ProblemType = sliver ? 'sliver' : m.kind;
  const grids = [...m.grids].sort();
  const baseId = problemId(m.kind, m.community, grids, m.point);
  const detail: ProblemFeature['properties']['detail'] = { widthM: round(meanWidthM(m.areaM2, m.perimeterM), 3) };
  if (sliver) detail.of = m.kind;
  if (m.share !== undefined) detail.share = round(m.share, 4);
  return {
    type: 'Feature',
    id: sliver ? `sliver:${baseId}` : baseId,
    geometry: m.geometry,
    properties: {
      id: sliver ? `sliver:${baseId}` : baseId,
      type,
      severity: SEVERITY[type],
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
      severity: SEVERITY[p.type],
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
  return { overlaps: 0, gaps: 0, slivers: 0, outside: 0, multipart: 0, invalid: 0, householdsOutOfRange: 0, uncoveredByParty: 0, withoutWorker: 0 };
}


export function summarise(problems: readonly ProblemFeature[]): ValidationSummary {
  const summary = emptySummary();
  for (const p of problems) summary[PROBLEM_SUMMARY_FIELD[p.properties.type]]++;
  return summary;
}

/** Problems sorted by severity, then type, then id: a stable order for reports and diffs. */
export function sortProblems(problems: ProblemFeature[]): ProblemFeature[] {
  const rank: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2 };
  return problems.sort(
    (a, b) =>
      rank[a.properties.severity] - rank[b.properties.severity] ||
      a.properties.type.localeCompare(b.properties.type) ||
      a.properties.id.localeCompare(b.properties.id),
  );
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
