/** The problems one community's tiling check found (pure): areas, invalid and multipart grids. */
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import type { InvalidRow } from './find-invalid.queries.ts';
import type { GridShapeRow } from './find-multipart.queries.ts';
import { areaProblem, gridProblem, type MeasuredArea, type Tolerances } from './problems.ts';

export function tilingProblems(
  c: { areas: readonly MeasuredArea[]; invalid: readonly InvalidRow[]; multipart: readonly GridShapeRow[] },
  tol: Tolerances,
): ProblemFeature[] {
  const out: ProblemFeature[] = c.areas.map((area) => areaProblem(area, tol));
  for (const row of c.invalid) {
    out.push(
      gridProblem({
        type: 'invalid',
        grid: row.grid,
        community: row.community,
        geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
        point: [row.lon, row.lat],
        detail: { reason: row.reason },
      }),
    );
  }
  for (const row of c.multipart) {
    out.push(
      gridProblem({
        type: 'multipart',
        grid: row.grid,
        community: row.community,
        geometry: row.geometry,
        point: [row.lon, row.lat],
        areaM2: Math.round(row.area * 100) / 100,
        detail: { parts: row.parts },
      }),
    );
  }
  return out;
}
