/** OGC API – Features at /ogc (issue 7). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';

export function ogcRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
