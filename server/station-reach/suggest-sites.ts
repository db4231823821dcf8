/**
 * Where to put the next k stations: greedy maximal covering of the households that no
 * counted station reaches yet, over candidate sites (the region's building points, or a
 * lattice of points `spacingM` apart inside the region).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { StationSuggestRequest, StationSuggestResponse } from '../../common/contracts/station-reach.ts';
import { badRequest } from '../http/errors.ts';
import { greedyCover } from '../geo/greedy-cover.ts';
import { metresPerDegree } from '../geo/geodesic.ts';
import { loadReachState } from './station-reach.ts';
import { gridsAt, pointsInRegion } from './station-reach.queries.ts';

/** A lattice larger than this is refused (spacing too fine for the region): the reach lists of every candidate are held in memory. */
export const MAX_LATTICE_POINTS = 40_000;

/**
 * Points `spacingM` apart over a bbox, at the centres of `spacingM` cells (so none sits on
 * the bbox edge), row by row from the south-west (a deterministic order for tie-breaks).
 */
export function latticeOver(bbox: [number, number, number, number], spacingM: number): [number, number][] {
  const scale = metresPerDegree((bbox[1] + bbox[3]) / 2);
  const dLon = spacingM / scale.lon;
  const dLat = spacingM / scale.lat;
  // The tolerance keeps an exact multiple of the spacing from gaining a column by rounding.
  const cols = Math.max(1, Math.ceil((bbox[2] - bbox[0]) / dLon - 1e-6));
  const rows = Math.max(1, Math.ceil((bbox[3] - bbox[1]) / dLat - 1e-6));
  if (cols * rows > MAX_LATTICE_POINTS) {
    throw badRequest(
      'spacingM',
      `spacingM: ${spacingM} m gives ${cols * rows} points over this region (at most ${MAX_LATTICE_POINTS}); use a wider spacing`,
    );
  }
  const points: [number, number][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) points.push([bbox[0] + (c + 0.5) * dLon, bbox[1] + (r + 0.5) * dLat]);
  }
  return points;
}

export async function suggestSites(db: Kysely<DB>, request: StationSuggestRequest): Promise<StationSuggestResponse> {
  const started = performance.now();
  const state = await loadReachState(db, request);
  let candidates: [number, number][];
  if ((request.candidates ?? 'buildings') === 'lattice') {
    const lattice = latticeOver(state.region.bbox, request.spacingM ?? 100);
    const inside = await pointsInRegion(db, state.region.code, lattice);
    candidates = lattice.filter((_, i) => inside[i]);
  } else {
    // Each distinct building point once, in building-code order.
    const seen = new Set<string>();
    candidates = [];
    for (const b of state.buildings) {
      const key = `${b.lon},${b.lat}`;
      if (!seen.has(key)) {
        seen.add(key);
        candidates.push([b.lon, b.lat]);
      }
    }
  }
  const weights = state.buildings.map((b) => b.households);
  const households = weights.reduce((a, b) => a + b, 0);
  const covered = Uint8Array.from(state.counts, (n) => (n > 0 ? 1 : 0));
  const reachedBefore = weights.reduce((sum, w, i) => sum + (covered[i] ? w : 0), 0);
  const picks = greedyCover(state.reachFrom(candidates), weights, covered, request.k);
  const grids = await gridsAt(
    db,
    picks.map((p) => candidates[p.candidate]!),
  );
  const share = (reached: number) => (households === 0 ? 1 : reached / households);
  let reached = reachedBefore;
  return {
    method: state.method,
    reachM: state.reachM,
    candidates: candidates.length,
    before: { householdsReached: reachedBefore, share: share(reachedBefore) },
    suggestions: picks.map((pick, i) => {
      reached += pick.gain;
      const [lon, lat] = candidates[pick.candidate]!;
      return {
        rank: i + 1,
        lon,
        lat,
        gain: pick.gain,
        shareAfter: share(reached),
        grid_code: grids[i]?.code ?? null,
        grid_name: grids[i]?.name ?? null,
      };
    }),
    tookMs: Math.round(performance.now() - started),
  };
}
