/**
 * What the 智能划格 view shows, without the DOM or the map: today's grids as the draft sees
 * them (the published grids with the draft's own rows over them), the figures of a set of
 * grids beside the proposal's summary, and the flat features both maps draw. Pure.
 */
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { ProposedGrid, ProposedGridStatus, ProposalSummary } from '../../common/contracts/proposals.ts';
import { householdBand, type HouseholdBand, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { inStreet } from '../../common/rules/region-codes.ts';

/** A grid as either map draws it. */
export interface ShownGrid {
  code: string | null;
  key: string;
  name: string;
  community_code: string;
  kind: string;
  households: number;
  geometry: MultiPolygon;
}

/** The scope of a proposal: a community (12 digits) or a street. */
export interface Scope {
  level: 'community' | 'street';
  code: string;
}

function inScope(communityCode: string, scope: Scope): boolean {
  return scope.level === 'community' ? communityCode === scope.code : inStreet(communityCode, scope.code);
}

/**
 * Today's grids of the scope as the draft sees them: a grid the draft changed is drawn as the
 * draft holds it, one it retired is left out, one it created is added.
 *
 * @example todayGrids(published, draft.grids, { level: 'community', code: '131002003006' })
 */
export function todayGrids(published: GridCollection, draft: DraftDetail['grids'] | null, scope: Scope): ShownGrid[] {
  const own = new Map((draft?.features ?? []).map((f) => [f.properties.code, f]));
  const out: ShownGrid[] = [];
  for (const f of published.features) {
    const p = f.properties;
    if (!inScope(p.community_code, scope) || own.has(p.code)) continue;
    out.push({ ...p, key: p.code, households: p.households ?? 0, geometry: f.geometry });
  }
  for (const f of own.values()) {
    const p = f.properties;
    if (p.state === 'retired' || !inScope(p.community_code, scope)) continue;
    out.push({ ...p, key: p.code, geometry: f.geometry });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** The figures of a set of grids that can stand beside a proposal's summary. */
export interface GridStats {
  grids: number;
  residential: number;
  inBand: number;
  householdsMin: number;
  householdsMedian: number;
  householdsMax: number;
}

/** Households min/median/max over the grids the band applies to (commercial grids aside), as the server counts them. */
export function gridStats(
  grids: readonly Pick<ShownGrid, 'kind' | 'households'>[],
  bounds: HouseholdBounds,
): GridStats {
  const banded = grids.filter((g) => g.kind !== 'commercial').map((g) => g.households);
  const sorted = [...banded].sort((a, b) => a - b);
  return {
    grids: grids.length,
    residential: banded.length,
    inBand: banded.filter((n) => n >= bounds.min && n <= bounds.max).length,
    householdsMin: sorted[0] ?? 0,
    householdsMedian: median(sorted),
    householdsMax: sorted.at(-1) ?? 0,
  };
}

function median(sorted: readonly number[]): number {
  if (!sorted.length) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One row of the summary table: its label key, today's value (where it has one) and the proposal's. */
export interface SummaryRow {
  key:
    | 'grids'
    | 'inBand'
    | 'households'
    | 'compactness'
    | 'roadsCrossed'
    | 'compoundsSplit'
    | 'buildingsCut'
    | 'gridsChanged'
    | 'householdsMoved';
  today: string | null;
  proposed: string;
  /** good: all in band / nothing broken; warn: something to look at. */
  tone: 'good' | 'warn' | null;
}

/** Numbers as the page prints them (locale separators), passed in so this file stays pure. */
export type NumberFormat = (value: number, fractionDigits?: number) => string;

/**
 * The summary as rows: 网格数, 在标准内 x/y, 户数 最少/中位/最多, 紧凑度（中位）, 穿越道路,
 * 拆分小区, 变动网格, 变动户数 (楼栋被切 only when a building is cut).
 */
export function summaryRows(summary: ProposalSummary, today: GridStats | null, fmt: NumberFormat): SummaryRow[] {
  const range = (s: Pick<GridStats, 'householdsMin' | 'householdsMedian' | 'householdsMax'>) =>
    `${fmt(s.householdsMin)} / ${fmt(s.householdsMedian)} / ${fmt(s.householdsMax)}`;
  const rows: SummaryRow[] = [
    { key: 'grids', today: today ? fmt(today.grids) : null, proposed: fmt(summary.grids), tone: null },
    {
      key: 'inBand',
      today: today ? `${fmt(today.inBand)}/${fmt(today.residential)}` : null,
      proposed: `${fmt(summary.inBand)}/${fmt(summary.residential)}`,
      tone: summary.inBand === summary.residential ? 'good' : 'warn',
    },
    {
      key: 'households',
      today: today && today.residential ? range(today) : null,
      proposed: summary.residential ? range(summary) : '—',
      tone: null,
    },
    { key: 'compactness', today: null, proposed: fmt(summary.compactnessMedian, 2), tone: null },
    {
      key: 'roadsCrossed',
      today: null,
      proposed: fmt(summary.roadsCrossed),
      tone: summary.roadsCrossed ? 'warn' : 'good',
    },
    {
      key: 'compoundsSplit',
      today: null,
      proposed: fmt(summary.compoundsSplit),
      tone: summary.compoundsSplit ? 'warn' : 'good',
    },
  ];
  if (summary.buildingsCut)
    rows.push({ key: 'buildingsCut', today: null, proposed: fmt(summary.buildingsCut), tone: 'warn' });
  rows.push(
    { key: 'gridsChanged', today: null, proposed: fmt(summary.gridsChanged), tone: null },
    { key: 'householdsMoved', today: null, proposed: fmt(summary.householdsMoved), tone: null },
  );
  return rows;
}

/** How a grid's status is drawn on the 方案 map: its outline, and a word on its label unless unchanged. */
export const STATUS_STYLE: Record<
  ProposedGridStatus,
  { color: string; width: number; dashed: boolean; tagged: boolean }
> = {
  unchanged: { color: '#5f7391', width: 1, dashed: false, tagged: false },
  changed: { color: '#0b3d91', width: 2.5, dashed: true, tagged: true },
  new: { color: '#0b3d91', width: 3, dashed: false, tagged: true },
  commercial: { color: '#5b3f9e', width: 1.5, dashed: false, tagged: false },
};

/** Words the labels need, from the i18n catalogue. */
export interface LabelWords {
  households: (n: number) => string;
  status: (status: ProposedGridStatus) => string;
}

/** A proposed grid's label: "第4网格 · 调整" over "420 户" (the status word only where the grid changes). */
export function proposedLabel(grid: Pick<ProposedGrid, 'name' | 'households' | 'status'>, words: LabelWords): string {
  const head = STATUS_STYLE[grid.status].tagged ? `${grid.name} · ${words.status(grid.status)}` : grid.name;
  return `${head}\n${words.households(grid.households)}`;
}

/** Flat features for the map: band and label (and status on the 方案 side). */
export function mapFeatures(
  grids: readonly (ShownGrid & { status?: ProposedGridStatus })[],
  bounds: HouseholdBounds,
  label: (grid: ShownGrid & { status?: ProposedGridStatus }) => string,
): FeatureCollection<MultiPolygon, { key: string; band: HouseholdBand; status: string; label: string }> {
  return {
    type: 'FeatureCollection',
    features: grids.map(
      (g): Feature<MultiPolygon, { key: string; band: HouseholdBand; status: string; label: string }> => ({
        type: 'Feature',
        geometry: g.geometry,
        properties: {
          key: g.key,
          band: householdBand(g.kind, g.households, bounds),
          status: g.status ?? 'unchanged',
          label: label(g),
        },
      }),
    ),
  };
}

/** The box around every grid, [west, south, east, north]; null when there are none. */
export function bboxOf(grids: readonly { geometry: MultiPolygon }[]): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null;
  for (const g of grids)
    for (const polygon of g.geometry.coordinates)
      for (const [x, y] of polygon[0] ?? []) {
        if (x === undefined || y === undefined) continue;
        box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
      }
  return box;
}
