/**
 * POST /api/roads?region=CODE[&node=true]  replace the region's roads by a GeoJSON
 *      FeatureCollection (admin, or the editor of the region's street); node=true splits the
 *      lines where they cross, for data not noded at its crossings (CAD drawings)
 * GET  /api/roads?bbox=…|region=CODE[&limit=N]  the roads as GeoJSON (public: no personal data)
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { parseBBox, parseEnum, parseRegionCode } from '../http/params.ts';
import { requireStreet, requireWriter, forbidden } from '../auth/permissions.ts';
import { listRoads, replaceRoads, streetOfRegion } from './roads.queries.ts';
import { parseRoadImport } from './roads-import.ts';

const MAX_LIST = 50_000;

export function roadsRoutes({ db }: AppContext): Router {
  const router = Router();

  router.post('/roads', async (req, res) => {
    const user = requireWriter(req);
    const region = parseRegionCode(req.query.region, 'region');
    if (!region) throw badRequest('region', 'region is required: the 12-digit code whose roads the file replaces');
    const found = await streetOfRegion(db, region);
    if (!found) throw notFound('Region', region);
    if (found.street === null) {
      if (user.role !== 'admin') throw forbidden('Only an admin imports the roads of a whole district');
    } else requireStreet(user, found.street);
    const node = parseEnum(req.query.node, ['true', 'false'] as const, 'node') === 'true';
    const roads = parseRoadImport(req.body);
    res.status(201).json(await replaceRoads(db, region, roads, { node }));
  });

  router.get('/roads', async (req, res) => {
    const bbox = parseBBox(req.query.bbox, 'bbox');
    const region = parseRegionCode(req.query.region, 'region');
    if (!bbox && !region) throw badRequest('bbox', 'give bbox=minLon,minLat,maxLon,maxLat or region=CODE');
    let limit = MAX_LIST;
    if (req.query.limit !== undefined) {
      limit = Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST)
        throw badRequest('limit', `limit must be an integer 1–${MAX_LIST}`);
    }
    if (region && !(await streetOfRegion(db, region)))
      throw new HttpError(404, 'not_found', `Region "${region}" does not exist`, 'region');
    res.json(await listRoads(db, { bbox, region, limit }));
  });

  return router;
}
