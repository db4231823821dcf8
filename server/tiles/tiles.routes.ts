/**
 * Vector tiles at /tiles/{layer}/{z}/{x}/{y}.pbf and TileJSON at /tiles/{layer}.json (issue 7).
 *
 * Cache key: the data version the public finder polls (topology epochs of grids and buildings,
 * station epochs; server/public/public.queries.ts) plus the reader's audience, and for signed-in
 * readers of the grids layer the household bounds their bands follow (a PUT to
 * /api/settings/household-bounds changes the ETag and the bytes; public tiles carry no band). A published edit
 * bumps the version, so the next request gets a new ETag and fresh bytes; an unchanged tile
 * answers 304 from the version alone, without touching the tile's rows. Encoded tiles are kept
 * in a small in-process cache under the same key.
 */
import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { readPublicVersion } from '../public/public.queries.ts';
import { TILE_LAYERS, TILE_ZOOMS, type TileLayer } from '../../common/tiles.ts';
import type { TileJson } from '../../common/contracts/tiles.ts';
import { MAX_ZOOM, isValidTile, type TileAddress } from '../geo/tile-math.ts';
import { encodeTile } from './tile-encode.ts';
import { GRID_NAMES_MINZOOM, layerExtent, tileFeatures } from './tiles.queries.ts';
import { TileCache } from './tile-cache.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';

export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
/** Short: a CDN or browser may reuse a tile this long; the client adds ?v= after a publish. */
const MAX_AGE_S = 10;

function parseLayer(value: string): TileLayer {
  if (!(TILE_LAYERS as readonly string[]).includes(value)) {
    throw new HttpError(404, 'not_found', `No tile layer "${value}"; layers: ${TILE_LAYERS.join(', ')}`);
  }
  return value as TileLayer;
}

function parseTile(params: Record<string, string>): TileAddress {
  const num = (name: 'z' | 'x' | 'y') => {
    const raw = params[name]!;
    if (!/^[0-9]{1,8}$/.test(raw)) throw badRequest(name, `${name} must be a whole number`);
    return Number(raw);
  };
  const tile = { z: num('z'), x: num('x'), y: num('y') };
  if (tile.z > MAX_ZOOM) throw badRequest('z', `z must be 0–${MAX_ZOOM}`);
  if (!isValidTile(tile))
    throw badRequest(tile.x >= 2 ** tile.z ? 'x' : 'y', `x and y must be 0–${2 ** tile.z - 1} at zoom ${tile.z}`);
  return tile;
}

/** Anonymous and signed-in readers get different tiles from the same URL. */
function setCacheHeaders(res: Response, signedIn: boolean, etag: string): void {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', `${signedIn ? 'private' : 'public'}, max-age=${MAX_AGE_S}`);
  res.setHeader('Vary', 'Cookie');
}

const notModified = (req: Request, etag: string) =>
  (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag);

export function tilesRoutes({ db }: AppContext): Router {
  const router = Router();
  const cache = new TileCache();
  const extents = new Map<string, Promise<Awaited<ReturnType<typeof layerExtent>>>>();

  router.get('/:layer.json', async (req, res) => {
    const layer = parseLayer(req.params.layer);
    const version = await readPublicVersion(db);
    const key = `${layer}@${version}`;
    if (!extents.has(key)) {
      for (const old of extents.keys()) if (old.startsWith(`${layer}@`)) extents.delete(old);
      extents.set(key, layerExtent(db, layer));
    }
    const { bounds, count } = await extents.get(key)!;
    const { minzoom, maxzoom } = TILE_ZOOMS[layer];
    const origin = `${req.protocol}://${req.get('host')}`;
    const fields: Record<TileLayer, Record<string, string>> = {
      grids: {
        code: 'String',
        name: `String (from z${GRID_NAMES_MINZOOM})`,
        community_code: `String (from z${GRID_NAMES_MINZOOM})`,
        kind: 'String',
        coverage: 'Number: grid-level party organisations, 0, 1 or 2 (two or more)',
        households: 'Number (signed-in readers only)',
        band: 'String: low, ok, high, commercial (signed-in readers only)',
      },
      buildings: { code: 'String' },
      stations: { code: 'String', name: 'String', kind: 'String' },
    };
    const body: TileJson = {
      tilejson: '3.0.0',
      name: `wangge ${layer}`,
      description: `${layer} from z${minzoom}; simplified by about one pixel below z14, clipped with a 64-unit buffer, extent 4096; empty tiles answer 204`,
      tiles: [`${origin}/tiles/${layer}/{z}/{x}/{y}.pbf`],
      scheme: 'xyz',
      minzoom,
      maxzoom,
      bounds: bounds ?? [-180, -85.0511287798066, 180, 85.0511287798066],
      vector_layers: [{ id: layer, description: `Wangge ${layer}`, minzoom, maxzoom, fields: fields[layer] }],
      feature_count: count,
    };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });

  router.get('/:layer/:z/:x/:y.pbf', async (req, res) => {
    const layer = parseLayer(req.params.layer);
    const tile = parseTile(req.params);
    const signedIn = !!req.user;
    const banded = signedIn && layer === 'grids';
    const [version, householdBounds] = await Promise.all([
      readPublicVersion(db),
      banded ? householdBoundsSetting(db) : undefined,
    ]);
    const bandKey = householdBounds
      ? `/${createHash('sha1').update(JSON.stringify(householdBounds)).digest('base64url').slice(0, 12)}`
      : '';
    const key = `${layer}/${tile.z}/${tile.x}/${tile.y}/${signedIn ? 'staff' : 'public'}/${version}${bandKey}`;
    const etag = `"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
    setCacheHeaders(res, signedIn, etag);
    if (notModified(req, etag)) return void res.status(304).end();
    let bytes = cache.get(key);
    if (bytes === undefined) {
      const features = await tileFeatures(db, layer, tile, { signedIn, householdBounds });
      bytes = encodeTile({ [layer]: features });
      cache.set(key, bytes);
    }
    if (!bytes) return void res.status(204).end();
    res.type(MVT_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  return router;
}
