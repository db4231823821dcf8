import { Router } from 'express';
import type { AppContext } from '../context.ts';
import {
  StationSuggestRequest,
  type StationReachReport,
  type StationSuggestResponse,
} from '../../common/contracts/station-reach.ts';
import { requireUser } from '../auth/permissions.ts';
import { badRequest } from '../http/errors.ts';
import { parseBody, parseEnum, parseNumberInRange, parseRegionCode, parseStationKinds } from '../http/params.ts';
import { stationReach } from './station-reach.ts';
import { suggestSites } from './suggest-sites.ts';

export function stationReachRoutes({ db }: AppContext): Router {
  const router = Router();

  /** ?region=CODE&minutes=3&speed=1.2&kinds=a,b&areas=0|1 (areas default: 1 below district level). */
  router.get('/coverage/stations', async (req, res) => {
    requireUser(req);
    const region = parseRegionCode(req.query.region, 'region');
    if (!region) throw badRequest('region', 'region is required (a 12-digit region code)');
    const minutes = parseNumberInRange(req.query.minutes, 'minutes', 0, 60);
    const speed = parseNumberInRange(req.query.speed, 'speed', 0, 10);
    const kinds = parseStationKinds(req.query.kinds, 'kinds');
    const areas = parseEnum(req.query.areas, ['0', '1'], 'areas');
    const body: StationReachReport = await stationReach(
      db,
      { region, minutes, speed, kinds },
      { areas: areas === undefined ? undefined : areas === '1' },
    );
    res.json(body);
  });

  router.post('/coverage/stations/suggest', async (req, res) => {
    requireUser(req);
    const request: StationSuggestRequest = parseBody(StationSuggestRequest, req.body);
    const body: StationSuggestResponse = await suggestSites(db, request);
    res.json(body);
  });

  return router;
}
