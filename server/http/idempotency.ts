/**
 * Idempotency-Key for writes: a client that lost its answer (a timeout, a dropped
 * connection, a server killed mid-request) sends the same request again with the same key,
 * and the write takes effect once.
 *
 * The key is claimed by a row inserted at the start of the write's own transaction
 * (server/db/transaction.ts runs the scope's write hook), so a request that never committed
 * leaves no key and its retry runs, and one that committed leaves its key with it. A
 * concurrent duplicate waits on that row's unique index and then sees it. The first answer
 * is stored and replayed to later retries with `Idempotent-Replayed: true`; the same key
 * with a different request is refused (422). Keys belong to a user and last 24 hours.
 *
 * Writes that do not go through `inTransaction` (creating or discarding a draft) record
 * their key after a successful answer instead: a retry is still answered from the store,
 * but a crash between their commit and that record would let a retry run again.
 *
 * The same middleware opens the request's scope (server/db/request-scope.ts): a client that
 * hangs up before its answer has its running queries cancelled.
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import { cancelScope, currentScope, runInScope, type RequestScope } from '../db/request-scope.ts';
import { badRequest, HttpError, PresetResponse } from './errors.ts';
import {
  claimKey,
  dropExpiredKey,
  findKey,
  recordAnswer,
  recordKeyAfterWrite,
  type KeyRow,
} from './idempotency.queries.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,255}$/;

/** Object keys sorted, so the same JSON body written in another order is the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What makes two requests the same: method, path with query, body, and an uploaded file's bytes. */
export function fingerprint(req: Request): string {
  const hash = createHash('sha256');
  hash.update(`${req.method} ${req.originalUrl}\n`);
  hash.update(JSON.stringify(canonical(req.body ?? null)) ?? 'null');
  const file = (req as Request & { file?: { buffer: Buffer } }).file;
  if (file) hash.update('\nfile ').update(file.buffer);
  return hash.digest('hex');
}

/** The answer to a request whose key is already taken: its replay, or why not. */
function answerFor(row: KeyRow, req: Request): PresetResponse | HttpError {
  if (row.fingerprint !== fingerprint(req)) {
    return new HttpError(
      422,
      'idempotency_key_reused',
      'Idempotency-Key was already used for a different request; use a new key for a new request',
      'Idempotency-Key',
    );
  }
  if (row.response_status === null) {
    return new HttpError(
      409,
      'idempotency_in_progress',
      'A request with this Idempotency-Key has taken effect and its answer is not recorded yet; fetch the current state instead of retrying',
      'Idempotency-Key',
    );
  }
  return new PresetResponse(row.response_status, row.response_body, { 'Idempotent-Replayed': 'true' });
}

type Claim = 'none' | 'pending' | 'claimed';

/** Claims the key in the write's transaction, and stores the answer once it is sent. */
function keyedWrite(
  db: Kysely<DB>,
  req: Request,
  res: Response,
  scope: RequestScope,
  userId: number,
  key: string,
): void {
  let claim: Claim = 'none';
  let stored = false;
  scope.write = {
    async begin(trx) {
      if (claim !== 'none') return;
      await dropExpiredKey(trx, userId, key);
      const request = { fingerprint: fingerprint(req), method: req.method, path: req.originalUrl };
      if (!(await claimKey(trx, userId, key, request))) {
        // Taken, by a committed request (a concurrent one was waited for by the insert).
        const row = await findKey(trx, userId, key);
        if (row) throw answerFor(row, req);
      }
      claim = 'pending';
    },
    settle(committed) {
      if (claim === 'pending') claim = committed ? 'claimed' : 'none';
    },
  };
  const record = async (status: number, body: unknown) => {
    if (stored) return;
    stored = true;
    const json = body === undefined ? null : JSON.stringify(body);
    if (claim === 'claimed') {
      await recordAnswer(db, userId, key, status, json);
    } else if (claim === 'none' && status < 300) {
      // A write outside inTransaction: recorded after the fact (see the note at the top).
      await recordKeyAfterWrite(
        db,
        userId,
        key,
        { fingerprint: fingerprint(req), method: req.method, path: req.originalUrl },
        status,
        json,
      );
    }
  };
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    // Stored before it is sent, so a retry that follows the answer finds it.
    record(res.statusCode, body)
      .catch((error: Error) =>
        console.error(`[idempotency] could not store the answer for key ${key}: ${error.message}`),
      )
      .finally(() => send(body));
    return res;
  };
  res.on('finish', () => {
    if (!stored) void record(res.statusCode, undefined).catch(() => {});
  });
}

/** The request's scope; a client that hangs up before its answer has its queries cancelled. */
const scopeRequests: RequestHandler = (req, res, next) => {
  const scope: RequestScope = { connections: new Map() };
  res.on('close', () => {
    if (!res.writableFinished) {
      void cancelScope(scope).then(
        (n) =>
          n && console.error(`[http] ${req.method} ${req.originalUrl}: client went away, cancelled ${n} query(ies)`),
      );
    }
  });
  runInScope(scope, next);
};

function keyed({ db }: AppContext): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || !WRITES.has(req.method)) return next();
    if (!KEY.test(key))
      throw badRequest('Idempotency-Key', 'Idempotency-Key: 1 to 255 visible ASCII characters (a UUID will do)');
    // Anonymous writes are refused by their routes (401); keys belong to a user.
    if (!req.user) return next();
    // Answered before: replay without running the route again. Multipart bodies are not
    // parsed yet here; their key is checked when the write's transaction claims it.
    if (!req.is('multipart/form-data')) {
      const row = await findKey(db, req.user.id, key);
      if (row) return next(answerFor(row, req));
    }
    const scope = currentScope();
    if (scope) keyedWrite(db, req, res, scope, req.user.id, key);
    next();
  };
}

/** Mounted on /api after the session is known: the request scope, then Idempotency-Key handling. */
export function idempotency(ctx: AppContext): Router {
  const router = Router();
  router.use(scopeRequests);
  router.use(keyed(ctx));
  return router;
}
