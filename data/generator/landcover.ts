/**
 * Water and green for the base map: the river along the district with a green corridor on
 * both banks, and a few parks (2 × 2 or 2 × 1 cells of one grid and one block, no compound)
 * with a pond in some. Parks take no buildings. Polygons follow the plan's warp, so they sit
 * on the same curved streets as everything else.
 */
import type { MultiPolygon, Position } from 'geojson';
import type { CommunityPlan } from './hierarchy.ts';
import { round7 } from './lattice.ts';
import { parkNames } from './names.ts';
import type { DistrictPlan } from './plan.ts';
import type { Rng } from './prng.ts';
import type { LandcoverRow } from './types.ts';

const at = (plan: DistrictPlan, x: number, y: number): Position => plan.toLonLat(x, y).map(round7);
const multi = (ring: Position[]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: [[[...ring, ring[0]!]]] });

/** A band of half-width `half` (cells) around the river's centre line, counter-clockwise. */
function riverBand(plan: DistrictPlan, half: number): MultiPolygon {
  const south = plan.riverLine.map(([x, y]) => at(plan, x, y - half));
  const north = plan.riverLine.map(([x, y]) => at(plan, x, y + half)).reverse();
  return multi([...south, ...north]);
}

/** A rectangle of cells (lattice coordinates, inset), with a vertex every half cell so it follows the warp. */
function rectangle(plan: DistrictPlan, x0: number, y0: number, x1: number, y1: number): Position[] {
  const ring: Position[] = [];
  const side = (ax: number, ay: number, bx: number, by: number) => {
    const n = Math.max(1, Math.round(Math.hypot(bx - ax, by - ay) * 2));
    for (let k = 0; k < n; k++) ring.push(at(plan, ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n));
  };
  side(x0, y0, x1, y0);
  side(x1, y0, x1, y1);
  side(x1, y1, x0, y1);
  side(x0, y1, x0, y0);
  return ring;
}

export interface Landcover {
  rows: LandcoverRow[];
  /** Cells taken by parks. */
  parkCells: Set<number>;
}

export function buildLandcover(
  plan: DistrictPlan,
  districtCode: string,
  communities: readonly CommunityPlan[],
  parks: number,
  rng: Rng,
): Landcover {
  const rows: LandcoverRow[] = [];
  if (plan.riverLine.length > 1) {
    rows.push({ kind: 'green', name: '龙河生态公园', region_code: districtCode, geom: riverBand(plan, 0.65) });
    rows.push({ kind: 'water', name: '龙河', region_code: districtCode, geom: riverBand(plan, 0.25) });
  }
  const l = plan.lattice;
  const nx = l.nx;
  const parkCells = new Set<number>();
  const names = parkNames(rng.fork('names'));
  const compoundCells = new Set(communities.flatMap((c) => c.compounds.flatMap((x) => x.cells)));
  const candidates: { community: CommunityPlan; cells: number[]; box: [number, number, number, number] }[] = [];
  for (const community of communities) {
    if (community.rural) continue;
    for (const grid of community.grids) {
      const inGrid = new Set(grid.cells);
      const free = (c: number) =>
        inGrid.has(c) &&
        plan.river[c] === 0 &&
        !compoundCells.has(c) &&
        plan.blockOf[c] === plan.blockOf[grid.cells[0]!];
      const spare = grid.cells.filter((c) => plan.river[c] === 0 && !compoundCells.has(c)).length;
      for (const c of grid.cells) {
        const [i, j] = [c % nx, Math.floor(c / nx)];
        for (const [w, h] of [
          [2, 2],
          [2, 1],
        ] as const) {
          if (i + w > nx) continue;
          const cells: number[] = [];
          for (let dj = 0; dj < h; dj++) for (let di = 0; di < w; di++) cells.push((j + dj) * nx + i + di);
          const block = plan.blockOf[c];
          if (!cells.every((x) => free(x) && plan.blockOf[x] === block)) continue;
          // The grid keeps at least three cells to build on.
          if (spare - cells.length < 3) continue;
          candidates.push({ community, cells, box: [i, j, i + w, j + h] });
        }
      }
    }
  }
  const chosen = new Set<string>();
  for (const candidate of rng.shuffle(candidates)) {
    if (chosen.size >= parks) break;
    if (chosen.has(candidate.community.code) || candidate.cells.some((c) => parkCells.has(c))) continue;
    chosen.add(candidate.community.code);
    candidate.cells.forEach((c) => parkCells.add(c));
    const [x0, y0, x1, y1] = candidate.box;
    const name = `${names.next()}公园`;
    rows.push({
      kind: 'green',
      name,
      region_code: candidate.community.code,
      geom: multi(rectangle(plan, x0 + 0.08, y0 + 0.08, x1 - 0.08, y1 - 0.08)),
    });
    if (x1 - x0 === 2 && rng.chance(0.7)) {
      const [cx, cy] = [(x0 + x1) / 2 + rng.float(-0.15, 0.15), (y0 + y1) / 2];
      const [rx, ry] = [rng.float(0.35, 0.55), (y1 - y0) * rng.float(0.18, 0.28)];
      const ring = Array.from({ length: 20 }, (_, k) => {
        const t = (2 * Math.PI * k) / 20;
        const wobble = 1 + 0.12 * Math.sin(3 * t + cx);
        return at(plan, cx + rx * wobble * Math.cos(t), cy + ry * wobble * Math.sin(t));
      });
      rows.push({
        kind: 'water',
        name: name.slice(0, -2).endsWith('湖') ? name.slice(0, -2) : `${name.slice(0, -2)}湖`,
        region_code: candidate.community.code,
        geom: multi(ring),
      });
    }
  }
  return { rows, parkCells };
}
