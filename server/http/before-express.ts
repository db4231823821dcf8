/**
 * A plain Node handler in front of an Express app, for the few busiest anonymous GETs (the
 * public finder, issue 20): under load Express's per-request work (prototype swaps, the router's
 * walk over every layer, helmet's twelve setHeader calls) cost more than the lookup itself. The
 * handler answers what it can and hands everything else to Express unchanged, so `app.listen`,
 * tests and every other route keep working as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, RequestHandler } from 'express';

/** Answers the request (true), or leaves it untouched for Express (false); decided synchronously. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Handle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Express's app function calls `app.handle` (express/lib/express.js); the front goes there, so app.listen keeps it. */
export function answerBeforeExpress(app: Express, front: FrontHandler): void {
  const withHandle = app as unknown as { handle: Handle };
  const handle = withHandle.handle.bind(app);
  withHandle.handle = (req, res, next) => {
    if (!front(req, res)) handle(req, res, next);
  };
}

/**
 * The headers a middleware that only sets fixed headers (helmet with fixed directives) sets,
 * captured once by running it against a stub response: [name, value, name, value, …], in order.
 */
export function fixedHeadersOf(middleware: RequestHandler): string[] {
  const headers: string[] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (Array.isArray(value)) throw new Error(`header ${name}: a list is not a fixed header`);
      headers.push(name, String(value));
      return res;
    },
    removeHeader() {},
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, res as never, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    called = true;
  });
  if (!called) throw new Error('the header middleware did not finish synchronously');
  return headers;
}
