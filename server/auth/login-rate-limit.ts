/**
 * Sign-in throttling that gives no one a lockout lever (OWASP Authentication Cheat Sheet:
 * throttle per account-and-source, slow the account down rather than lock it). Three counters
 * of wrong credentials (401) per 15 minutes, checked before the password:
 *   1. per address, across usernames: LOGIN_ADDRESS_FACTOR × the limit (password spraying) → 429;
 *   2. per (username, address): WANGGE_LOGIN_RATE_LIMIT failures (default 10) → 429 with
 *      Retry-After. An attacker blocks only their own pair: the real user at another address
 *      signs in as before (in the old rule, per username, ten wrong passwords for `admin` locked
 *      `admin` out everywhere for 15 minutes);
 *   3. per username, from every address: past the limit, each attempt waits (backoffDelayMs:
 *      0.25 s doubling, at most LOGIN_MAX_DELAY_MS) and is then answered as usual. A guesser
 *      spread over many addresses gets slow; the real user gets in a few seconds late at worst.
 * Only 401s count, so an office behind one address is not throttled by its own staff signing in.
 * With REDIS_URL the counters are shared by every API process; Redis down: 503
 * `rate_limit_unavailable` (fail closed: no guessing without a count). Behind a reverse proxy
 * set WANGGE_TRUST_PROXY so the address is the client's, not the proxy's.
 */
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import type { Request, RequestHandler } from 'express';
import { HttpError } from '../http/errors.ts';
import { CountersUnavailable, type SharedCounters } from '../http/shared-counters.ts';

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** The per-address limit across usernames, as a multiple of the per-pair limit. */
export const LOGIN_ADDRESS_FACTOR = 10;
export const LOGIN_FIRST_DELAY_MS = 250;
export const LOGIN_MAX_DELAY_MS = 4_000;
/** Retry-After on a 503 while the counters are out of reach. */
const UNAVAILABLE_RETRY_S = 5;

/**
 * The wait before the `failures`-th counted attempt on a username (this one included) is
 * answered: none up to `free`, then 0.25 s, 0.5 s, 1 s, … at most LOGIN_MAX_DELAY_MS.
 */
export function backoffDelayMs(failures: number, free: number): number {
  const over = failures - free;
  if (over <= 0) return 0;
  return Math.min(LOGIN_MAX_DELAY_MS, LOGIN_FIRST_DELAY_MS * 2 ** Math.min(over - 1, 16));
}

/** The username a login body names, normalised as the lookup would see it ('' when absent). */
const usernameOf = (req: Request): string => {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  return typeof name === 'string' ? name.trim().toLowerCase().slice(0, 100) : '';
};
const addressOf = (req: Request): string => ipKeyGenerator(req.ip ?? '');
const noUsername = (req: Request) => usernameOf(req) === '';

/** What the three counters share: 15-minute windows, only wrong credentials count. */
const counting = {
  windowMs: LOGIN_WINDOW_MS,
  skipSuccessfulRequests: true,
  // A malformed body (400) is not a guess at a password; a 429 or 503 checked nothing.
  requestWasSuccessful: (_req: Request, res: { statusCode: number }) => res.statusCode !== 401,
  standardHeaders: 'draft-7' as const,
  legacyHeaders: false,
};

const tooMany = (what: string, failures: number) =>
  ((_req, res, next) =>
    next(
      new HttpError(
        429,
        'too_many_logins',
        `Too many failed sign-ins ${what} (at most ${failures} in 15 minutes); retry after ${res.getHeader('Retry-After') ?? 900} s`,
      ),
    )) satisfies RequestHandler;

/** Redis out of reach: 503 naming the problem, so the client knows to retry rather than re-type. */
const closedOnOutage =
  (limiter: RequestHandler): RequestHandler =>
  (req, res, next) =>
    limiter(req, res, (error?: unknown) => {
      if (!(error instanceof CountersUnavailable)) return next(error as Error);
      res.set('Retry-After', String(UNAVAILABLE_RETRY_S));
      next(
        new HttpError(
          503,
          'rate_limit_unavailable',
          'Sign-in is paused: the counter of failed sign-ins (Redis) cannot be reached. Try again shortly.',
        ),
      );
    });

/** The three counters as middleware for POST /auth/login; 0 switches them off. */
export function loginRateLimit(failures: number, counters?: SharedCounters): RequestHandler[] {
  if (failures <= 0) return [];
  const store = (name: string) => (counters ? { store: counters.store(name, 'closed') } : {});
  const perAddress = failures * LOGIN_ADDRESS_FACTOR;
  return [
    rateLimit({
      ...counting,
      ...store('login-address'),
      limit: perAddress,
      keyGenerator: addressOf,
      handler: tooMany('from this address', perAddress),
    }),
    rateLimit({
      ...counting,
      ...store('login-pair'),
      limit: failures,
      keyGenerator: (req) => `${usernameOf(req)}|${addressOf(req)}`,
      skip: noUsername,
      handler: tooMany('for this username from this address', failures),
    }),
    slowDown({
      ...counting,
      ...store('login-username'),
      delayAfter: failures,
      delayMs: (used) => backoffDelayMs(used, failures),
      maxDelayMs: LOGIN_MAX_DELAY_MS,
      keyGenerator: (req) => usernameOf(req),
      skip: noUsername,
      standardHeaders: false, // a delay has no limit to announce; the pair's RateLimit headers stand
    }),
  ].map(closedOnOutage);
}
