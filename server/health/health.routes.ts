import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { Health } from '../../common/contracts/meta.ts';
import { serviceDatabase } from '../db/database.ts';
import { postgisVersion } from '../db/session.queries.ts';
import { isDemo } from './settings.queries.ts';

export function healthRoutes({ db, driver, config }: AppContext): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    // Its own connections (server driver): health answers while the main pool is exhausted.
    const service = serviceDatabase(db);
    const body: Health = {
      status: 'ok',
      db: driver,
      postgis: await postgisVersion(service),
      demo: await isDemo(service),
    };
    res.json(body);
  });
  router.get('/config', async (_req, res) => {
    res.json({ basemapStyleUrl: config.basemapStyleUrl ?? null, demo: await isDemo(db) });
  });
  return router;
}
