/**
 * Deliberate digitising errors, so the gap/overlap checks have something to find: one
 * vertex on the straight boundary between two grids of a community is moved 4.3–5.5 m in one
 * grid's ring only. Moved towards that grid, a sliver gap opens; away from it, the grid
 * overlaps its neighbour. Nothing else (community, compounds, buildings) changes.
 *
 *     a │ b        a  ╲ b      (a's ring only; b keeps the old vertex)
 *     ──●──  →     ───●──
 *     a │ b        a  ╱ b
 */
import type { MultiPolygon } from 'geojson';
import type { GridPlan } from './hierarchy.ts';
import { round7, vertexId, type Lattice } from './lattice.ts';
import type { Rng } from './prng.ts';
import type { DeliberateError } from './types.ts';
import { communityOf } from '../../common/rules/region-codes.ts';

interface Candidate {
  vertex: number;
  west: string;
  east: string;
  /** Unit vector from the first grid's side to the second's, in lattice axes. */
  axis: [number, number];
}

export function injectDigitisingErrors(
  l: Lattice,
  grids: readonly GridPlan[],
  geoms: Map<string, MultiPolygon>,
  avoidCells: ReadonlySet<number>,
  count: number,
  rng: Rng,
  /** The first two errors (a gap and an overlap) go to grids of this street, when it has room. */
  firstStreet?: string,
): DeliberateError[] {
  const gridOf = new Map<number, GridPlan>();
  for (const grid of grids) for (const cell of grid.cells) gridOf.set(cell, grid);
  const candidates: Candidate[] = [];
  for (let j = 1; j < l.ny; j++) {
    for (let i = 1; i < l.nx; i++) {
      const [sw, se, ne, nw] = [(j - 1) * l.nx + i - 1, (j - 1) * l.nx + i, j * l.nx + i, j * l.nx + i - 1].map((c) =>
        avoidCells.has(c) ? undefined : gridOf.get(c),
      );
      if (!sw || !se || !ne || !nw || sw.communityCode !== ne.communityCode) continue;
      if (sw === nw && se === ne && sw !== se)
        candidates.push({ vertex: vertexId(l, i, j), west: sw.code, east: se.code, axis: [1, 0] });
      if (sw === se && nw === ne && sw !== nw)
        candidates.push({ vertex: vertexId(l, i, j), west: sw.code, east: nw.code, axis: [0, 1] });
    }
  }
  rng.shuffle(candidates);
  const inFirst = (c: Candidate) => firstStreet !== undefined && c.west.slice(0, 9) === firstStreet.slice(0, 9);
  const ordered = [...candidates.filter(inFirst), ...candidates.filter((c) => !inFirst(c))];
  const errors: DeliberateError[] = [];
  const usedCommunities = new Set<string>();
  const usedGrids = new Set<string>();
  for (const candidate of ordered) {
    if (errors.length >= count) break;
    // Two in the first street, then the others elsewhere.
    if (firstStreet !== undefined && errors.length >= 2 && inFirst(candidate)) continue;
    const community = communityOf(candidate.west);
    if (usedCommunities.has(community) || usedGrids.has(candidate.west) || usedGrids.has(candidate.east)) continue;
    usedCommunities.add(community);
    usedGrids.add(candidate.west).add(candidate.east);
    const kind: DeliberateError['kind'] = errors.length % 2 === 0 ? 'gap' : 'overlap';
    const movedIsWest = rng.chance(0.5);
    const [moved, other] = movedIsWest ? [candidate.west, candidate.east] : [candidate.east, candidate.west];
    // Towards the neighbour makes an overlap; away from it, a gap.
    const towardsOther = movedIsWest ? 1 : -1;
    const sign = kind === 'overlap' ? towardsOther : -towardsOther;
    // Along two 150-m cell edges this makes a gap or overlap of about 650–820 m².
    const metres = Math.round(rng.float(4.3, 5.5) * 10) / 10;
    const [ax, ay] = candidate.axis;
    const from = [l.lon[candidate.vertex] as number, l.lat[candidate.vertex] as number];
    const to = [
      round7((from[0] as number) + (sign * ax * metres) / l.metresPerDegreeLon),
      round7((from[1] as number) + (sign * ay * metres) / l.metresPerDegreeLat),
    ];
    const geom = geoms.get(moved) as MultiPolygon;
    let replaced = 0;
    for (const polygon of geom.coordinates) {
      for (const ring of polygon) {
        ring.forEach((p, k) => {
          if (p[0] === from[0] && p[1] === from[1]) {
            ring[k] = to;
            replaced++;
          }
        });
      }
    }
    if (replaced === 0) throw new Error(`vertex not found in grid ${moved}`);
    errors.push({ kind, grids: [moved, other], metres });
  }
  return errors;
}
