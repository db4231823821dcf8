/** GET /api/export (issue 7). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function exportRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
