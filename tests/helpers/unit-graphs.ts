/**
 * Hand-made unit graphs for the proposal tests: a lattice of square units, with households,
 * compounds, today's grids, holes and roads along lattice lines chosen per cell.
 *
 *   col:  0   1 | 2   3        a road on the line x = 2 (`roadColumns: [2]`): every edge
 *        [ ][ ] | [ ][ ]        crossing it runs along the road, costs nothing to cut and
 *        [ ][ ] | [ ][ ]        is "crossed" when both sides end in one region.
 */
import type { RoadClass, Unit, UnitEdge, UnitGraph } from '../../server/proposal/unit-graph.ts';

export interface LatticeOptions {
  cols: number;
  rows: number;
  /** Side of a unit, metres (20 unless told). */
  side?: number;
  households?: (c: number, r: number) => number;
  compound?: (c: number, r: number) => string | null;
  current?: (c: number, r: number) => string | null;
  /** Cells left out (holes). */
  hole?: (c: number, r: number) => boolean;
  /** Vertical roads: the line x = c for each c listed (road id 100 + c). */
  roadColumns?: number[];
  /** Horizontal roads: the line y = r (road id 200 + r). */
  roadRows?: number[];
}

export function latticeGraph(o: LatticeOptions): UnitGraph & { at: (c: number, r: number) => number } {
  const side = o.side ?? 20;
  const ids = new Map<string, number>();
  const units: Unit[] = [];
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      if (o.hole?.(c, r)) continue;
      const id = units.length;
      ids.set(`${c},${r}`, id);
      const households = o.households?.(c, r) ?? 0;
      units.push({
        id,
        households,
        buildings: households > 0 ? 1 : 0,
        areaM2: side * side,
        perimeterM: 4 * side,
        x: (c + 0.5) * side,
        y: (r + 0.5) * side,
        compound: o.compound?.(c, r) ?? null,
        current: o.current?.(c, r) ?? null,
      });
    }
  }
  const edges: UnitEdge[] = [];
  const link = (c1: number, r1: number, c2: number, r2: number, road: number | null) => {
    const a = ids.get(`${c1},${r1}`);
    const b = ids.get(`${c2},${r2}`);
    if (a === undefined || b === undefined) return;
    const ca = units[a]!.compound;
    const cb = units[b]!.compound;
    const compoundLine = ca !== cb && (ca != null || cb != null);
    edges.push({
      a: Math.min(a, b),
      b: Math.max(a, b),
      lengthM: side,
      roadM: road != null ? side : 0,
      compoundM: road == null && compoundLine ? side : 0,
      roads: road != null ? [road] : [],
      roadClass: road != null ? ('local' as RoadClass) : null,
    });
  };
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      link(c, r, c + 1, r, o.roadColumns?.includes(c + 1) ? 100 + c + 1 : null);
      link(c, r, c, r + 1, o.roadRows?.includes(r + 1) ? 200 + r + 1 : null);
    }
  }
  return {
    community: '130203001001',
    units,
    edges,
    at: (c, r) => ids.get(`${c},${r}`) ?? -1,
  };
}

/** Spread `total` households over `cells` cells as evenly as integers allow (cell i of n). */
export function spread(total: number, cells: number, i: number): number {
  const base = Math.floor(total / cells);
  return base + (i < total - base * cells ? 1 : 0);
}
