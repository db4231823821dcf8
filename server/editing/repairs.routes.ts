/**
 * Repairs in a draft (ADR 0013): `{problem, to?}` gives one gap, overlap or sliver to a
 * neighbouring grid; `{region, maxAreaM2}` repairs every one under an area in a region.
 * Either way one changeset, undone like any edit. No If-Match: the problem's id names the
 * state the repair is based on (a changed problem has another id, or is gone: 404/409).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import {
  RepairBatchBody,
  RepairOneBody,
  RepairRegionCode,
  type RepairResponse,
} from '../../common/contracts/repairs.ts';
import { parseBody, parseIdParam } from '../http/params.ts';
import { polygonalGeometry } from '../http/geojson.ts';
import { requireWriter } from '../auth/permissions.ts';
import { repairBatch, repairProblem } from './repairs.ts';
import { requireValid } from './geometry.queries.ts';

const RegionPolygon = z.object({ region: polygonalGeometry });

export function repairRoutes({ db }: AppContext): Router {
  const router = Router();
  router.post('/drafts/:id/repairs', async (req, res) => {
    const user = requireWriter(req);
    const draftId = parseIdParam(req.params.id, 'id', 'a draft number');
    const body = req.body as Record<string, unknown> | undefined;
    const batch =
      body !== null && typeof body === 'object' && !Array.isArray(body) && ('region' in body || 'maxAreaM2' in body);
    let result: RepairResponse;
    if (batch) {
      const input = parseBody(RepairBatchBody, body);
      const region =
        typeof input.region === 'string'
          ? parseBody(RepairRegionCode, { region: input.region }).region
          : parseBody(RegionPolygon, { region: input.region }).region;
      if (typeof region !== 'string') await requireValid(db, region, 'region');
      const ctx = { user, draftId, ifMatch: undefined, comment: input.comment ?? `批量修复 ≤ ${input.maxAreaM2} m²` };
      result = await repairBatch(db, ctx, region, input.maxAreaM2);
    } else {
      const input = parseBody(RepairOneBody, body);
      const ctx = { user, draftId, ifMatch: undefined, comment: input.comment ?? `修复 ${input.problem}` };
      result = await repairProblem(db, ctx, input.problem, input.to);
    }
    res.json(result);
  });
  return router;
}
