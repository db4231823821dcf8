/**
 * Failed sign-ins are limited per client address and per username (WANGGE_LOGIN_RATE_LIMIT
 * failures per 15 minutes, default 10): one address cannot try many passwords, and many
 * addresses cannot try many passwords on one account. Only wrong credentials (401) count, so
 * an office behind one address is not locked out by its own staff signing in. Over the
 * limit: 429 JSON with Retry-After, before the password is even checked. The counters are in
 * memory, per API process (as for the public routes, server/public/rate-limit.ts); behind a
 * reverse proxy set WANGGE_TRUST_PROXY so the address is the client's, not the proxy's.
 */
import { rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http/errors.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;

/** The username a login body names, normalised as the lookup would see it ('' when absent). */
const usernameOf = (req: Request): string => {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 100) : '';
};

function limiter(failures: number, by: 'address' | 'username'): RequestHandler {
  return rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: failures,
    skipSuccessfulRequests: true,
    // Only wrong credentials count: a malformed body (400) is not a guess at a password.
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(by === 'username'
      ? { keyGenerator: (req: Request) => `user:${usernameOf(req)}`, skip: (req: Request) => usernameOf(req) === '' }
      : {}),
    handler: (_req, res, next) =>
      next(
        new HttpError(
          429,
          'too_many_logins',
          `Too many failed sign-ins ${by === 'address' ? 'from this address' : 'for this username'} (at most ${failures} in 15 minutes); retry after ${res.getHeader('Retry-After') ?? 900} s`,
        ),
      ),
  });
}

/** Both limits as one middleware for POST /auth/login; 0 switches them off. */
export function loginRateLimit(failures: number): RequestHandler[] {
  if (failures <= 0) return [];
  return [limiter(failures, 'address'), limiter(failures, 'username')];
}
