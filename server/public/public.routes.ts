/**
 * The residents' station finder API (no login): locate, nearest stations, name search and one
 * station for a shareable link. Answers come from the in-process indexes (public-index.ts)
 * once built, else from PostGIS per request; both give the same answers (tests/api/public.test.ts).
 */
import { Router, type Express, type Response } from 'express';
import { clockOf, publicReads, type AppContext } from '../context.ts';
import type {
  PublicCommunityCard,
  PublicGridCard,
  PublicLocateResponse,
  PublicNearestResponse,
  PublicSearchResponse,
  PublicStationDetail,
} from '../../common/contracts/public.ts';
import { GRID_CODE } from '../../common/domain.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { fixedHeadersOf, type FrontHandler } from '../http/before-express.ts';
import { securityHeaders } from '../http/security.ts';
import { finderFastPath } from './finder-fast-path.ts';
import { publicRateLimit } from './rate-limit.ts';
import { publicIndexesFor, locateGrid, nearestStations, type PublicIndexes } from './public-index.ts';
import {
  communityCardInDb,
  gridInfoInDb,
  gridInnerPointInDb,
  gridOutlineInDb,
  locateGridInDb,
  nearestStationsInDb,
  stationByCodeInDb,
} from './public.queries.ts';
import { publicHit, publicStation, stationDetail } from './public-answers.ts';
import { searchIndexFor } from './search-index.ts';
import { searchNames } from './search.ts';
import {
  DEFAULT_SEARCH_HITS,
  DEFAULT_STATIONS,
  MAX_SEARCH_HITS,
  MAX_STATIONS,
  parseCrs,
  parseLimit,
  parsePublicKinds,
  parsePublicPoint,
  parseSearchQuery,
} from './public-params.ts';

