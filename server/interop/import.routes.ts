/** POST /api/import, GET /api/import/fields (issue 7). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function importRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
