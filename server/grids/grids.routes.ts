import { Router } from 'express';
import type { AppContext } from '../context.ts';
import type { GridCollection, GridDetailFeature } from '../../common/contracts/grids.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { checkQuery, parseBBox, parseGridCode, parseRegionCode } from '../http/params.ts';
import { regionExists } from '../regions/regions.queries.ts';
import { getGrid, listGrids } from './grids.queries.ts';
import { etagOf } from '../editing/etags.ts';
import { gridDetailForReader, gridForReader } from '../auth/redact.ts';

export function gridsRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/grids', async (req, res) => {
    checkQuery(req.query, ['region', 'bbox']);
    const region = parseRegionCode(req.query.region, 'region');
    const bbox = parseBBox(req.query.bbox, 'bbox');
    if (!region && !bbox) throw badRequest('region', 'region or bbox is required (a city has too many grids to list)');
    if (region && !(await regionExists(db, region))) throw badRequest('region', `region: no region has code ${region}`);
    const grids = await listGrids(db, { region, bbox });
    const body: GridCollection = {
      type: 'FeatureCollection',
      features: grids.map((f) => ({ ...f, properties: gridForReader(req, f.properties) })),
    };
    res.json(body);
  });

  router.get('/grids/:code', async (req, res) => {
    const code = parseGridCode(req.params.code, 'code');
    const grid = await getGrid(db, code);
    if (!grid) throw notFound('Grid', code);
    const body: GridDetailFeature = {
      type: 'Feature',
      id: code,
      geometry: grid.geometry,
      properties: gridDetailForReader(req, grid.properties),
    };
    // The tag an edit of this grid names in If-Match (server/editing/etags.ts).
    res.set('ETag', etagOf({ code, version: grid.properties.version, draftId: null, revision: null })).json(body);
  });

  return router;
}
