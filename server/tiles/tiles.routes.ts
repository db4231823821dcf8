/** vector tiles at /tiles/{layer}/{z}/{x}/{y}.pbf (issue 7). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function tilesRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
