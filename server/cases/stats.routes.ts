/**
 * GET /api/cases/stats: 受理数, 办结率, 按期办结率, 满意率 … for a region and period, for any
 * signed-in staff member (planners read statistics; the answer holds no personal data).
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { clockOf } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { loadCaseStats } from './load-case-stats.ts';
import { parseCaseStatsQuery } from './stats-params.ts';

export function caseStatsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/cases/stats', async (req, res) => {
    requireUser(req);
    const now = clockOf(ctx);
    const query = parseCaseStatsQuery(req.query, now);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await loadCaseStats(ctx.db, query, now));
  });
  return router;
}
