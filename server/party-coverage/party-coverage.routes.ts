import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { badRequest } from '../http/errors.ts';
import { parseRegionCode } from '../http/params.ts';
import { partyCoverage } from './party-coverage.ts';

export function partyCoverageRoutes({ db }: AppContext): Router {
  const router = Router();
  // Signed-in users only: the report carries household figures.
  router.get('/coverage/party', async (req, res) => {
    requireUser(req);
    const region = parseRegionCode(req.query.region, 'region');
    if (!region) throw badRequest('region', 'region is required (a 12-digit region code)');
    res.json(await partyCoverage(db, region));
  });
  return router;
}