/** JSON without Express's per-response ETag hash: answers for random points are never revalidated. */
function sendJson(res: Response, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export interface PublicRouteOptions {
  /** The clock for "open now" (tests fix it); the context's clock when absent. */
  now?: () => Date;
}

export interface PublicFinder {
  routes: Router;
  /**
   * The finder's busiest GETs answered in front of Express (finder-fast-path.ts), sharing these
   * routes' index, clock and rate limiter; null when WANGGE_PUBLIC_FAST_PATH=0 or the index is off.
   */
  fastPath(app: Express): FrontHandler | null;
}

export function publicRoutes(ctx: AppContext, options: PublicRouteOptions = {}): Router {
  return publicFinder(ctx, options).routes;
}

export function publicFinder(ctx: AppContext, options: PublicRouteOptions = {}): PublicFinder {
  const router = Router();
  const now = options.now ?? (() => clockOf(ctx));
  // Anonymous reads: the replica when there is one (the index polls its epochs there too).
  const db = publicReads(ctx);
  const indexes: PublicIndexes | null = ctx.config.publicIndex ? publicIndexesFor(db) : null;
  const ready = () => indexes?.locate ?? null;

  const limiter = publicRateLimit(ctx.config.publicRateLimit, ctx.counters);
  router.use('/public', limiter);

  const stationsNear = async (lon: number, lat: number, k: number, kinds: ReturnType<typeof parsePublicKinds>) => {
    const index = ready();
    return index ? nearestStations(index, lon, lat, k, kinds) : nearestStationsInDb(db, lon, lat, k, kinds);
  };

  router.get('/public/locate', async (req, res) => {
    const point = parsePublicPoint(req.query);
    const kinds = parsePublicKinds(req.query.kind);
    const limit = parseLimit(req.query.limit, DEFAULT_STATIONS, MAX_STATIONS);
    const index = ready();
    const [grid, near] = await Promise.all([
      index ? locateGrid(index, point.lon, point.lat) : locateGridInDb(db, point.lon, point.lat),
      stationsNear(point.lon, point.lat, limit, kinds),
    ]);
    const at = now();
    const body: PublicLocateResponse = {
      point: { lon: point.lon, lat: point.lat },
      crs: point.crs,
      grid: grid && { code: grid.code, name: grid.name },
      community: grid?.community ?? null,
      worker: grid?.worker ?? null,
      partyOrg: grid?.partyOrg ?? null,
      stations: near.map((n) => publicStation(n.station, n.distanceM, point.crs, at)),
    };
    sendJson(res, body);
  });

  router.get('/public/stations/nearest', async (req, res) => {
    const point = parsePublicPoint(req.query);
    const kinds = parsePublicKinds(req.query.kind);
    const limit = parseLimit(req.query.limit, DEFAULT_STATIONS, MAX_STATIONS);
    const near = await stationsNear(point.lon, point.lat, limit, kinds);
    const at = now();
    const body: PublicNearestResponse = {
      point: { lon: point.lon, lat: point.lat },
      crs: point.crs,
      stations: near.map((n) => publicStation(n.station, n.distanceM, point.crs, at)),
    };
    sendJson(res, body);
  });

  router.get('/public/search', async (req, res) => {
    const q = parseSearchQuery(req.query.q);
    const limit = parseLimit(req.query.limit, DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS);
    const crs = parseCrs(req.query.crs);
    const search = await searchIndexFor(db, indexes);
    if (!search) {
      res.setHeader('Retry-After', '2');
      throw new HttpError(503, 'index_building', 'The name search is being prepared; retry in a few seconds');
    }
    const body: PublicSearchResponse = { q, hits: searchNames(search, q, limit).map((hit) => publicHit(hit, crs)) };
    res.json(body);
  });

  // A community (or village) picked in the finder: its grids, never "the grid you are in".
  router.get('/public/communities/:code', async (req, res) => {
    const code = req.params.code;
    if (!/^[0-9]{12}$/.test(code)) throw badRequest('code', 'code must be a 12-digit community code');
    const card = await communityCardInDb(db, code);
    if (!card) throw notFound('Community', code);
    const body: PublicCommunityCard = card;
    res.set('cache-control', 'public, max-age=60').json(body);
  });

  // A grid's card by code (the printed board's QR opens /find?grid=CODE): its worker, party
  // organisation and the stations nearest to a point inside it; no location asked.
  router.get('/public/grids/:code/card', async (req, res) => {
    const code = req.params.code;
    if (!GRID_CODE.test(code)) throw badRequest('code', 'code must be a 15-digit grid code');
    const kinds = parsePublicKinds(req.query.kind);
    const limit = parseLimit(req.query.limit, DEFAULT_STATIONS, MAX_STATIONS);
    const [grid, inner] = await Promise.all([gridInfoInDb(db, code), gridInnerPointInDb(db, code)]);
    if (!grid || !inner) throw notFound('Grid', code);
    const near = await stationsNear(inner.lon, inner.lat, limit, kinds);
    const at = now();
    const body: PublicGridCard = {
      point: inner,
      crs: 'wgs84',
      grid: { code: grid.code, name: grid.name },
      community: grid.community,
      worker: grid.worker,
      partyOrg: grid.partyOrg,
      stations: near.map((n) => publicStation(n.station, n.distanceM, 'wgs84', at)),
    };
    sendJson(res, body);
  });

  router.get('/public/status', (_req, res) => {
    res.json(indexes ? indexes.status() : { state: 'off' });
  });

  router.get('/public/stations/:code', async (req, res) => {
    const code = req.params.code;
    if (!/^[0-9A-Za-z_-]{1,40}$/.test(code))
      throw badRequest('code', 'code must be a station code (letters and digits)');
    const crs = parseCrs(req.query.crs);
    const index = ready();
    const i = index?.stationByCode.get(code);
    const station = index ? (i === undefined ? null : index.stations[i]!) : await stationByCodeInDb(db, code);
    if (!station) throw notFound('Station', code);
    const body: PublicStationDetail = stationDetail(station, crs, now());
    res.json(body);
  });

  // The outline of the grid a resident is in, for the map: name and community only, no figures.
  router.get('/public/grids/:code', async (req, res) => {
    const code = req.params.code;
    if (!GRID_CODE.test(code)) throw badRequest('code', 'code must be a 15-digit grid code');
    const outline = await gridOutlineInDb(db, code);
    if (!outline) throw notFound('Grid', code);
    res.set('cache-control', 'public, max-age=60').json(outline);
  });

  const fastPath = (app: Express): FrontHandler | null =>
    indexes && ctx.config.publicFastPath
      ? finderFastPath({
          app,
          index: ready,
          limiter: ctx.config.publicRateLimit > 0 ? limiter : null,
          securityHeaders: fixedHeadersOf(securityHeaders(ctx.config)),
          now,
        })
      : null;
  return { routes: router, fastPath };
}
