/**
 * Which errors mean "the database cannot answer now" (→ 503 with Retry-After) rather than
 * "this request is wrong" or "the code is wrong": the server is down, restarting or
 * refusing connections, the pool had no free connection in time, a statement ran past
 * its timeout or was cancelled, or a read replica cancelled it for a replay conflict.
 */

/** SQLSTATE classes and codes: 08 connection exception, 57P0x shutdown/starting, 53300 too many connections, 57014 cancelled. */
const SQLSTATES = /^(08[0-9A-Z]{3}|57P0[1-4]|53300|57014)$/;
const SYSCALLS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout expired',
];

export interface Unavailable {
  /** Seconds the client should wait before trying again. */
  retryAfter: number;
  reason: 'busy' | 'down' | 'timeout';
}

export function databaseUnavailable(error: unknown): Unavailable | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (text === 'timeout exceeded when trying to connect') return { retryAfter: 1, reason: 'busy' };
  if (code === '53300') return { retryAfter: 1, reason: 'busy' };
  // A read replica cancels a query that conflicts with the WAL it replays (DATABASE_READ_URL): try again.
  if (code === '40001' && text.includes('conflict with recovery')) return { retryAfter: 1, reason: 'busy' };
  if (code === '57014') return { retryAfter: 1, reason: 'timeout' };
  if (typeof code === 'string' && (SQLSTATES.test(code) || SYSCALLS.has(code)))
    return { retryAfter: 5, reason: 'down' };
  if (MESSAGES.some((m) => text.startsWith(m))) return { retryAfter: 5, reason: 'down' };
  // AggregateError from a dual-stack connect (ECONNREFUSED on ::1 and 127.0.0.1).
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => databaseUnavailable(e)))
    return { retryAfter: 5, reason: 'down' };
  return undefined;
}
