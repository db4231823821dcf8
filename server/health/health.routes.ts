import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { ClientConfig, Health } from '../../common/contracts/meta.ts';
import { serviceDatabase } from '../db/database.ts';
import { readReplicaState } from '../db/read-database.ts';
import { postgisVersion } from '../db/session.queries.ts';
import { isDemo } from './settings.queries.ts';
import { basemapSource } from '../basemap/basemap-config.ts';
import { BASEMAP_STYLE_PATH } from '../basemap/basemap.routes.ts';

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
      readReplica: readReplicaState(db),
    };
    res.json(body);
  });
  router.get('/config', async (req, res) => {
    const source = basemapSource(config);
    const basemapStyleUrl =
      source.kind === 'url'
        ? source.url
        : source.kind === 'tianditu'
          ? `${req.protocol}://${req.get('host')}${BASEMAP_STYLE_PATH}`
          : null;
    const body: ClientConfig = { basemapStyleUrl, demo: await isDemo(db) };
    res.json(body);
  });
  return router;
}
