/**
 * GET /api/search for signed-in staff: the same index and ranking as the residents' search
 * (server/public/search.ts), with the households of streets, communities and grids.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { SearchResponse } from '../../common/contracts/search.ts';
import { requireUser } from '../auth/permissions.ts';
import { HttpError } from '../http/errors.ts';
import { publicIndexesFor } from '../public/public-index.ts';
import { publicHit } from '../public/public-answers.ts';
import { DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS, parseLimit, parseSearchQuery } from '../public/public-params.ts';
import { searchIndexFor } from '../public/search-index.ts';
import { searchNames } from '../public/search.ts';

export function searchRoutes(ctx: AppContext): Router {
  const router = Router();
  const indexes = ctx.config.publicIndex ? publicIndexesFor(ctx.db) : null;

  router.get('/search', async (req, res) => {
    requireUser(req);
    const q = parseSearchQuery(req.query.q);
    const limit = parseLimit(req.query.limit, DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS);
    const index = await searchIndexFor(ctx.db, indexes);
    if (!index) {
      res.setHeader('Retry-After', '2');
      throw new HttpError(503, 'index_building', 'The search is being prepared; retry in a few seconds');
    }
    const body: SearchResponse = {
      q,
      hits: searchNames(index, q, limit).map((hit) => ({
        ...publicHit(hit, 'wgs84'),
        households: hit.entry.households,
      })),
    };
    res.set('cache-control', 'private, no-store').json(body);
  });

  return router;
}
