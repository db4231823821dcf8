/**
 * Vector tiles at /tiles/{layer}/{z}/{x}/{y}.pbf and TileJSON at /tiles/{layer}.json (issue 7).
 *
 * Cache key: the data version the public finder polls (topology epochs of grids and buildings,
 * station epochs; server/public/public.queries.ts) plus the reader's audience, and for signed-in
 * readers of the grids layer the household bounds their bands follow (a PUT to
 * /api/settings/household-bounds changes the ETag and the bytes; public tiles carry no band). A published edit
 * bumps the version, so the next request gets a new ETag and fresh bytes; an unchanged tile
 * answers 304 from the version alone, without touching the tile's rows. Encoded tiles are kept
 * in a small in-process cache under the same key. The base map (/tiles/base, issue 17) is one
 * more tileset with four source layers (base-tile.queries.ts); its key adds the roads' and
 * landcover's version. Anonymous readers' tiles, version included, come from the read replica
 * (DATABASE_READ_URL) when there is one; signed-in readers' from the primary.
 */
import { Router, type Request, type Response } from 'express';
import { createHash } from 'node:crypto';
import { publicReads, type AppContext } from '../context.ts';
import { HttpError, badRequest } from '../http/errors.ts';
import { readPublicVersion } from '../public/public.queries.ts';
import {
  BASE_LAYERS,
  BASE_LAYER_FIELDS,
  BASE_TILESET,
  BASE_ZOOMS,
  TILESETS,
  TILE_ZOOMS,
  type TileLayer,
  type Tileset,
} from '../../common/tiles.ts';
import type { TileJson } from '../../common/contracts/tiles.ts';
import { MAX_ZOOM, isValidTile, type TileAddress } from '../geo/tile-math.ts';
import { encodeTile } from './tile-encode.ts';
import { GRID_NAMES_MINZOOM, layerExtent, tileFeatures } from './tiles.queries.ts';
import { TileCache } from './tile-cache.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { baseDataVersion, baseExtent, baseTileLayers } from './base-tile.queries.ts';

export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
/** Short: a CDN or browser may reuse a tile this long; the client adds ?v= after a publish. */
const MAX_AGE_S = 10;
/**
 * The base map changes with road uploads and renames, not with every edit: MapLibre refetches
 * a tile when its max-age runs out, which at 10 s would be a request per tile on screen every
 * 10 s for a map left open. The client still adds ?v= after a publish or a sign-in.
 */
const BASE_MAX_AGE_S = 300;

function parseLayer(value: string): Tileset {
  if (!(TILESETS as readonly string[]).includes(value)) {
    throw new HttpError(404, 'not_found', `No tile layer "${value}"; layers: ${TILESETS.join(', ')}`);
  }
  return value as Tileset;
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
function setCacheHeaders(res: Response, signedIn: boolean, etag: string, maxAge = MAX_AGE_S): void {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', `${signedIn ? 'private' : 'public'}, max-age=${maxAge}`);
  res.setHeader('Vary', 'Cookie');
}

const notModified = (req: Request, etag: string) =>
  (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag);

export function tilesRoutes(ctx: AppContext): Router {
  const router = Router();
  const cache = new TileCache();
  const extents = new Map<string, Promise<Awaited<ReturnType<typeof layerExtent>>>>();
  /** The version base tiles follow: the public one plus roads and landcover (from where the tile is read). */
  const baseVersion = async (db: AppContext['db']) => {
    const [version, base] = await Promise.all([readPublicVersion(db), baseDataVersion(db)]);
    return `${version}/${base}`;
  };

  router.get('/:layer.json', async (req, res) => {
    const layer = parseLayer(req.params.layer);
    const base = layer === BASE_TILESET;
    const db = publicReads(ctx, !!req.user);
    const version = base ? await baseVersion(db) : await readPublicVersion(db);
    const key = `${layer}@${version}`;
    if (!extents.has(key)) {
      for (const old of extents.keys()) if (old.startsWith(`${layer}@`)) extents.delete(old);
      extents.set(key, base ? baseExtent(db) : layerExtent(db, layer));
    }
    const { bounds, count } = await extents.get(key)!;
    const { minzoom, maxzoom } = base ? BASE_ZOOMS : TILE_ZOOMS[layer];
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
      vector_layers: base
        ? BASE_LAYERS.map((id) => ({
            id,
            description: `Base map: ${id}`,
            minzoom,
            maxzoom,
            fields: BASE_LAYER_FIELDS[id],
          }))
        : [{ id: layer, description: `Wangge ${layer}`, minzoom, maxzoom, fields: fields[layer as TileLayer] }],
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
    // Version and rows from one place (the replica for anonymous readers), so a key never pairs a new version with old rows.
    const db = publicReads(ctx, signedIn);
    const [version, householdBounds] = await Promise.all([
      layer === BASE_TILESET ? baseVersion(db) : readPublicVersion(db),
      banded ? householdBoundsSetting(db) : undefined,
    ]);
    const bandKey = householdBounds
      ? `/${createHash('sha1').update(JSON.stringify(householdBounds)).digest('base64url').slice(0, 12)}`
      : '';
    const key = `${layer}/${tile.z}/${tile.x}/${tile.y}/${signedIn ? 'staff' : 'public'}/${version}${bandKey}`;
    const etag = `"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
    setCacheHeaders(res, signedIn, etag, layer === BASE_TILESET ? BASE_MAX_AGE_S : MAX_AGE_S);
    if (notModified(req, etag)) return void res.status(304).end();
    let bytes = cache.get(key);
    if (bytes === undefined) {
      bytes =
        layer === BASE_TILESET
          ? encodeTile(await baseTileLayers(db, tile, { signedIn }))
          : encodeTile({ [layer]: await tileFeatures(db, layer, tile, { signedIn, householdBounds }) });
      cache.set(key, bytes);
    }
    if (!bytes) return void res.status(204).end();
    res.type(MVT_TYPE).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  return router;
}
