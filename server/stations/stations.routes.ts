import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { StationCollection } from '../../common/api.ts';
import { STATION_KINDS, type StationKind } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { parseBBox, parseRegionCode } from '../http/params.ts';
import { regionExists } from '../regions/regions.queries.ts';
import { listStations } from './stations.queries.ts';

/** `kind=a,b` or `kind=a&kind=b`; each must be one of the eight station kinds. */
function parseKinds(value: unknown): StationKind[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
  for (const kind of list) {
    if (kind === null || !(STATION_KINDS as readonly string[]).includes(kind)) {
      throw badRequest('kind', `kind must be one of: ${STATION_KINDS.join(', ')}`);
    }
  }
  return list as StationKind[];
}

export function stationsRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/stations', async (req, res) => {
    const region = parseRegionCode(req.query.region, 'region');
    const bbox = parseBBox(req.query.bbox, 'bbox');
    const kinds = parseKinds(req.query.kind);
    if (region && !(await regionExists(db, region))) throw badRequest('region', `region: no region has code ${region}`);
    const body: StationCollection = { type: 'FeatureCollection', features: await listStations(db, { region, bbox, kinds }) };
    res.json(body);
  });
  return router;
}
