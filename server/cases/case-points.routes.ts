/**
 * GET /api/cases/points?region=&from=&to=: the cases of a region and period as GeoJSON points
 * for the map's 案件 layer (signed-in staff only; no personal fields).
 */
import { Router } from 'express';
import { clockOf, type AppContext } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { checkQuery } from '../http/params.ts';
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { regionHeader } from '../regions/regions.queries.ts';
import { loadCasePoints, type CaseRegionColumn } from './case-points.queries.ts';
import { parseCasePeriod } from './case-period.ts';

const LEVEL_COLUMN: Record<string, CaseRegionColumn> = {
  district: 'district_code',
  street: 'street_code',
  community: 'community_code',
};

export function casePointsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/cases/points', async (req, res) => {
    requireUser(req);
    checkQuery(req.query, ['region', 'from', 'to']);
    const code = req.query.region;
    if (typeof code !== 'string' || !(REGION_CODE.test(code) || GRID_CODE.test(code)))
      throw badRequest('region', 'region must be a 12-digit region code or a 15-digit grid code');
    const now = clockOf(ctx);
    const { from, until } = parseCasePeriod(req.query.from, req.query.to, now);
    let column: CaseRegionColumn = 'grid_code';
    if (REGION_CODE.test(code)) {
      const region = await regionHeader(ctx.db, code);
      if (!region) throw notFound('Region', code);
      column = LEVEL_COLUMN[region.level]!;
    }
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await loadCasePoints(ctx.db, { column, code, from, until, now }));
  });

  return router;
}
