/**
 * Which of today's grids a proposed region continues (keeps its code, name, party
 * organisations and workers). Pure.
 *
 * One-to-one and greedy: the pair sharing the most households goes first (area when the
 * region or the grid holds no households), and a pair counts only when the shared part is at
 * least half of both the region and the grid, so a grid is never "kept" by a region that is
 * mostly something else.
 */
import type { Unit } from './unit-graph.ts';

interface Tally {
  households: number;
  area: number;
}

const add = (m: Map<string, Tally>, code: string, u: Unit) => {
  const t = m.get(code) ?? { households: 0, area: 0 };
  t.households += u.households;
  t.area += u.areaM2;
  m.set(code, t);
};

/**
 * keeps[i] for each region in `regions` (unit id lists); codes in `taken` (kept elsewhere,
 * e.g. by unchanged grids) are not offered.
 */
export function assignKeeps(units: Unit[], regions: number[][], taken: Set<string> = new Set()): (string | null)[] {
  const gridTotal = new Map<string, Tally>();
  for (const u of units) if (u.current != null) add(gridTotal, u.current, u);
  const pairs: { region: number; code: string; households: number; area: number }[] = [];
  regions.forEach((ids, region) => {
    const shared = new Map<string, Tally>();
    let rh = 0;
    let ra = 0;
    for (const id of ids) {
      const u = units[id]!;
      rh += u.households;
      ra += u.areaM2;
      if (u.current != null) add(shared, u.current, u);
    }
    for (const [code, s] of shared) {
      if (taken.has(code)) continue;
      const g = gridTotal.get(code)!;
      const byHouseholds = rh > 0 && g.households > 0;
      const ok = byHouseholds
        ? 2 * s.households >= rh && 2 * s.households >= g.households
        : 2 * s.area >= ra && 2 * s.area >= g.area;
      if (ok) pairs.push({ region, code, households: s.households, area: s.area });
    }
  });
  pairs.sort(
    (p, q) =>
      q.households - p.households ||
      q.area - p.area ||
      (p.code < q.code ? -1 : p.code > q.code ? 1 : 0) ||
      p.region - q.region,
  );
  const keeps: (string | null)[] = regions.map(() => null);
  const used = new Set<string>();
  for (const p of pairs) {
    if (keeps[p.region] != null || used.has(p.code)) continue;
    keeps[p.region] = p.code;
    used.add(p.code);
  }
  return keeps;
}
