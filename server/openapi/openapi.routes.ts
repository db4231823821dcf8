/** GET /api/openapi.json and the offline docs page (issue 7). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function openapiRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
