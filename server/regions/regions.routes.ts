import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { RegionFeature, RegionList } from '../../common/contracts/regions.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseRegionCode } from '../http/params.ts';
import { getRegion, listRegions, regionExists } from './regions.queries.ts';
import { regionForReader } from '../auth/redact.ts';

export function regionsRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/regions', async (req, res) => {
    const parent = parseRegionCode(req.query.parent, 'parent');
    if (parent && !(await regionExists(db, parent))) throw badRequest('parent', `parent: no region has code ${parent}`);
    const body: RegionList = { regions: await listRegions(db, parent) };
    res.json(body);
  });

  router.get('/regions/:code', async (req, res) => {
    const code = parseRegionCode(req.params.code, 'code')!;
    const region = await getRegion(db, code);
    if (!region) throw notFound('Region', code);
    const body: RegionFeature = {
      type: 'Feature',
      id: code,
      geometry: region.geometry,
      properties: regionForReader(req, region.properties),
    };
    res.json(body);
  });

  return router;
}
