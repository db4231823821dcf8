/**
 * GET /api/cases/points?region=&from=&to=: the cases of a region and period as GeoJSON points
 * for the map's 案件 layer (signed-in staff only; no personal fields). The region and period
 * are read as the statistics read them (stats-params.ts), so the layer and the figures agree.
 */
import { Router } from 'express';
import { clockOf, type AppContext } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { notFound } from '../http/errors.ts';
import { GRID_CODE } from '../../common/domain.ts';
import { regionHeader } from '../regions/regions.queries.ts';
import { loadCasePoints, type CaseRegionColumn } from './case-points.queries.ts';
import { addDays, beijingDayStart, parseCaseStatsQuery } from './stats-params.ts';

const LEVEL_COLUMN: Record<string, CaseRegionColumn> = {
  district: 'district_code',
  street: 'street_code',
  community: 'community_code',
};

export function casePointsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/cases/points', async (req, res) => {
    requireUser(req);
    const now = clockOf(ctx);
    const { region: code, from, to } = parseCaseStatsQuery(req.query, now);
    let column: CaseRegionColumn = 'grid_code';
    if (!GRID_CODE.test(code)) {
      const region = await regionHeader(ctx.db, code);
      if (!region) throw notFound('Region', code);
      column = LEVEL_COLUMN[region.level]!;
    }
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(
      await loadCasePoints(ctx.db, {
        column,
        code,
        from: beijingDayStart(from),
        until: beijingDayStart(addDays(to, 1)),
        now,
      }),
    );
  });

  return router;
}
