/**
 * GET /api/basemap/style.json: the 天地图 style when TIANDITU_KEY is set (and no
 * BASEMAP_STYLE_URL, which wins); 404 otherwise, the map then draws its own offline base.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { basemapSource } from './basemap-config.ts';
import { tiandituStyle } from './tianditu-style.ts';

export const BASEMAP_STYLE_PATH = '/api/basemap/style.json';

export function basemapRoutes({ config }: AppContext): Router {
  const router = Router();
  router.get('/basemap/style.json', (_req, res) => {
    const source = basemapSource(config);
    if (source.kind !== 'tianditu')
      throw new HttpError(404, 'not_found', 'No 天地图 basemap configured (set TIANDITU_KEY)');
    res.setHeader('Cache-Control', 'no-cache');
    res.json(tiandituStyle(source.key));
  });
  return router;
}
