/**
 * Allowed gaps (允许的缝隙, ADR 0013): admins mark a gap as intended with a reason, and
 * remove the mark; both are kept (the table is the log). Anyone signed in may read them.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { parseBody, parseIdParam, parseRegionCode } from '../http/params.ts';
import { polygonalGeometry } from '../http/geojson.ts';
import { forbidden, requireUser } from '../auth/permissions.ts';
import { inTransaction } from '../db/transaction.ts';
import { requireValid } from '../editing/geometry.queries.ts';
import { AllowGapFields, problemOrGeometry, RemoveExceptionBody } from '../../common/contracts/repairs.ts';
import { checkTiling } from './tiling.ts';
import { areaProblem, DEFAULT_TOLERANCES } from './problems.ts';
import {
  baseProblemId,
  communityOf,
  getException,
  insertException,
  listExceptions,
  markRemoved,
  regionLevel,
} from './exceptions.queries.ts';
import { isGapProblem } from '../../common/rules/problem-types.ts';

// The body is declared in common/contracts/repairs.ts; the server judges its geometry more closely.
const ExceptionBody = AllowGapFields.extend({ geometry: polygonalGeometry.optional() }).refine(...problemOrGeometry);

const requireAdmin = (req: Parameters<typeof requireUser>[0]) => {
  const user = requireUser(req);
  if (user.role !== 'admin') throw forbidden('Only an admin may allow or remove a gap exception');
  return user;
};

/** The community a gap id names: `gap:<community>:<lon>,<lat>` (a sliver's with `sliver:` before it). */
const communityOfGapId = (id: string) => /^(?:sliver:)?gap:([0-9]{12}):/.exec(id)?.[1];

export function exceptionRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/validation/exceptions', async (req, res) => {
    requireUser(req);
    res.json({ exceptions: await listExceptions(db, parseRegionCode(req.query.region, 'region')) });
  });

  router.post('/validation/exceptions', async (req, res) => {
    const user = requireAdmin(req);
    const body = parseBody(ExceptionBody, req.body);
    if (body.geometry) await requireValid(db, body.geometry);
    const created = await inTransaction(db, async (trx) => {
      if (body.problem) {
        const community = communityOfGapId(body.problem);
        if (!community)
          throw new HttpError(
            422,
            'not_a_gap',
            `problem: ${body.problem} is not a gap; only gaps can be allowed`,
            'problem',
          );
        const { communities } = await checkTiling(trx, [community]);
        const gap = communities
          .flatMap((c) => c.areas)
          .map((a) => areaProblem(a, DEFAULT_TOLERANCES))
          .find((p) => p.properties.id === body.problem);
        if (!gap || !isGapProblem(gap)) throw notFound('problem', body.problem);
        return insertException(trx, {
          community,
          problemId: baseProblemId(gap.properties.id),
          geometry: gap.geometry,
          reason: body.reason,
          userId: user.id,
        });
      }
      const community = body.community ?? (await communityOf(trx, body.geometry!));
      if (!community)
        throw new HttpError(422, 'outside_communities', 'geometry: the area lies in no community', 'geometry');
      if ((await regionLevel(trx, community)) !== 'community')
        throw badRequest('community', `community: ${community} is not a community`);
      return insertException(trx, {
        community,
        problemId: null,
        geometry: body.geometry!,
        reason: body.reason,
        userId: user.id,
      });
    });
    res.status(201).json(created);
  });

  router.delete('/validation/exceptions/:id', async (req, res) => {
    const user = requireAdmin(req);
    const id = parseIdParam(req.params.id, 'id', 'an exception number');
    const body = parseBody(RemoveExceptionBody, req.body ?? {});
    const removed = await inTransaction(db, async (trx) => {
      const current = await getException(trx, id);
      if (!current) throw notFound('exception', String(id));
      if (!(await markRemoved(trx, id, user.id, body.reason ?? null)))
        throw new HttpError(409, 'already_removed', `Exception ${id} was already removed`);
      return (await getException(trx, id))!;
    });
    res.json(removed);
  });

  return router;
}
