/**
 * The residents' side of cases (no login): report (我要反映), follow with the private tracking
 * token, rate once per closure. A wrong token answers 404 like an unknown ticket, so tickets
 * cannot be probed. Reports are limited per client address (WANGGE_CASE_RATE_LIMIT an hour).
 */
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { clockOf, publicReads, type AppContext } from '../context.ts';
import type { SharedCounters } from '../http/shared-counters.ts';
import {
  NewPublicCase,
  RatingRequest,
  type NewPublicCaseResponse,
  type PublicCase,
} from '../../common/contracts/cases.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { parseBody } from '../http/params.ts';
import { parsePublicPoint } from '../public/public-params.ts';
import { publicIndexesFor } from '../public/public-index.ts';
import { hashToken, reportCase } from './intake.ts';
import { rateCase } from './transitions.ts';
import { caseByTicket, caseConfig, caseTimeline, type StoredPhoto } from './cases.queries.ts';
import { publicCase } from './case-answers.ts';

const TICKET = /^[0-9]{8}-[0-9]{6,}$/;

// Shared across processes with REDIS_URL; Redis down: a resident's report still gets through (fail open).
function reportRateLimit(perHour: number, counters?: SharedCounters): RequestHandler {
  if (perHour <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 3_600_000,
    ...(counters ? { store: counters.store('case-reports', 'open') } : {}),
    limit: perHour,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) =>
      next(
        new HttpError(
          429,
          'rate_limited',
          `Too many reports from this address (at most ${perHour} an hour); retry after ${res.getHeader('Retry-After') ?? 3600} s`,
        ),
      ),
  });
}

/** The point of a report, converted to WGS84 and checked to be in China (as the finder does). */
export function reportPoint(body: { lon?: number; lat?: number; crs?: string }) {
  if (body.lon === undefined && body.lat === undefined) return undefined;
  if (body.lon === undefined) throw badRequest('lon', 'lon: given lat without lon');
  if (body.lat === undefined) throw badRequest('lat', 'lat: given lon without lat');
  const p = parsePublicPoint({ lon: String(body.lon), lat: String(body.lat), crs: body.crs });
  return { lon: p.lon, lat: p.lat };
}

/** Photos checked by the upload middleware (server/cases/photo-upload.ts), if any. */
export const photosOf = (req: { checkedPhotos?: StoredPhoto[] }): StoredPhoto[] => req.checkedPhotos ?? [];

declare module 'express-serve-static-core' {
  interface Request {
    checkedPhotos?: StoredPhoto[];
  }
}

export function publicCaseRoutes(ctx: AppContext, uploads: { report?: RequestHandler[] } = {}): Router {
  const router = Router();
  // The process's one public index (it reads where public reads go: publicReads).
  const indexes = ctx.config.publicIndex ? publicIndexesFor(publicReads(ctx)) : null;

  router.get('/public/cases/categories', async (_req, res) => {
    const { categories } = await caseConfig(ctx.db);
    res
      .set('cache-control', 'public, max-age=300')
      .json(categories.map((c) => ({ code: c.code, name: c.name, timeLimitHours: c.time_limit_hours })));
  });

  router.post(
    '/public/cases',
    reportRateLimit(ctx.config.caseRateLimit, ctx.counters),
    ...(uploads.report ?? []),
    async (req, res) => {
      const body = parseBody(NewPublicCase, req.body);
      const point = reportPoint(body);
      if (!point && !body.grid)
        throw badRequest('lon', 'a location is required: lon and lat, or the grid code from a board');
      const made = await reportCase(
        ctx.db,
        {
          category: body.category,
          description: body.description,
          ...(point ? { point } : {}),
          ...(body.grid && !point ? { grid: body.grid } : {}),
          ...(body.address ? { address: body.address } : {}),
          ...(body.phone ? { phone: body.phone } : {}),
          channel: 'finder',
          reporter: null,
          photos: photosOf(req),
        },
        clockOf(ctx),
        indexes,
      );
      const answer: NewPublicCaseResponse = {
        ticket: made.ticket,
        token: made.token,
        grid: made.grid,
        dueAt: made.dueAt.toISOString(),
        possibleDuplicateOf: made.possibleDuplicateOf,
      };
      res.status(201).set('cache-control', 'no-store').json(answer);
    },
  );

  router.get('/public/cases/:ticket', async (req, res) => {
    const ticket = req.params.ticket;
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!TICKET.test(ticket) || token === '') throw notFound('Case', ticket);
    const c = await caseByTicket(ctx.db, ticket);
    if (!c || c.token_hash !== hashToken(token)) throw notFound('Case', ticket);
    const body: PublicCase = publicCase(c, await caseTimeline(ctx.db, c.id));
    res.set('cache-control', 'no-store').json(body);
  });

  router.post('/public/cases/:ticket/rating', async (req, res) => {
    const ticket = req.params.ticket;
    const body = parseBody(RatingRequest, req.body);
    if (!TICKET.test(ticket)) throw notFound('Case', ticket);
    const c = await rateCase(ctx.db, ticket, body.token, body.rating, body.comment, clockOf(ctx));
    const answer: PublicCase = publicCase(c, await caseTimeline(ctx.db, c.id));
    res.set('cache-control', 'no-store').json(answer);
  });

  return router;
}
