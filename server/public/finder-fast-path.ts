/**
 * GET /api/public/locate and /api/public/stations/nearest answered before Express (issue 20):
 * the same parse functions, the same index, the same headers (helmet's, captured once; the
 * rate limit's, by calling the same limiter), the body written from pre-serialised parts
 * (locate-json.ts). Anything it is not sure of goes to Express untouched: other methods and
 * paths, a URL Express would parse differently, no index yet, and every bad input, so a 400
 * is Express's own answer and the limiter counts each request once. WANGGE_PUBLIC_FAST_PATH=0
 * switches it off (the bench's anchor). On the 100,000-grid city it serves the finder at about
 * twice Express's requests per second (bench/RESULTS.md, "Public finder at scale").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { errorHandler } from '../http/errors.ts';
import type { FrontHandler } from '../http/before-express.ts';
import { locateGridIndex, nearestStationIndexes, type LocateIndex } from './public-index.ts';
import { locateJson, nearestJson, type JsonText } from './locate-json.ts';
import {
  DEFAULT_STATIONS,
  MAX_STATIONS,
  parseLimit,
  parsePublicKinds,
  parsePublicPoint,
  type PublicPoint,
} from './public-params.ts';

const LOCATE = '/api/public/locate';
const NEAREST = '/api/public/stations/nearest';
/** Characters for which Express's URL parser (parseurl) falls back to url.parse: leave those to it. */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

export interface FinderFastPathOptions {
  /** Express itself: its request/response prototypes when the limiter needs them, and trust proxy. */
  app: Express;
  /** The built locate index, or null (then Express answers from PostGIS). */
  index: () => LocateIndex | null;
  /** The public limiter the Express routes use (one instance: one count per request), or null when off. */
  limiter: RequestHandler | null;
  /** helmet's headers as fixedHeadersOf gives them. */
  securityHeaders: string[];
  now: () => Date;
}

interface Parsed {
  path: string;
  point: PublicPoint;
  kinds: ReturnType<typeof parsePublicKinds>;
  limit: number;
}

/** The request as the Express route would read it, or null when Express should answer. */
function parseRequest(req: IncomingMessage): Parsed | null {
  if (req.method !== 'GET') return null;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== LOCATE && path !== NEAREST) return null;
  if (UNUSUAL_URL.test(url)) return null;
  // Express's "simple" query parser is node:querystring's parse.
  const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
  try {
    const point = parsePublicPoint(query);
    const kinds = parsePublicKinds(query.kind);
    const limit = parseLimit(query.limit, DEFAULT_STATIONS, MAX_STATIONS);
    return { path, point, kinds, limit };
  } catch {
    return null; // Express parses again and answers the same 400 through the one error writer
  }
}

function body(index: LocateIndex, p: Parsed, now: Date): JsonText {
  const { lon, lat } = p.point;
  const near = nearestStationIndexes(index, lon, lat, p.limit, p.kinds);
  return p.path === LOCATE
    ? locateJson(index, p.point, locateGridIndex(index, lon, lat), near, now)
    : nearestJson(index, p.point, near, now);
}

export function finderFastPath(options: FinderFastPathOptions): FrontHandler {
  const { app, limiter, securityHeaders, now } = options;
  const headerCount = securityHeaders.length;

  // One header list for every answer: writeHead reads it synchronously and keeps no reference,
  // so only the length slot changes per answer.
  const headers = [
    ...securityHeaders,
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    '0',
    'cache-control',
    'no-store',
  ];
  const lengthSlot = headerCount + 3;
  const send = (res: ServerResponse, answer: JsonText) => {
    headers[lengthSlot] = String(answer.bytes);
    res.writeHead(200, headers);
    res.end(answer.text);
  };

  return (req, res) => {
    const index = options.index();
    if (!index) return false;
    const parsed = parseRequest(req);
    if (!parsed) return false;
    let answer: JsonText;
    try {
      answer = body(index, parsed, now());
    } catch {
      return false; // Express runs the route again and writes its 500
    }
    if (!limiter) {
      send(res, answer);
      return true;
    }
    // With the limiter: as Express would run it (req.ip, trust proxy, res.status/json for the 429).
    const request = req as Request;
    const response = res as unknown as Response;
    request.res = response;
    response.req = request;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    for (let i = 0; i < headerCount; i += 2) res.setHeader(securityHeaders[i]!, securityHeaders[i + 1]!);
    const next: NextFunction = (error?: unknown) => {
      if (error) return errorHandler(error, request, response, () => {});
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': answer.bytes,
        'cache-control': 'no-store',
      });
      res.end(answer.text);
    };
    void limiter(request, response, next);
    return true;
  };
}
