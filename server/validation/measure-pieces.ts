/**
 * The pieces an exact overlay returns (gaps, overlaps, outside parts), turned into measured
 * areas (pure): rounding pieces dropped, the true width measured where it matters.
 */
import type { Geometry } from 'geojson';
import type { MeasuredArea } from './problems.ts';
import { trueWidthM } from '../geo/true-width.ts';
import { CONTAINMENT_TOLERANCE_M } from '../db/precision.ts';

/**
 * A piece thinner than the precision model's tolerance (1 mm, server/db/precision.ts) is
 * rounding, not a sliver: a vertex digitised on its neighbour's edge in Gauss–Krüger metres
 * lies up to ~0.6 mm off that edge in lon/lat (a straight line in the projection is curved in
 * lon/lat), and the overlay cuts a lens that thin. 4·A/P bounds the true width of a convex
 * piece from above (A ≥ r·P/2), so it settles the thin ones without the width search, which
 * costs length/width steps.
 */
export function isRoundingPiece(areaM2: number, perimeterM: number, widthM: () => number): boolean {
  if (perimeterM <= 0 || (4 * areaM2) / perimeterM < CONTAINMENT_TOLERANCE_M) return true;
  return widthM() < CONTAINMENT_TOLERANCE_M;
}

export interface AreaRow {
  community: string;
  grids: string[];
  geometry: Geometry;
  area: number;
  perimeter: number;
  lon: number;
  lat: number;
  buildings: number;
  households: number;
  share?: number | null;
  communities?: string[];
}

export function toMeasured(kind: MeasuredArea['kind'], rows: AreaRow[]): MeasuredArea[] {
  const measured: MeasuredArea[] = [];
  for (const r of rows) {
    let width: number | undefined;
    const widthM = () =>
      (width ??= r.geometry.type === 'Polygon' || r.geometry.type === 'MultiPolygon' ? trueWidthM(r.geometry) : 0);
    // An empty overlap (interiors meeting in a point of the exact test) is kept: it is reported.
    if (r.area > 0 && isRoundingPiece(r.area, r.perimeter, widthM)) continue;
    measured.push(measure(kind, r, r.area > 0 ? widthM() : 0));
  }
  return measured;
}

function measure(kind: MeasuredArea['kind'], r: AreaRow, widthM: number): MeasuredArea {
  return {
    kind,
    community: r.community,
    grids: r.grids,
    geometry: r.geometry,
    areaM2: r.area,
    perimeterM: r.perimeter,
    widthM,
    point: [r.lon, r.lat],
    buildings: r.buildings,
    households: r.households,
    ...(r.share != null ? { share: r.share } : {}),
    ...(r.communities ? { communities: r.communities } : {}),
  };
}
