/**
 * Repairs in a draft (ADR 0013): `{problem, to?}` gives one gap, overlap or sliver to a
 * neighbouring grid; `{region, maxAreaM2}` repairs every one under an area in a region.
 * Either way one changeset, undone like any edit. No If-Match: the problem's id names the
 * state the repair is based on (a changed problem has another id, or is gone: 404/409).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { RepairResponse } from '../../common/contracts/repairs.ts';
import { GRID_CODE, REGION_CODE } from '../../common/domain.ts';
import { badRequest } from '../http/errors.ts';
import { parseBody } from '../http/params.ts';
import { polygonalGeometry } from '../http/geojson.ts';
import { requireWriter } from '../auth/permissions.ts';
import { repairBatch, repairProblem } from './repairs.ts';
import { requireValid } from './geometry.queries.ts';

const comment = z.string().trim().min(1).max(2_000).optional();
export const RepairOneBody = z.object({ problem: z.string().min(3).max(200), to: z.string().regex(GRID_CODE, 'must be a 15-digit grid code').optional(), comment }).strict();
export const RepairBatchBody = z
  .object({
    // A region code or a GeoJSON polygon (the current view): judged below, so a bad polygon is
    // named as precisely as on every other geometry route (a union would say only "invalid").
    region: z.unknown(),
    maxAreaM2: z.number().finite().positive().max(1e7),
    comment,
  })
  .strict();
const RegionCode = z.object({ region: z.string().regex(REGION_CODE, 'must be a 12-digit region code or a GeoJSON polygon') });
const RegionPolygon = z.object({ region: polygonalGeometry });

function parseDraftId(value: unknown): number {
  const id = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(id)) throw badRequest('id', 'id must be a draft number');
  return id;
}

export function repairRoutes({ db }: AppContext): Router {
  const router = Router();
  router.post('/drafts/:id/repairs', async (req, res) => {
    const user = requireWriter(req);
    const draftId = parseDraftId(req.params.id);
    const body = req.body as Record<string, unknown> | undefined;
    const batch = body !== null && typeof body === 'object' && !Array.isArray(body) && ('region' in body || 'maxAreaM2' in body);
    let result: RepairResponse;
    if (batch) {
      const input = parseBody(RepairBatchBody, body);
      const region = typeof input.region === 'string' ? parseBody(RegionCode, { region: input.region }).region : parseBody(RegionPolygon, { region: input.region }).region;
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
