import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { badRequest } from '../http/errors.ts';
import { checkQuery, parseBBox, parseRegionCode, parseStationKinds } from '../http/params.ts';
import { regionExists } from '../regions/regions.queries.ts';
import { listStations } from './stations.queries.ts';

export function stationsRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/stations', async (req, res) => {
    checkQuery(req.query, ['region', 'bbox', 'kind']);
    const region = parseRegionCode(req.query.region, 'region');
    const bbox = parseBBox(req.query.bbox, 'bbox');
    const kinds = parseStationKinds(req.query.kind, 'kind');
    if (region && !(await regionExists(db, region))) throw badRequest('region', `region: no region has code ${region}`);
    const body: StationCollection = {
      type: 'FeatureCollection',
      features: await listStations(db, { region, bbox, kinds }),
    };
    res.json(body);
  });
  return router;
}
