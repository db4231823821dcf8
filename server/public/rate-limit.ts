/**
 * Per-address rate limit for the anonymous API (residents are the only anonymous users and
 * the largest group). Fixed one-minute windows, counted in Redis when REDIS_URL is set (one
 * count across every API process behind the load balancer), else in memory per process.
 * Redis down: the request passes uncounted (fail open; server/http/shared-counters.ts logs the
 * outage once). Over the limit: 429 JSON with Retry-After (seconds).
 * Behind a reverse proxy, set Express's "trust proxy" so req.ip is the client's address.
 */
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { HttpError } from '../http/errors.ts';
import type { SharedCounters } from '../http/shared-counters.ts';

export function publicRateLimit(perMinute: number, counters?: SharedCounters): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next(); // 0 switches it off (benchmarks)
  return rateLimit({
    windowMs: 60_000,
    ...(counters ? { store: counters.store('public', 'open') } : {}),
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, next) =>
      next(
        new HttpError(
          429,
          'rate_limited',
          `Too many requests from this address (at most ${perMinute} a minute); retry after ${res.getHeader('Retry-After') ?? 60} s`,
        ),
      ),
  });
}
