/** One error type and one error writer: every failure reaches the client as JSON. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiError } from '../../common/contracts/meta.ts';
import { databaseUnavailable } from '../db/unavailable.ts';
import { CrsError } from '../geo/crs-error.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    /** Extra JSON for the client (e.g. the current state after a 412). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** An answer decided before the handler ran to its end (an idempotent replay): sent as it is. */
export class PresetResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`preset response ${status}`);
  }
}

export const badRequest = (param: string, message: string) => new HttpError(400, 'invalid_parameter', message, param);
export const notFound = (what: string, id: string) => new HttpError(404, 'not_found', `${what} "${id}" does not exist`);
export const unauthorized = (message = 'Not logged in') => new HttpError(401, 'unauthorized', message);

/**
 * The HttpError a refusal stands for: an HttpError itself, or the error of a layer that knows
 * nothing of HTTP (server/geo/'s CrsError: a 400 on `crs`). Undefined for anything else (a crash).
 */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof CrsError)
    return new HttpError(400, error.code === 'unknown_crs' ? 'invalid_parameter' : error.code, error.message, 'crs');
  return undefined;
}

export const notFoundRoute: RequestHandler = (req, _res, next) =>
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));

/** Turns anything thrown into a JSON error; unexpected errors are logged, never shown. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let body: ApiError;
  let status: number;
  const unavailable = databaseUnavailable(error);
  const refusal = asHttpError(error);
  if (error instanceof PresetResponse) {
    res.set(error.headers).status(error.status);
    if (error.body === null || error.body === undefined) res.end();
    else res.json(error.body);
    return;
  }
  if (unavailable) {
    // The database is down, restarting or busy: a retry soon will do (never a 500, never a hang).
    status = 503;
    res.set('Retry-After', String(unavailable.retryAfter));
    const messages = {
      busy: 'The database is busy: every connection is in use. Try again shortly.',
      down: 'The database cannot be reached right now. Try again shortly.',
      timeout: 'The database took too long to answer (or the request was cancelled). Try again shortly.',
    };
    body = { error: { code: 'database_unavailable', message: messages[unavailable.reason] } };
  } else if (refusal) {
    status = refusal.status;
    body = {
      error: {
        code: refusal.code,
        message: refusal.message,
        ...(refusal.param ? { param: refusal.param } : {}),
        ...(refusal.details ?? {}),
      },
    };
  } else if (error?.type === 'entity.parse.failed') {
    status = 400;
    body = { error: { code: 'invalid_json', message: 'The request body is not valid JSON', param: 'body' } };
  } else if (error?.type === 'entity.too.large') {
    status = 413;
    body = { error: { code: 'too_large', message: 'The request body is too large', param: 'body' } };
  } else {
    status = 500;
    console.error(`[http] ${req.method} ${req.originalUrl}:`, error);
    body = { error: { code: 'internal', message: 'Internal error; the server log has the details' } };
  }
  res.status(status).json(body);
};
